"""`tabel token …`: the operator issues and revokes API tokens, municipality-wide ones included.
It takes the IDs the API gives (or their numbers) and prints the token's ID as the API writes it."""

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from strawberry import relay

from model import TokenKind
from model.base import utc_now
from model.db import make_engine, make_sessionmaker
from resolvers.accounts.api_tokens import MAX_LIFETIME, issue_api_token, revoke_api_token
from resolvers.database import Database
from resolvers.errors import BadUserInput, TabelError
from resolvers.pagination import row_id
from schema.base import global_id_parts

# The API's type names, as its global IDs carry them (schema/setup/school.py,
# schema/accounts/api_tokens.py).
SCHOOL, MUNICIPALITY, API_TOKEN = "School", "Municipality", "ApiToken"
DEFAULT_DAYS = 90
P = TypeVar("P", bound=argparse.ArgumentParser)
ISSUE_EPILOG = f"""\
IDs: as the API gives them (a school's `id`, e.g. {relay.to_base64(SCHOOL, 1)}) or their
number (1). The expiry is --expires-at or --days, at most {MAX_LIFETIME.days} days ahead.

examples:
  tabel token issue --kind inspector --name "Районная проверка" \\
      --municipality {relay.to_base64(MUNICIPALITY, 1)} --expires-at 2027-06-01
  tabel token issue --kind integrator --name "Отчёты" --school {relay.to_base64(SCHOOL, 1)} \\
      --school 2 --scope journal:read --scope roster:read --days 30"""


def identifier(type_name: str, what: str) -> Callable[[str], int]:
    """The row number inside a global ID of `type_name` as the API writes it, or a number."""

    def parse(text: str) -> int:
        number = row_id(text)
        if number is not None:
            return number
        try:
            found, number = global_id_parts(text)
        except BadUserInput:
            example = relay.to_base64(type_name, 1)
            raise argparse.ArgumentTypeError(
                f"{text[:100]!r} is not {what}'s ID: give its ID as the API gives it"
                f" (e.g. {example}) or its number (1)"
            ) from None
        if found != type_name:
            raise argparse.ArgumentTypeError(f"{text!r} is the ID of a {found}, not {what}'s")
        return number

    return parse


def expiry(text: str) -> datetime:
    """A date (its midnight, UTC) or a date and time with its offset, in ISO 8601."""
    try:
        if len(text) <= len("2027-06-01"):
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text[:100]!r} is not a date (2027-06-01) nor a date and time with its offset"
            " (2027-06-01T18:00:00+03:00, or Z for UTC), ISO 8601"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone: add its offset ({text}+03:00) or Z for UTC"
        )
    return moment.astimezone(UTC)


def days(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= MAX_LIFETIME.days:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to 366")


def add_parser(commands: "argparse._SubParsersAction[P]") -> None:
    parser = commands.add_parser(
        "token",
        help="issue or revoke an inspector's or an integrator's API token",
        description="API tokens for inspectors (read-only, every journal of their schools) and\n"
        "integrators (the scopes they are given), issued by the operator: for schools, or for\n"
        "every school of a municipality. A school's admin issues them in the API\n"
        "(apiTokenIssue); these are the same tokens.",
        epilog="examples:\n"
        f'  tabel token issue --kind inspector --name "Проверка 2026" --school 1 --days 30\n'
        f"  tabel token revoke {relay.to_base64(API_TOKEN, 7)}",
    )
    actions = parser.add_subparsers(dest="token_action", required=True, metavar="ACTION")
    issue = actions.add_parser(
        "issue",
        help="issue a token and print it (shown only this once)",
        description="Issues an API token and prints its ID (as the API writes it), its expiry\n"
        "and, on the last line, the token itself: send it as `Authorization: Bearer <token>`.\n"
        "It is stored only as a digest and shown only this once.",
        epilog=ISSUE_EPILOG,
    )
    issue.add_argument(
        "--kind",
        choices=["inspector", "integrator"],
        required=True,
        help="inspector: reads every journal of its schools, writes nothing; integrator:"
        " what its scopes allow",
    )
    issue.add_argument(
        "--name", required=True, help="who holds it and why, e.g. the inspection's name"
    )
    issue.add_argument(
        "--school",
        type=identifier(SCHOOL, "a school"),
        action="append",
        default=[],
        metavar="ID",
        help="a school it reads; repeat for more (default: none, then --municipality)",
    )
    issue.add_argument(
        "--municipality",
        type=identifier(MUNICIPALITY, "a municipality"),
        metavar="ID",
        help="every school of this municipality, later ones too (default: none)",
    )
    issue.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="SCOPE",
        help="an integrator's: roster:read, journal:read or reports:read; repeat for more"
        " (default: none, as an inspector's)",
    )
    valid = issue.add_mutually_exclusive_group()
    valid.add_argument(
        "--expires-at",
        type=expiry,
        metavar="WHEN",
        help="when it stops working, ISO 8601: a date (2027-06-01: its midnight, UTC) or a date"
        " and time with its offset (2027-06-01T18:00:00+03:00) (default: --days)",
    )
    valid.add_argument(
        "--days",
        type=days,
        metavar="N",
        help=f"or: valid for N days from now (default: {DEFAULT_DAYS})",
    )
    revoke = actions.add_parser(
        "revoke",
        help="revoke a token: its next request is refused",
        description="Revokes an API token: its next request is refused. Revoking twice is"
        " harmless.",
        epilog=f"example:\n  tabel token revoke {relay.to_base64(API_TOKEN, 7)}    (or: 7)",
    )
    revoke.add_argument(
        "id",
        type=identifier(API_TOKEN, "an API token"),
        metavar="ID",
        help=f"the token's ID as the API gives it (e.g. {relay.to_base64(API_TOKEN, 7)}) or its"
        " number",
    )


def _global_id(number: int) -> str:
    return relay.to_base64(API_TOKEN, number)


async def _run(url: str, args: argparse.Namespace) -> str:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            db = Database(session)
            if args.token_action == "revoke":
                row = await revoke_api_token(db, args.id)
                await session.commit()
                return (
                    f"revoked token {_global_id(row.id)} ({row.name})"
                    f" at {row.revoked_at and row.revoked_at.astimezone(UTC).isoformat()}"
                )
            expires_at = args.expires_at or utc_now() + timedelta(days=args.days or DEFAULT_DAYS)
            issued = await issue_api_token(
                db,
                kind=TokenKind(args.kind),
                name=args.name,
                school_ids=args.school,
                municipality_id=args.municipality,
                scopes=args.scope,
                expires_at=expires_at,
                issued_by_account_id=None,
            )
            await session.commit()
            row = issued.api_token
            return (
                f"token {_global_id(row.id)}, valid until"
                f" {row.expires_at.astimezone(UTC).isoformat()}:\n{issued.token}"
            )
    finally:
        await engine.dispose()


def run(url: str, args: argparse.Namespace) -> str:
    """What to print; a refusal (no such school, an expiry too far) is one line and exit 2."""
    try:
        return asyncio.run(_run(url, args))
    except TabelError as error:
        print(f"tabel token {args.token_action}: error: {error.message}", file=sys.stderr)
        raise SystemExit(2) from error
