"""The `tabel` command: serve the API, migrate the database, generate a demo school."""

import argparse
import asyncio
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import model as m
from demo import DemoLogin, DemoOptions, generate_demo
from demo import credentials as demo_credentials
from demo.accounts import API_TOKENS, demo_api_token
from model.db import make_engine
from plugins.registry import PluginError
from policies.engine import PolicyEngine, PolicyError
from policies.matrix import DOCS, render
from policies.rules import PolicySyntaxError
from server import (
    cli_parser,
    import_command,
    init_command,
    lessons_command,
    report_command,
    token_command,
)
from server.migrate import current, upgrade
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
        parallels=args.parallels,
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

    if args.host is not None:
        settings.host = args.host
    if args.port is not None:
        settings.port = args.port
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
    address = f"http://{settings.host}:{settings.port}/graphql"
    print(f"GraphQL at {address} ({workers} workers)", file=sys.stderr)
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


def run_tests(pytest_args: Sequence[str]) -> NoReturn:
    """`tabel test …`: pytest in the source checkout, as `./tabel test …` runs it."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "tests").is_dir():
        print(
            f"tabel test: error: no test suite beside the installed package ({root})",
            file=sys.stderr,
        )
        raise SystemExit(2)
    os.chdir(root)
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *pytest_args])


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"TABEL_{'_'.join(map(str, problem['loc'])).upper()}: {problem['msg']}"
            for problem in error.errors()
        )
        print(f"tabel: error: the environment: {problems}", file=sys.stderr)
        raise SystemExit(2) from None


def main(argv: Sequence[str] | None = None) -> None:
    parser = cli_parser.build()
    args, rest = parser.parse_known_args(argv)
    if args.command == "test":
        run_tests(rest)  # pytest's own options, passed on as they are
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("casbin").setLevel(logging.WARNING)  # it logs its model at every load
    settings = _settings()
    if args.database_url:
        settings.database_url = args.database_url
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    try:
        _dispatch(settings, args)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        print(f"tabel {args.command}: error: the database: {reason}", file=sys.stderr)
        raise SystemExit(1) from None


def _dispatch(settings: Settings, args: argparse.Namespace) -> None:
    if args.command == "serve":
        serve(settings, args)
    elif args.command == "db" and args.db_action == "current":
        print(current(settings.database_url))
    elif args.command == "db":
        upgrade(settings.database_url, args.revision)
        newest = args.revision == "head"
        print(
            f"Database is at {'the newest schema' if newest else args.revision}.", file=sys.stderr
        )
    elif args.command == "demo" and args.revoke:
        print(demo_credentials.revoke(settings.database_url))
    elif args.command == "demo":
        demo(settings.database_url, args)
    elif args.command == "init":
        print(init_command.run(settings.database_url, args))
    elif args.command == "token":
        print(token_command.run(settings.database_url, args))
    elif args.command == "import":
        print(import_command.run(settings.database_url, args))
    elif args.command == "report":
        print(report_command.run(settings, args))
    elif args.command == "worker":
        from server import worker

        asyncio.run(worker.serve(settings))
    elif args.command == "lessons":
        print(lessons_command.run(settings.database_url, args))
    elif args.command == "policy":
        policy(args.action)
    elif args.command == "schema":
        from schema.build import sdl

        sys.stdout.write(sdl())


if __name__ == "__main__":
    main()
