"""`tabel token …`: the operator issues and revokes API tokens, municipality-wide ones included."""

import argparse
import asyncio
from datetime import timedelta

from model import TokenKind
from model.base import utc_now
from model.db import make_engine, make_sessionmaker
from resolvers.api_tokens import issue_api_token, revoke_api_token
from resolvers.database import Database
from resolvers.errors import TabelError


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "token", help="issue or revoke an inspector's or integrator's token"
    )
    actions = parser.add_subparsers(dest="token_action", required=True)
    issue = actions.add_parser("issue", help="print a new token (shown once)")
    issue.add_argument("--kind", choices=["inspector", "integrator"], required=True)
    issue.add_argument("--name", required=True, help="who holds it, e.g. the inspection's name")
    issue.add_argument("--school", type=int, action="append", default=[], help="school id")
    issue.add_argument("--municipality", type=int, help="every school of a municipality (id)")
    issue.add_argument("--scope", action="append", default=[], help="integrator: journal:read…")
    issue.add_argument("--days", type=int, default=90, help="valid for this many days")
    revoke = actions.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id", type=int)


async def _run(url: str, args: argparse.Namespace) -> str:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            db = Database(session)
            if args.token_action == "revoke":
                row = await revoke_api_token(db, args.id)
                await session.commit()
                return f"revoked token {row.id} ({row.name}) at {row.revoked_at}"
            issued = await issue_api_token(
                db,
                kind=TokenKind(args.kind),
                name=args.name,
                school_ids=args.school,
                municipality_id=args.municipality,
                scopes=args.scope,
                expires_at=utc_now() + timedelta(days=args.days),
                issued_by_account_id=None,
            )
            await session.commit()
            row = issued.api_token
            return f"token {row.id}, valid until {row.expires_at:%Y-%m-%d}:\n{issued.token}"
    finally:
        await engine.dispose()


def run(url: str, args: argparse.Namespace) -> str:
    try:
        return asyncio.run(_run(url, args))
    except TabelError as error:
        raise SystemExit(f"refused: {error.message}") from error
