"""The per-request context every resolver receives."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from policies.engine import PolicyEngine
from policies.principal import Principal
from resolvers.accounts.api_rate import ApiRateLimits
from resolvers.accounts.sign_in import principal_for_token
from resolvers.accounts.token_cache import TokenCache
from resolvers.database import Database
from resolvers.errors import TabelError, Unauthenticated
from resolvers.loaders import Loaders
from resolvers.people.personal_data_log import PersonalReads


def _nobody_told() -> None:
    return None


def _no_share() -> None:
    return None


@dataclass
class Context:
    db: Database
    policy: PolicyEngine
    bearer_token: str | None = None
    token_ttl: timedelta = timedelta(hours=12)
    # How long a grade or attendance mark settles before it is told (`notification_settle_…`).
    notification_settle: timedelta = timedelta(seconds=180)
    # The client's address as the server saw it, for sign-in throttling ("" when unknown).
    client_address: str = ""
    api_rate: ApiRateLimits = field(default_factory=ApiRateLimits)
    # Told when the token resolved to a caller: the server's door then charges the token's
    # requests to the token, not to the address (server/admission.py).
    signed_in: Callable[[], None] = _nobody_told
    # The door has not seen the request's token valid lately: it is resolved before the document
    # is parsed, and if it resolves to nobody, `charge_address` makes the request the address's
    # (raising RateLimited past the address's share).
    verify_first: bool = False
    charge_address: Callable[[], None] = _no_share
    principal: Principal | None = None
    # A token that was sent but is unknown, expired or revoked: refused where a caller is needed.
    auth_error: TabelError | None = None
    loaders: Loaders = field(init=False)
    # Whose personal data the request read, logged with it (R-PD-1, schema/transaction.py).
    personal_reads: PersonalReads = field(default_factory=PersonalReads)
    # A WebSocket's `connection_init` payload (server/live_socket.py); None over HTTP.
    connection_params: dict[str, object] | None = None
    # The application's callers kept by token (resolvers/accounts/token_cache.py), if any.
    tokens: TokenCache | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.policy, self.principal)

    async def authenticate(self) -> None:
        """Resolve the bearer token once, when the operation starts (not for GraphiQL pages)."""
        if self.bearer_token is None or self.principal is not None or self.auth_error is not None:
            return
        try:
            self.principal = await principal_for_token(self.db, self.bearer_token, self.tokens)
        except TabelError as error:
            self.auth_error = error
        else:
            self.signed_in()
        self.loaders = Loaders(self.db, self.policy, self.principal)

    def require_principal(self) -> Principal:
        if self.principal is None:
            if self.auth_error is not None:
                raise self.auth_error
            raise Unauthenticated("Sign in first: send `Authorization: Bearer <token>`.")
        return self.principal
