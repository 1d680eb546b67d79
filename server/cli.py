"""The `tabel` command: serve the API, migrate the database, generate a demo school."""

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

import model as m
from demo import DemoLogin, DemoOptions, generate_demo
from demo import credentials as demo_credentials
from demo.accounts import API_TOKENS, demo_api_token
from model.db import make_engine
from plugins.registry import PluginError
from policies.engine import PolicyEngine, PolicyError
from policies.matrix import DOCS, render
from policies.rules import PolicySyntaxError
from server import token_command
from server.migrate import upgrade
from server.settings import Settings

DEMO_LOGINS = (
    "logins: admin, head, deputy, teacher, class_teacher, psychologist, student, parent"
    " (password: demo); API tokens: tbl_demo.inspector, tbl_demo.integrator"
)


def _progress(stage: str, done: int, total: int) -> None:
    if not sys.stderr.isatty() and done < total:
        return  # a log file gets one line per stage
    width = 30
    filled = width * done // max(total, 1)
    bar = "█" * filled + "·" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r  {stage:<12} {bar} {done}/{total}", end=end, file=sys.stderr, flush=True)


async def _generate(url: str, options: DemoOptions) -> list[DemoLogin]:
    engine = make_engine(url)
    try:
        return list(await generate_demo(engine, options, _progress))
    finally:
        await engine.dispose()


async def _has_schools(url: str) -> bool:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return bool(await connection.scalar(select(func.count()).select_from(m.School)))
    finally:
        await engine.dispose()


def demo(url: str, args: argparse.Namespace) -> None:
    upgrade(url)
    options = DemoOptions(
        seed=args.seed,
        schools=args.schools,
        students_per_class=args.students_per_class,
        classes_per_parallel=args.classes_per_parallel,
        teachers=args.teachers,
        today=args.today,
    )
    started = time.perf_counter()
    logins = asyncio.run(_generate(url, options))
    print(f"Demo data generated in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    print("Demo logins (password in the last column):")
    for login in logins:
        print(f"  {login.role:<14} {login.login:<16} {login.person_name:<40} {login.password}")
    prefixes = sorted({login.login.removesuffix(login.role) for login in logins})
    print("Demo API tokens (send as `Authorization: Bearer <token>`):")
    for prefix in prefixes:
        for kind, role, name, _ in API_TOKENS:
            print(f"  {kind.value:<14} {demo_api_token(prefix, role):<32} {name}")
    print(
        "These sign-ins are published: a production `tabel serve` refuses to start while they "
        "work; `tabel demo --revoke` ends them.",
        file=sys.stderr,
    )


def serve(settings: Settings, args: argparse.Namespace) -> None:
    from server import serving

    settings.host, settings.port = args.host, args.port
    if args.workers is not None:
        settings.workers = args.workers
    if args.demo:
        settings.development = True
        settings.field_suggestions = True
        settings.anonymous_introspection = True
        upgrade(settings.database_url)
        if asyncio.run(_has_schools(settings.database_url)):
            print(f"Demo school in {settings.database_url}; {DEMO_LOGINS}", file=sys.stderr)
        else:
            print("First start: generating the demo school…", file=sys.stderr)
            demo(settings.database_url, args)
    elif not settings.allow_demo_credentials:
        refusal = demo_credentials.serving_refusal(settings.database_url)
        if refusal is not None:
            sys.exit(refusal)
    workers = serving.worker_count(settings)
    print(f"GraphQL at http://{args.host}:{args.port}/graphql ({workers} workers)", file=sys.stderr)
    serving.run(settings)


def policy(action: str) -> None:
    try:
        engine = PolicyEngine()
    except (PolicyError, PluginError, PolicySyntaxError) as error:
        sys.exit("policy check failed:\n  " + str(error).replace("; ", "\n  "))
    if action == "docs":
        DOCS.parent.mkdir(exist_ok=True)
        DOCS.write_text(render(engine))
        print(f"wrote {DOCS}", file=sys.stderr)
        return
    conditions = len(engine.registry.conditions)
    print(f"{len(engine.rules)} rules, {len(engine.roles)} roles, {conditions} conditions: OK")


def _parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tabel", description=__doc__)
    parser.add_argument("--database-url", default=None, help="overrides TABEL_DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve the GraphQL API")
    serve_parser.add_argument("--demo", action="store_true", help="GraphiQL, and a demo school")
    serve_parser.add_argument("--host", default=settings.host)
    serve_parser.add_argument("--port", type=int, default=settings.port)
    serve_parser.add_argument(
        "--workers", type=int, default=None, help="processes (default: one per CPU; SQLite: 1)"
    )

    db_parser = commands.add_parser("db", help="database schema")
    db_parser.add_argument("action", choices=["upgrade"])

    policy_parser = commands.add_parser("policy", help="the permission policies")
    policy_parser.add_argument(
        "action", choices=["check", "docs"], help="check the CSVs, or write docs/permissions.md"
    )

    token_command.add_parser(commands)

    demo_parser = commands.add_parser("demo", help="generate demo schools")
    demo_parser.add_argument(
        "--revoke",
        action="store_true",
        help="instead: disable the demo accounts and revoke the demo API tokens",
    )
    commands.add_parser("schema", help="print the GraphQL SDL")
    for sub in (serve_parser, demo_parser):
        sub.add_argument("--seed", type=int, default=2026)
        sub.add_argument("--schools", type=int, default=1)
        sub.add_argument("--students-per-class", type=int, default=30)
        sub.add_argument("--classes-per-parallel", type=int, default=3)
        sub.add_argument("--teachers", type=int, default=60)
        sub.add_argument("--today", type=date.fromisoformat, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("casbin").setLevel(logging.WARNING)  # it logs its model at every load
    settings = Settings()
    args = _parser(settings).parse_args(argv)
    if args.database_url:
        settings.database_url = args.database_url
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    if args.command == "serve":
        serve(settings, args)
    elif args.command == "db":
        upgrade(settings.database_url)
        print("Database is at the newest schema.", file=sys.stderr)
    elif args.command == "demo" and args.revoke:
        print(demo_credentials.revoke(settings.database_url))
    elif args.command == "demo":
        demo(settings.database_url, args)
    elif args.command == "token":
        print(token_command.run(settings.database_url, args))
    elif args.command == "policy":
        policy(args.action)
    elif args.command == "schema":
        from schema.build import sdl

        sys.stdout.write(sdl())


if __name__ == "__main__":
    main()
