"""Accounts for everyone: a login from the name, one shared password hash, and the demo logins.

Every account and API token made here is marked `is_demo`: their password and values are
published, so a production `serve` refuses to start while they are usable (`demo/credentials.py`).
"""

from datetime import time, timedelta

from demo.dates import at
from demo.ids import Ids
from demo.names import translit
from demo.options import DemoLogin
from demo.sink import Sink
from demo.world import PersonRec, SchoolRefs
from model import Account, AuthToken, AuthTokenSchool, TokenKind
from model.base import utc_now
from resolvers.accounts.sign_in import TOKEN_PREFIX, token_digest

DEMO_PASSWORD = "demo"
DEMO_ROLES = (
    "admin",
    "head",
    "deputy",
    "teacher",
    "class_teacher",
    "psychologist",
    "student",
    "parent",
)


_LOGIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _latin(name: str) -> str:
    # Lower-case Latin letters and digits only: the database checks login = lower(login), and
    # lower() of anything but ASCII differs between SQLite and PostgreSQL.
    return "".join(char for char in translit(name) if char in _LOGIN_LETTERS)


def name_login(person: PersonRec, used: set[str]) -> str:
    """ivanova.ap, then ivanova.ap2, … — lower case, unique across the whole database."""
    initials = _latin(person.first_name)[:1] + _latin(person.middle_name)[:1]
    base = f"{_latin(person.last_name)[:50]}.{initials}"
    login, n = base, 1
    while login in used:
        n += 1
        login = f"{base}{n}"
    return login


def demo_prefix(index: int, used: set[str]) -> str:
    """'' for the first school of a fresh database, then 's2.', 's3.' … whichever is free."""
    number = index + 1
    while True:
        prefix = "" if number == 1 else f"s{number}."
        if not any(prefix + role in used for role in DEMO_ROLES):
            return prefix
        number += 1


def issue_accounts(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    persons: list[PersonRec],
    demo: dict[str, PersonRec],
    password_hash: str,
    used: set[str],
) -> tuple[dict[int, int], list[DemoLogin]]:
    """Returns person id → account id, and the demo logins in DEMO_ROLES order."""
    prefix = demo_prefix(refs.index, used)
    demo_login: dict[int, str] = {}
    roles: list[str] = []
    for role in DEMO_ROLES:
        person = demo.get(role)
        # One account per person: a person picked for two roles keeps the first.
        if person is not None and person.id not in demo_login:
            demo_login[person.id] = prefix + role
            roles.append(role)
            used.add(prefix + role)
    created_at = at(refs.calendar.starts_on - timedelta(days=5), time(9))
    accounts: dict[int, int] = {}
    for person in persons:
        login = demo_login.get(person.id)
        is_demo = login is not None
        if login is None:
            login = name_login(person, used)
            used.add(login)
        account_id = ids.next(Account)
        accounts[person.id] = account_id
        sink.add(
            Account,
            {
                "id": account_id,
                "person_id": person.id,
                "login": login,
                "password_hash": password_hash,
                "must_change_password": not is_demo,
                "is_active": True,
                "created_at": created_at,
                "password_changed_at": created_at if is_demo else None,
                "is_demo": True,
            },
        )
    logins = [
        DemoLogin(
            role=role,
            login=prefix + role,
            password=DEMO_PASSWORD,
            person_name=demo[role].full_name,
            school_name=refs.short_name,
        )
        for role in roles
    ]
    admin = demo.get("admin")
    issued_by = accounts[admin.id] if admin is not None else None
    issue_api_tokens(sink, ids, refs, prefix, issued_by)
    return accounts, logins


# Known tokens, like the known demo passwords: an inspector's and an integrator's, per school.
# Issued when the demo is generated, for as long as `tabel token issue` gives by default; well
# within the API's year (`resolvers.accounts.api_tokens.MAX_LIFETIME`).
# A demo kept longer is generated anew.
DEMO_TOKEN_LIFETIME = timedelta(days=90)
API_TOKENS = (
    (TokenKind.INSPECTOR, "inspector", "Инспектор органа надзора (демо)", None),
    (
        TokenKind.INTEGRATOR,
        "integrator",
        "Интеграция с отчётами (демо)",
        "roster:read journal:read",
    ),
)


def demo_api_token(login_prefix: str, role: str) -> str:
    """The known token of a demo school's inspector or integrator (`s2.` for the second)."""
    return f"{TOKEN_PREFIX}demo.{login_prefix}{role}"


def issue_api_tokens(
    sink: Sink, ids: Ids, refs: SchoolRefs, prefix: str, issued_by: int | None
) -> None:
    # The real moment, unlike the school's made-up history: the server checks expiry by the clock.
    created_at = utc_now()
    for kind, role, name, scopes in API_TOKENS:
        token = demo_api_token(prefix, role)
        token_id = ids.next(AuthToken)
        sink.add(
            AuthToken,
            {
                "id": token_id,
                "digest": token_digest(token),
                "kind": kind,
                "name": name,
                "scopes": scopes,
                "issued_by_id": issued_by,
                "created_at": created_at,
                "expires_at": created_at + DEMO_TOKEN_LIFETIME,
                "is_demo": True,
            },
        )
        sink.add(
            AuthTokenSchool,
            {"id": ids.next(AuthTokenSchool), "auth_token_id": token_id, "school_id": refs.id},
        )
