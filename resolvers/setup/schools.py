"""Opening a school: the school itself and its first admin, whose temporary password is shown
once and must be changed at the first sign-in (R-ACC-1). `tabel init` opens the first school
of a municipality from the server's console; a municipality's operator opens further ones."""

import re
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, select

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.accounts.passwords import new_password_hash
from resolvers.audit import Changed, record_as, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict

LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
# What a temporary password says of itself: only the audit trail's "a password was set".


@dataclass(frozen=True)
class FirstAdmin:
    last_name: str
    first_name: str
    middle_name: str | None
    login: str


@dataclass(frozen=True)
class SchoolParameters:
    name: str
    short_name: str | None = None
    timezone: str = "Europe/Moscow"
    week_length: int = 5
    address: str | None = None


@dataclass(frozen=True)
class OpenedSchool:
    school: m.School
    admin: m.Account
    # Shown only this once; only its hash is stored.
    temporary_password: str


async def _audit(ctx: Context, changes: list[Changed]) -> None:
    """By the caller; by no one at the server's console (`tabel init`)."""
    account = None if ctx.principal is None else ctx.principal.account_id
    await record_as(ctx.db, account, changes)


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


def check_parameters(parameters: SchoolParameters) -> None:
    if not parameters.name.strip():
        raise BadUserInput("The school needs a name.", field="name")
    try:
        ZoneInfo(parameters.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadUserInput(
            f"{parameters.timezone!r} is not a time zone: name it as Europe/Moscow or "
            "Asia/Yekaterinburg are named.",
            field="timezone",
        ) from None
    if parameters.week_length not in (5, 6):
        raise BadUserInput("A school week has 5 or 6 days.", field="weekLength")


def check_admin(admin: FirstAdmin) -> None:
    if not admin.last_name.strip() or not admin.first_name.strip():
        raise BadUserInput("The admin needs a last and a first name.", field="admin")
    if not LOGIN.fullmatch(admin.login):
        raise BadUserInput(
            f"{admin.login!r} cannot be a login: 2 to 64 lower-case Latin letters, digits, "
            "dots, hyphens or underscores, starting with a letter or digit.",
            field="login",
        )


async def open_school(
    ctx: Context, municipality_id: int, parameters: SchoolParameters, admin: FirstAdmin
) -> OpenedSchool:
    """The school and its admin, audited, in the caller's transaction. With a principal (the
    operator in the API) the policies decide whether they may open a school there; without one
    it is `tabel init` at the server's console."""
    check_parameters(parameters)
    check_admin(admin)
    name = parameters.name.strip()
    municipality = await ctx.db.scalar(
        select(m.Municipality).where(m.Municipality.id == municipality_id)
    )
    if municipality is None:
        raise BadUserInput("No such municipality.", field="municipalityId")
    same_name = await ctx.db.scalar(
        select(func.count())
        .select_from(m.School)
        .where(m.School.municipality_id == municipality_id, m.School.name == name)
    )
    if same_name:
        raise Conflict(f"{municipality.name} has a school named «{name}» already.", field="name")
    await require_free_login(ctx, admin.login)
    values: dict[str, Any] = {
        "municipality_id": municipality_id,
        "name": name,
        "short_name": (parameters.short_name or name).strip()[: m.School.short_name.type.length],
        "timezone": parameters.timezone,
        "week_length": parameters.week_length,
        "address": parameters.address,
    }
    if ctx.principal is None:
        school = (
            await ctx.db.execute(insert(m.School).values(values).returning(m.School))
        ).scalar_one()
        await _audit(ctx, [Changed(school.id, m.School, school.id, None, snapshot(school))])
    else:
        message = "Only an operator of the municipality opens its schools."
        [school] = await records.create(
            ctx, Resource.MUNICIPALITY, m.School, [values], message=message
        )
    account, password = await _first_admin(ctx, school, municipality.region_id, admin)
    return OpenedSchool(school=school, admin=account, temporary_password=password)


async def _first_admin(
    ctx: Context, school: m.School, region_id: int, admin: FirstAdmin
) -> tuple[m.Account, str]:
    person, account, password = await new_person_with_account(ctx, school.id, region_id, admin)
    role = (
        await ctx.db.execute(
            insert(m.SchoolRole)
            .values(person_id=person.id, school_id=school.id, role=m.Role.ADMIN.value)
            .returning(m.SchoolRole)
        )
    ).scalar_one()
    await _audit(ctx, [Changed(school.id, m.SchoolRole, role.id, None, snapshot(role))])
    return account, password


async def require_free_login(ctx: Context, login: str) -> None:
    taken = await ctx.db.scalar(
        select(func.count()).select_from(m.Account).where(m.Account.login == login)
    )
    if taken:
        raise Conflict(f"The login {login!r} is taken already.", field="login")


async def new_person_with_account(
    ctx: Context, school_id: int, region_id: int, who: FirstAdmin
) -> tuple[m.Person, m.Account, str]:
    """A person who signs in with a temporary password, audited in the school's trail."""
    password = temporary_password()
    password_hash = await new_password_hash(password)
    person = (
        await ctx.db.execute(
            insert(m.Person)
            .values(
                region_id=region_id,
                last_name=who.last_name.strip(),
                first_name=who.first_name.strip(),
                middle_name=(who.middle_name or "").strip() or None,
            )
            .returning(m.Person)
        )
    ).scalar_one()
    account = (
        await ctx.db.execute(
            insert(m.Account)
            .values(
                person_id=person.id,
                login=who.login,
                password_hash=password_hash,
                must_change_password=True,
            )
            .returning(m.Account)
        )
    ).scalar_one()
    await _audit(
        ctx,
        [
            Changed(school_id, m.Person, person.id, None, snapshot(person)),
            Changed(school_id, m.Account, account.id, None, snapshot(account)),
        ],
    )
    return person, account, password
