"""`tabel init`: the operator who installs tabel opens the first school on an upgraded database:
its region, municipality and school, and the school's first admin, whose temporary password is
printed once and must be changed at the first sign-in. Run again with another school's name
it opens another school of the same (or another) municipality; never the same school twice."""

import argparse
import asyncio
import sys
from dataclasses import dataclass, field
from typing import TypeVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.db import make_engine, make_sessionmaker
from policies.engine import PolicyEngine
from resolvers.audit import Changed, record_as, snapshot
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.setup.schools import (
    FirstAdmin,
    SchoolParameters,
    check_admin,
    new_person_with_account,
    open_school,
)
from server.migrate import alembic_config

P = TypeVar("P", bound=argparse.ArgumentParser)
OPERATOR = "operator"  # the municipality's role in policies/reference.csv


@dataclass(frozen=True)
class InitOptions:
    region: str = "Регион"
    municipality: str = "Муниципальный округ"
    school: SchoolParameters = field(default_factory=lambda: SchoolParameters(name="Школа"))
    admin: FirstAdmin = field(
        default_factory=lambda: FirstAdmin("Администратор", "Школы", None, "admin")
    )
    # A municipality's operator, who opens its further schools in the API; none by default.
    operator: FirstAdmin | None = None


@dataclass(frozen=True)
class SignIn:
    login: str
    temporary_password: str


@dataclass(frozen=True)
class Initialised:
    school_id: int
    municipality_id: int
    admin: SignIn
    operator: SignIn | None


class NotUpgraded(Exception):
    """The database is not at the newest schema: `tabel db upgrade` first."""


async def _require_newest(engine: AsyncEngine, url: str) -> None:
    newest = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    async with engine.connect() as connection:
        heads = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    if heads != (newest,):
        raise NotUpgraded("the database is not at the newest schema: run `tabel db upgrade` first")


Made = list[tuple[type[m.Base], m.Region | m.Municipality]]


async def _region_and_municipality(ctx: Context, options: InitOptions) -> tuple[int, int, Made]:
    """Found by name, or made (audited once the school they are above is there)."""
    made: Made = []
    region = await ctx.db.scalar(select(m.Region).where(m.Region.name == options.region))
    if region is None:
        region = (
            await ctx.db.execute(insert(m.Region).values(name=options.region).returning(m.Region))
        ).scalar_one()
        made.append((m.Region, region))
    municipality = await ctx.db.scalar(
        select(m.Municipality).where(
            m.Municipality.region_id == region.id, m.Municipality.name == options.municipality
        )
    )
    if municipality is None:
        municipality = (
            await ctx.db.execute(
                insert(m.Municipality)
                .values(region_id=region.id, name=options.municipality)
                .returning(m.Municipality)
            )
        ).scalar_one()
        made.append((m.Municipality, municipality))
    return region.id, municipality.id, made


async def initialise(engine: AsyncEngine, url: str, options: InitOptions) -> Initialised:
    """Everything `tabel init` does, in one transaction: nothing is left when it refuses."""
    await _require_newest(engine, url)
    if options.operator is not None:
        check_admin(options.operator)
    async with make_sessionmaker(engine)() as session:
        db = Database(session)
        await db.begin_writing()
        ctx = Context(db=db, policy=PolicyEngine())
        region_id, municipality_id, above = await _region_and_municipality(ctx, options)
        opened = await open_school(ctx, municipality_id, options.school, options.admin)
        school_id = opened.school.id
        await record_as(
            db,
            None,
            [Changed(school_id, entity, row.id, None, snapshot(row)) for entity, row in above],
        )
        operator = None
        if options.operator is not None:
            person, account, password = await new_person_with_account(
                ctx, school_id, region_id, options.operator
            )
            held = (
                await db.execute(
                    insert(m.MunicipalityRole)
                    .values(person_id=person.id, municipality_id=municipality_id, role=OPERATOR)
                    .returning(m.MunicipalityRole)
                )
            ).scalar_one()
            await record_as(
                db, None, [Changed(school_id, m.MunicipalityRole, held.id, None, snapshot(held))]
            )
            operator = SignIn(account.login, password)
        await db.commit()
    return Initialised(
        school_id=school_id,
        municipality_id=municipality_id,
        admin=SignIn(opened.admin.login, opened.temporary_password),
        operator=operator,
    )


def _name(text: str) -> tuple[str, str, str | None]:
    parts = text.split()
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a name as LAST FIRST [MIDDLE], e.g. "Иванова Мария Петровна"'
        )
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def _login(text: str) -> str:
    return text.strip().lower()


EPILOG = """\
It prints the school's ID (as the API writes it) and each sign-in's temporary password, shown
only this once: at the first sign-in the API asks for a new one (passwordChange) before anything
else. The admin then sets the school up in the API (schoolSetup says what is still missing).

examples:
  tabel db upgrade && tabel init --school "МБОУ СОШ № 5" --short-name "Школа № 5" \\
      --region "Свердловская область" --municipality "г. Екатеринбург" \\
      --timezone Asia/Yekaterinburg --admin-login ivanova --admin-name "Иванова Мария Петровна"
  tabel init --school "МБОУ СОШ № 7" --municipality "г. Екатеринбург" \\
      --region "Свердловская область" --admin-login petrov --operator-login ekb.operator"""


def add_parser(commands: "argparse._SubParsersAction[P]") -> None:
    defaults = InitOptions()
    parser = commands.add_parser(
        "init",
        help="open a school on an upgraded database, with its first admin's sign-in",
        description="Opens a school on a database that `tabel db upgrade` brought to the newest\n"
        "schema: its region and municipality (found by name, or made), the school, and its\n"
        "first admin with a temporary password; optionally the municipality's operator, who\n"
        "opens its further schools in the API (schoolCreate). All or nothing, audited with no\n"
        "one as the actor. The same school (a name its municipality has) is refused.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--region", default=defaults.region, help=f"the region (default: {defaults.region})"
    )
    parser.add_argument(
        "--municipality",
        default=defaults.municipality,
        help=f"the municipality, in the region (default: {defaults.municipality})",
    )
    parser.add_argument(
        "--school",
        default=defaults.school.name,
        metavar="NAME",
        help=f"the school's full name (default: {defaults.school.name})",
    )
    parser.add_argument(
        "--short-name", metavar="NAME", help="the school's short name (default: its name)"
    )
    parser.add_argument(
        "--timezone",
        default=defaults.school.timezone,
        metavar="ZONE",
        help="the school's IANA time zone: its deadlines are its own time (default:"
        f" {defaults.school.timezone})",
    )
    parser.add_argument(
        "--week",
        type=int,
        choices=[5, 6],
        default=defaults.school.week_length,
        help=f"a five- or six-day school week (default: {defaults.school.week_length})",
    )
    parser.add_argument(
        "--admin-login",
        type=_login,
        default=defaults.admin.login,
        metavar="LOGIN",
        help=f"the first admin's login (default: {defaults.admin.login})",
    )
    admin_name = f"{defaults.admin.last_name} {defaults.admin.first_name}"
    parser.add_argument(
        "--admin-name",
        type=_name,
        metavar='"LAST FIRST [MIDDLE]"',
        help=f"the first admin's name (default: {admin_name})",
    )
    parser.add_argument(
        "--operator-login",
        type=_login,
        metavar="LOGIN",
        help="also a sign-in for the municipality's operator, who opens its further schools"
        " (default: none)",
    )
    parser.add_argument(
        "--operator-name",
        type=_name,
        metavar='"LAST FIRST [MIDDLE]"',
        help="the operator's name (default: Оператор Муниципалитета)",
    )


def options(args: argparse.Namespace) -> InitOptions:
    defaults = InitOptions()
    last, first, middle = args.admin_name or (
        defaults.admin.last_name,
        defaults.admin.first_name,
        None,
    )
    operator = None
    if args.operator_login:
        o_last, o_first, o_middle = args.operator_name or ("Оператор", "Муниципалитета", None)
        operator = FirstAdmin(o_last, o_first, o_middle, args.operator_login)
    return InitOptions(
        region=args.region.strip(),
        municipality=args.municipality.strip(),
        school=SchoolParameters(
            name=args.school,
            short_name=args.short_name,
            timezone=args.timezone,
            week_length=args.week,
        ),
        admin=FirstAdmin(last, first, middle, args.admin_login),
        operator=operator,
    )


def report(done: Initialised, options: InitOptions) -> str:
    school = relay.to_base64("School", done.school_id)
    lines = [
        f"opened school {school} «{options.school.name.strip()}» in {options.municipality},"
        f" {options.region}",
        "temporary passwords, shown only this once (changed at the first sign-in):",
        f"  admin     {done.admin.login}  {done.admin.temporary_password}",
    ]
    if done.operator is not None:
        lines.append(f"  operator  {done.operator.login}  {done.operator.temporary_password}")
    return "\n".join(lines)


async def _run(url: str, chosen: InitOptions) -> Initialised:
    engine = make_engine(url)
    try:
        return await initialise(engine, url, chosen)
    finally:
        await engine.dispose()


def run(url: str, args: argparse.Namespace) -> str:
    """What to print; a refusal (the same school again, a login taken) is one line, exit 2."""
    chosen = options(args)
    try:
        return report(asyncio.run(_run(url, chosen)), chosen)
    except TabelError as error:
        print(f"tabel init: error: {error.message}", file=sys.stderr)
        raise SystemExit(2) from error
    except NotUpgraded as error:
        print(f"tabel init: error: {error}", file=sys.stderr)
        raise SystemExit(2) from error
