"""The operator's `tabel token` command: a municipality-wide inspector token, then revoked."""

import argparse
import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server import token_command
from tests.client import GraphQLClient


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    token_command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["token", *argv])


async def test_operator_issues_a_municipality_token_and_revokes_it(
    database_url: str, engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a generated school in a municipality
    async with engine.connect() as connection:
        municipality = (await connection.execute(text("SELECT min(id) FROM municipality"))).scalar()
        grades = (await connection.execute(text("SELECT count(*) FROM grade"))).scalar()
    # when the operator issues an inspector token for the whole municipality
    issue = _args("issue", "--kind", "inspector", "--name", "Районная проверка",
                  "--municipality", str(municipality))  # fmt: skip
    printed = await asyncio.to_thread(token_command.run, database_url, issue)
    token_id, token = printed.split()[1].rstrip(","), printed.splitlines()[-1]
    # then it reads every journal there, read-only
    reply = await api("{ grades { totalCount } me { kind readOnly } }", token=token)
    assert reply.data == {
        "grades": {"totalCount": grades},
        "me": {"kind": "INSPECTOR", "readOnly": True},
    }
    # and once revoked, it is refused
    await asyncio.to_thread(token_command.run, database_url, _args("revoke", token_id))
    assert (await api("{ me { kind } }", token=token)).error_code == "UNAUTHENTICATED"
