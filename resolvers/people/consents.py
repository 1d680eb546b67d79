"""Consents to the processing of a person's data (152-FZ, R-PD-1): recorded before their data
is entered, by the school's admin or the class teacher of the person's (or their child's) class,
and withdrawn. A withdrawal keeps the data (as the law requires it kept) but hides it from
everyone but the admin and the person, and the person is no longer contacted or notified
(`personal_data.may_contact`)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import exists, insert, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.write_checks import require_each

WHO = "Consents are recorded by the school's admin, or by the class teacher of the person's class."


@dataclass(frozen=True)
class ConsentEntry:
    school_id: int
    person_id: int
    given_by_id: int | None  # None: the person themselves
    document: str
    given_at: datetime | None


def _moment(value: datetime | None, name: str) -> datetime:
    now = utc_now()
    if value is None:
        return now
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    if moment > now:
        raise BadUserInput("The date cannot be in the future.", field=name)
    return moment.astimezone(UTC)


async def consent_record(ctx: Context, entry: ConsentEntry) -> m.Consent:
    document = entry.document.strip()
    if not document:
        raise BadUserInput("Name the signed document (its title and number).", field="document")
    given_at = _moment(entry.given_at, "givenAt")
    in_school = await ctx.db.scalar(
        select(m.Person.id).where(
            m.Person.id == entry.person_id,
            ctx.loaders.readable(m.Person),
            exists().where(
                m.SchoolRole.person_id == m.Person.id, m.SchoolRole.school_id == entry.school_id
            ),
        )
    )
    if in_school is None or entry.school_id not in ctx.require_principal().school_ids:
        raise NotFound("No such person in the school, or they are not visible to you.")
    await require_each(
        ctx, Resource.CONSENT, m.Person, {entry.person_id: 0}, existing=False, message=WHO
    )
    given_by = entry.given_by_id or entry.person_id
    if given_by != entry.person_id:
        parent = await ctx.db.scalar(
            select(m.Guardianship.id).where(
                m.Guardianship.parent_id == given_by, m.Guardianship.child_id == entry.person_id
            )
        )
        if parent is None:
            raise BadUserInput(
                "A consent is given by the person or by their parent or legal guardian "
                "(linked to them in the school).",
                field="givenById",
            )
    row: m.Consent = (
        await ctx.db.execute(
            insert(m.Consent)
            .values(
                person_id=entry.person_id,
                school_id=entry.school_id,
                given_by_id=given_by,
                given_at=given_at,
                document=document,
            )
            .returning(m.Consent)
        )
    ).scalar_one()
    await record(ctx, [Changed(entry.school_id, m.Consent, row.id, None, snapshot(row))])
    return row


async def consent_withdraw(
    ctx: Context, consent_id: int, reason: str, withdrawn_at: datetime | None
) -> m.Consent:
    reason = reason.strip()
    if not reason:
        raise BadUserInput("Say why it is withdrawn (the person's statement).", field="reason")
    found = await ctx.db.scalar(
        select(m.Consent).where(m.Consent.id == consent_id, ctx.loaders.readable(m.Consent))
    )
    if found is None:
        raise NotFound("No such consent, or it is not visible to you.")
    await require_each(ctx, Resource.CONSENT, m.Consent, {found.id: 0}, existing=True, message=WHO)
    if found.withdrawn_at is not None:
        raise BadUserInput("The consent is withdrawn already.", field="consentId")
    moment = _moment(withdrawn_at, "withdrawnAt")
    given = found.given_at if found.given_at.tzinfo else found.given_at.replace(tzinfo=UTC)
    if moment < given:
        raise BadUserInput("A consent is withdrawn after it was given.", field="withdrawnAt")
    before = snapshot(found)
    await ctx.db.write(
        update(m.Consent)
        .where(m.Consent.id == found.id)
        .values(withdrawn_at=moment, withdrawal_reason=reason)
    )
    row = await ctx.db.reload(m.Consent, found.id)
    await record(ctx, [Changed(row.school_id, m.Consent, row.id, before, snapshot(row))])
    return row
