"""Issuing logins and temporary passwords (R-ACC-1; А #5, #22; Г.1 #1, #5), resetting them,
blocking and unblocking accounts.

The admin issues them for the school's people, the class teacher for their class's students and
parents (policies/people.csv, `account write`): to one person, to a list, or in bulk — a
class's students, those students' parents, the school's staff — in the same few statements
whatever their number. The temporary password is in the answer only, once; it must be changed
at the first sign-in. Every account written goes to the school's trail, its hash never."""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Exists, Select, delete, exists, insert, or_, select, update

import model as m
from model.base import utc_now
from plugins.staff import STAFF_ROLES
from policies.vocabulary import Resource
from policies.writes import Verdict, WriteProbe
from resolvers.accounts.logins import free_logins, login_base, temporary_password
from resolvers.accounts.passwords import temporary_password_hashes
from resolvers.accounts.revocation import revoke_access
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.names import short_name
from resolvers.people.role_writes import visible_school
from resolvers.write_checks import refuse_unless, require_each

# A class with its parents, or a school's staff; their temporary passwords hashed ~2 ms each.
MAX_ACCOUNTS = 200
WHO_WRITES = "The school's admin, or the class teacher for their class's students and parents."


class Holders(enum.StrEnum):
    CLASS_STUDENTS = "class_students"
    CLASS_PARENTS = "class_parents"
    STAFF = "staff"


@dataclass(frozen=True)
class Selection:
    """Whose accounts: people by id, and whole groups (a class's needs `class_id`)."""

    person_ids: Sequence[int] = ()
    class_id: int | None = None
    holders: frozenset[Holders] = field(default_factory=frozenset)


@dataclass(frozen=True)
class IssuedAccount:
    person: m.Person
    account: m.Account
    temporary_password: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class Issued:
    """The accounts given temporary passwords in one request, by name, and their school."""

    school: m.School
    accounts: list[IssuedAccount]


def _in_school(school_id: int) -> Exists:
    return exists().where(
        m.SchoolRole.person_id == m.Person.id, m.SchoolRole.school_id == school_id
    )


async def _selected(
    ctx: Context, school: m.School, selection: Selection
) -> list[tuple[m.Person, m.Account | None]]:
    """The people selected who are in the school, with their accounts, in one statement (two
    with a class to check), by name."""
    wanted = []
    if selection.person_ids:
        wanted.append(m.Person.id.in_(list(selection.person_ids)))
    class_holders = selection.holders & {Holders.CLASS_STUDENTS, Holders.CLASS_PARENTS}
    if class_holders:
        if selection.class_id is None:
            raise BadUserInput("Name the class whose people to select.", argument="classId")
        found = await ctx.db.scalar(
            select(m.SchoolClass.id).where(
                m.SchoolClass.id == selection.class_id,
                m.SchoolClass.school_id == school.id,
                ctx.loaders.readable(m.SchoolClass),
            )
        )
        if found is None:
            raise NotFound("No such class in the school, or it is not visible to you.")
        today = ctx.require_principal().scope(school.id).today
        students: Select[Any] = select(m.ClassStudent.student_id).where(
            m.ClassStudent.school_class_id == selection.class_id,
            or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= today),
        )
        if Holders.CLASS_STUDENTS in class_holders:
            wanted.append(m.Person.id.in_(students))
        if Holders.CLASS_PARENTS in class_holders:
            parents = select(m.Guardianship.parent_id).where(m.Guardianship.child_id.in_(students))
            wanted.append(m.Person.id.in_(parents))
    if Holders.STAFF in selection.holders:
        staff = select(m.SchoolRole.person_id).where(
            m.SchoolRole.school_id == school.id,
            m.SchoolRole.role.in_([role.value for role in STAFF_ROLES]),
        )
        wanted.append(m.Person.id.in_(staff))
    if not wanted:
        raise BadUserInput("Select at least one person.", argument="input")
    rows = await ctx.db.rows(
        select(m.Person, m.Account)
        .outerjoin(m.Account, m.Account.person_id == m.Person.id)
        .where(or_(*wanted), _in_school(school.id))
        .order_by(m.Person.last_name, m.Person.first_name, m.Person.middle_name, m.Person.id)
    )
    selected = [(row[0], row[1]) for row in rows]
    found_ids = {person.id for person, _ in selected}
    for item, person_id in enumerate(selection.person_ids):
        if person_id not in found_ids:
            raise BadUserInput("No such person in the school.", field="personIds", item=item)
    if len(selected) > MAX_ACCOUNTS:
        raise BadUserInput(
            f"At most {MAX_ACCOUNTS} accounts at once: select fewer people.", argument="input"
        )
    return selected


async def accounts_issue(ctx: Context, school_id: int, selection: Selection) -> Issued:
    """Accounts for the selected people who have none, all or nothing, by name. A person named
    by id who has one already, or whose account the caller may not write, is refused
    (`accountsReset` gives a new password); selected by a group only, they are passed over
    (a class's parent who is on a school's staff, for the class teacher)."""
    school = await visible_school(ctx, school_id)
    selected = await _selected(ctx, school, selection)
    named = {person_id: item for item, person_id in enumerate(selection.person_ids)}
    for person, account in selected:
        if account is not None and person.id in named:
            raise BadUserInput(
                f"{short_name(person)} has the login {account.login} already: reset its "
                "password instead.",
                field="personIds",
                item=named[person.id],
            )
    people = [person for person, account in selected if account is None]
    if not people:
        return Issued(school, [])
    bases = [login_base(p.last_name, p.first_name, p.middle_name) for p in people]
    logins = await free_logins(ctx.db, bases)
    passwords = [temporary_password() for _ in people]
    hashes = await temporary_password_hashes(passwords)
    # In one statement, in no promised order (SQLite is sent a row at a time when asked to
    # keep it): each account is matched to its person by `person_id`.
    inserted = {
        account.person_id: account
        for account in (
            await ctx.db.execute(
                insert(m.Account).returning(m.Account),
                [
                    {
                        "person_id": person.id,
                        "login": login,
                        "password_hash": password_hash,
                        "must_change_password": True,
                    }
                    for person, login, password_hash in zip(people, logins, hashes, strict=True)
                ],
            )
        ).scalars()
    }
    accounts = [inserted[person.id] for person in people]
    refused = await _refused(ctx, accounts)
    for account in accounts:
        if account.id in refused and account.person_id in named:
            refuse_unless(
                refused[account.id], WHO_WRITES, field="personIds", item=named[account.person_id]
            )
    if refused and len(refused) == len(accounts):  # nobody selected is the caller's to issue
        refuse_unless(next(iter(refused.values())), WHO_WRITES)
    if refused:
        # Selected by a group only: passed over, as those with a login are.
        await ctx.db.execute(delete(m.Account).where(m.Account.id.in_(list(refused))))
    kept = [
        IssuedAccount(person, account, password)
        for person, account, password in zip(people, accounts, passwords, strict=True)
        if account.id not in refused
    ]
    await record(
        ctx, [Changed(school.id, m.Account, i.account.id, None, snapshot(i.account)) for i in kept]
    )
    return Issued(school, kept)


async def _refused(ctx: Context, accounts: list[m.Account]) -> dict[int, Verdict]:
    """The accounts the caller may not write, by id, with why: one statement for all."""
    probe = WriteProbe(ctx.policy, ctx.require_principal(), Resource.ACCOUNT, m.Account)
    verdicts = [
        (flags[0], probe.verdict(flags, existing=False))
        for flags in await ctx.db.rows(probe.statement([account.id for account in accounts]))
    ]
    return {account_id: verdict for account_id, verdict in verdicts if not verdict.allowed}


async def _accounts_of(
    ctx: Context, school_id: int, person_ids: Sequence[int]
) -> tuple[m.School, list[tuple[m.Person, m.Account]]]:
    """The accounts of the people named, each of whom must have one; the caller must be
    allowed to write each of them."""
    school = await visible_school(ctx, school_id)
    selected = await _selected(ctx, school, Selection(person_ids=person_ids))
    named = {person_id: item for item, person_id in enumerate(person_ids)}
    held = []
    for person, account in selected:
        if account is None:
            raise BadUserInput(
                f"{short_name(person)} has no login yet: issue one.",
                field="personIds",
                item=named[person.id],
            )
        held.append((person, account))
    items = {account.id: named[person.id] for person, account in held}
    await require_each(ctx, Resource.ACCOUNT, m.Account, items, existing=True, message=WHO_WRITES)
    return school, held


async def accounts_reset(ctx: Context, school_id: int, person_ids: Sequence[int]) -> Issued:
    """A new temporary password for each account, to be changed at the next sign-in; their
    sessions end."""
    school, held = await _accounts_of(ctx, school_id, person_ids)
    before = {account.id: snapshot(account) for _, account in held}
    passwords = [temporary_password() for _ in held]
    # The trail keeps no hash: that the password was set anew is said by the moment it was.
    now = utc_now()
    hashes = await temporary_password_hashes(passwords)
    values = [
        {"id": account.id, "password_hash": password_hash,
         "must_change_password": True, "password_changed_at": now}
        for (_, account), password_hash in zip(held, hashes, strict=True)
    ]  # fmt: skip
    await ctx.db.execute(update(m.Account), values)
    accounts = await _reloaded(ctx, [account.id for _, account in held])
    await revoke_access(ctx.db, ctx.require_principal().account_id, before)
    await record(ctx, _changes(school.id, before, accounts))
    return Issued(
        school,
        [
            IssuedAccount(person, accounts[account.id], password)
            for (person, account), password in zip(held, passwords, strict=True)
        ],
    )


async def accounts_block(
    ctx: Context, school_id: int, person_ids: Sequence[int], *, active: bool
) -> list[m.Account]:
    """Blocks (active False) or unblocks accounts. A blocked account cannot sign in, its
    sessions end at once and the API tokens it issued are revoked."""
    principal = ctx.require_principal()
    school, held = await _accounts_of(ctx, school_id, person_ids)
    if not active and any(account.id == principal.account_id for _, account in held):
        raise BadUserInput("You cannot block your own account.", field="personIds")
    accounts = await set_active(ctx, school.id, [account for _, account in held], active=active)
    return [accounts[account.id] for _, account in held]


async def set_active(
    ctx: Context, school_id: int, held: Sequence[m.Account], *, active: bool
) -> dict[int, m.Account]:
    """The accounts blocked or unblocked, as the caller may (checked before); blocking ends
    their sessions and revokes the API tokens they issued; each change goes to the school's
    trail. Also a compromise's report (`resolvers/accounts/compromise.py`)."""
    before = {account.id: snapshot(account) for account in held}
    await ctx.db.execute(update(m.Account).where(m.Account.id.in_(before)).values(is_active=active))
    accounts = await _reloaded(ctx, list(before))
    if not active:
        await revoke_access(ctx.db, ctx.require_principal().account_id, before)
    await record(ctx, _changes(school_id, before, accounts))
    return accounts


async def _reloaded(ctx: Context, ids: list[int]) -> dict[int, m.Account]:
    rows = await ctx.db.scalars(
        select(m.Account).where(m.Account.id.in_(ids)).execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


def _changes(
    school_id: int, before: dict[int, dict[str, object]], after: dict[int, m.Account]
) -> list[Changed]:
    return [
        Changed(school_id, m.Account, account_id, state, snapshot(after[account_id]))
        for account_id, state in before.items()
        if state != snapshot(after[account_id])
    ]
