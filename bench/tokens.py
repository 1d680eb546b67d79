"""Sign-in tokens for the benchmark's clients, written straight into its own database.

The well-behaved client and the 200 load clients need real tokens of real accounts, but
signing them in through `login` would run 200 Argon2 checks and, after the login flood, meet
the sign-in throttle of 127.0.0.1 — which is the defence being measured, not the clients'
business. So the bench writes login tokens as `login` would (the SHA-256 digest of a random
token, 12 hours), and lets the accounts it uses skip the first-login password change.
"""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from resolvers.accounts.sign_in import TOKEN_PREFIX, token_digest


def sessions(connection: psycopg.Connection[Any], account_ids: list[int]) -> list[str]:
    """A fresh login token per entry of `account_ids` (an account listed twice signs in twice,
    as one person on two devices, or each client of the load as a person of its own)."""
    now = datetime.now(UTC)
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in account_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE account SET must_change_password = false WHERE id = ANY(%s)",
            [sorted(set(account_ids))],
        )
        cursor.executemany(
            "INSERT INTO auth_token (digest, kind, account_id, created_at, expires_at)"
            " VALUES (%s, 'login', %s, %s, %s)",
            [
                (token_digest(token), account, now, now + timedelta(hours=12))
                for account, token in zip(account_ids, tokens, strict=True)
            ],
        )
    connection.commit()
    return tokens


def issue(connection: psycopg.Connection[Any], account_ids: list[int]) -> dict[int, str]:
    """A fresh login token per account id."""
    unique = sorted(set(account_ids))
    return dict(zip(unique, sessions(connection, unique), strict=True))


def by_login(connection: psycopg.Connection[Any], logins: list[str]) -> dict[str, str]:
    """A fresh login token per login name (e.g. the demo's `admin`, `teacher`)."""
    ids = account_ids(connection, logins)
    tokens = issue(connection, list(ids.values()))
    return {login: tokens[account] for login, account in ids.items()}


def account_ids(connection: psycopg.Connection[Any], logins: list[str]) -> dict[str, int]:
    rows = connection.execute(
        "SELECT login, id FROM account WHERE login = ANY(%s)", [logins]
    ).fetchall()
    ids: dict[str, int] = dict(rows)
    missing = sorted(set(logins) - set(ids))
    if missing:
        raise RuntimeError(f"no accounts {missing} in the bench database")
    return ids
