"""The per-request context every resolver receives."""

from dataclasses import dataclass, field
from datetime import timedelta

from policies.principal import Principal
from resolvers.database import Database
from resolvers.errors import TabelError, Unauthenticated
from resolvers.loaders import Loaders


@dataclass
class Context:
    db: Database
    principal: Principal | None
    token_ttl: timedelta = timedelta(hours=12)
    # A token that was sent but is unknown, expired or revoked: refused where a caller is needed.
    auth_error: TabelError | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.principal)

    def require_principal(self) -> Principal:
        if self.principal is None:
            if self.auth_error is not None:
                raise self.auth_error
            raise Unauthenticated("Sign in first: send `Authorization: Bearer <token>`.")
        return self.principal
