"""API tokens for inspectors and integrators: issuing, revoking, and the inspectors' query log.

Issuing and revoking go to the audit trail of every school the token reaches (its head and
admin follow who may read their journal): the token as issued and revoked, never the token
itself nor its digest (`resolvers/audit.py` keeps secrets out), and each school it lists."""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, insert, select

import model as m
from model.base import utc_now
from policies.principal import INTEGRATOR_SCOPES, Principal
from policies.vocabulary import Action
from resolvers.accounts.sign_in import TOKEN_PREFIX, token_digest
from resolvers.audit import Changed, record_as, snapshot
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.notifications import live
from resolvers.people import personal_data_log

API_TOKEN_KINDS = frozenset({m.TokenKind.INSPECTOR, m.TokenKind.INTEGRATOR})
MAX_NAME_LENGTH = 200
MAX_LIFETIME = timedelta(days=366)  # "at most a year", a leap year included
# A token's use, counted on its row (`api_rate.py`): bookkeeping, not the token's state.
USE_COUNTERS = ("last_used_at", "rate_window_start", "rate_window_requests")


@dataclass(frozen=True)
class IssuedApiToken:
    token: str  # the plaintext: shown once, never stored
    api_token: m.AuthToken


async def issue_api_token(
    db: Database,
    *,
    kind: m.TokenKind,
    name: str,
    school_ids: Iterable[int],
    municipality_id: int | None,
    scopes: Iterable[str],
    expires_at: datetime,
    issued_by_account_id: int | None,
) -> IssuedApiToken:
    """Validate and store a new token; who may issue it for which schools is the caller's check."""
    name = name.strip()
    schools = sorted(set(school_ids))
    scope_set = sorted(set(scopes))
    now = utc_now()
    _validate(kind, name, schools, municipality_id, scope_set, expires_at, now)
    await _check_exist(db, schools, municipality_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    result = await db.execute(
        insert(m.AuthToken)
        .values(
            digest=token_digest(token),
            kind=kind,
            name=name,
            scopes=" ".join(scope_set) or None,
            municipality_id=municipality_id,
            issued_by_id=issued_by_account_id,
            created_at=now,
            expires_at=expires_at,
        )
        .returning(m.AuthToken)
    )
    row: m.AuthToken = result.scalar_one()
    links: list[m.AuthTokenSchool] = []
    if schools:
        inserted = await db.execute(
            insert(m.AuthTokenSchool).returning(m.AuthTokenSchool),
            [{"auth_token_id": row.id, "school_id": school_id} for school_id in schools],
        )
        links = list(inserted.scalars())
    issued = _state(row)
    reached = await _reached(db, row)
    changes = [Changed(school, m.AuthToken, row.id, None, issued) for school in reached]
    changes += [Changed(link.school_id, m.AuthTokenSchool, link.id, None, snapshot(link))
                for link in links]  # fmt: skip
    await record_as(db, issued_by_account_id, changes)
    return IssuedApiToken(token=token, api_token=row)


def _state(row: m.AuthToken) -> dict[str, Any]:
    """The token as the trail keeps it: what it is, for whom, until when — not its use."""
    return snapshot(row, omit=USE_COUNTERS)


async def _reached(db: Database, row: m.AuthToken) -> list[int]:
    """The schools the token reads: those it lists, or every school of its municipality."""
    listed = select(m.AuthTokenSchool.school_id).where(m.AuthTokenSchool.auth_token_id == row.id)
    reach: ColumnElement[bool] = m.School.id.in_(listed)
    if row.municipality_id is not None:
        reach = reach | (m.School.municipality_id == row.municipality_id)
    return list(await db.scalars(select(m.School.id).where(reach).order_by(m.School.id)))


def _validate(
    kind: m.TokenKind,
    name: str,
    school_ids: list[int],
    municipality_id: int | None,
    scopes: list[str],
    expires_at: datetime,
    now: datetime,
) -> None:
    if kind not in API_TOKEN_KINDS:
        raise BadUserInput("An API token is an inspector's or an integrator's.", argument="kind")
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadUserInput(f"Name the token in 1 to {MAX_NAME_LENGTH} characters.", argument="name")
    if not school_ids and municipality_id is None:
        raise BadUserInput("List at least one school, or a municipality.", argument="schoolIds")
    unknown = [scope for scope in scopes if scope not in INTEGRATOR_SCOPES]
    if unknown:
        known = ", ".join(sorted(INTEGRATOR_SCOPES))
        raise BadUserInput(f"Unknown scopes {unknown}; known: {known}.", argument="scopes")
    if kind is m.TokenKind.INTEGRATOR and not scopes:
        raise BadUserInput("An integrator token needs at least one scope.", argument="scopes")
    if kind is m.TokenKind.INSPECTOR and scopes:
        raise BadUserInput(
            "An inspector token reads everything; it takes no scopes.", argument="scopes"
        )
    if expires_at.tzinfo is None:
        raise BadUserInput("Give the expiry with a time zone.", argument="expiresAt")
    if not now < expires_at <= now + MAX_LIFETIME:
        raise BadUserInput("The expiry must be in the next 12 months.", argument="expiresAt")


async def _check_exist(db: Database, school_ids: list[int], municipality_id: int | None) -> None:
    if school_ids:
        found = set(await db.scalars(select(m.School.id).where(m.School.id.in_(school_ids))))
        if found != set(school_ids):
            raise BadUserInput("No such school.", argument="schoolIds")
    if municipality_id is not None:
        found_municipality = await db.scalar(
            select(m.Municipality.id).where(m.Municipality.id == municipality_id)
        )
        if found_municipality is None:
            raise BadUserInput("No such municipality.", argument="municipalityId")


async def revoke_api_token(db: Database, token_id: int) -> m.AuthToken:
    """Revoke an API token (the operator's command); revoking it again keeps the first moment."""
    row = await db.scalar(
        select(m.AuthToken).where(m.AuthToken.id == token_id, m.AuthToken.kind != m.TokenKind.LOGIN)
    )
    if row is None:
        raise NotFound("No such API token.")
    return await revoke(db, None, row)


async def revoke(db: Database, account_id: int | None, row: m.AuthToken) -> m.AuthToken:
    """Revoked now by `account_id` (None: the operator), audited; once revoked, left alone."""
    if row.revoked_at is not None:
        return row
    before = _state(row)
    row.revoked_at = utc_now()
    after = _state(row)
    reached = await _reached(db, row)
    changes = [Changed(school, m.AuthToken, row.id, before, after) for school in reached]
    await record_as(db, account_id, changes)
    await live.tell_access_taken(db)  # its live subscriptions end (schema/subscriptions)
    return row


def _administered(principal: Principal) -> set[int]:
    return {grant.school_id for grant in principal.grants if grant.role == m.Role.ADMIN}


async def api_token_issue(
    ctx: Context,
    *,
    kind: m.TokenKind,
    name: str,
    school_ids: list[int],
    municipality_wide: bool,
    scopes: list[str],
    expires_at: datetime,
) -> IssuedApiToken:
    """An admin issues a token for schools they administer; a municipality's is the operator's."""
    principal = ctx.require_principal()
    if municipality_wide:
        raise Forbidden(
            "A municipality-wide token is issued by the operator with the `tabel` command, "
            "not through the API.",
            argument="municipalityId",
        )
    if not set(school_ids) <= _administered(principal):
        raise Forbidden(
            "You may issue tokens only for schools where you are the admin.", argument="schoolIds"
        )
    return await issue_api_token(
        ctx.db,
        kind=kind,
        name=name,
        school_ids=school_ids,
        municipality_id=None,
        scopes=scopes,
        expires_at=expires_at,
        issued_by_account_id=principal.account_id,
    )


async def api_token_revoke(ctx: Context, token_id: int) -> m.AuthToken:
    """Revoke a token the admin may write; they must also have been able to issue it."""
    principal = ctx.require_principal()
    row = await ctx.db.scalar(
        select(m.AuthToken).where(
            m.AuthToken.id == token_id,
            m.AuthToken.kind != m.TokenKind.LOGIN,
            ctx.policy.row_filter(principal, m.AuthToken, Action.WRITE),
        )
    )
    if row is None:
        raise NotFound("No such API token, or it is not visible to you.")
    # The row filter shows a token to the admin of any school it reaches; revoking it would cut
    # off the other schools (or, for a municipality's inspector, the inspection) as well.
    if row.municipality_id is not None:
        raise Forbidden(
            "A municipality-wide token is revoked by the operator, not through the API."
        )
    listed = await ctx.db.scalars(
        select(m.AuthTokenSchool.school_id).where(m.AuthTokenSchool.auth_token_id == row.id)
    )
    if not set(listed) <= _administered(principal):
        raise Forbidden("The token also lists schools where you are not the admin.")
    return await revoke(ctx.db, principal.account_id, row)


async def log_query(
    db: Database,
    principal: Principal,
    query: str | None,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> int:
    """Record an inspector's query (§1.12): the text's SHA-256 and the variables as sorted JSON;
    answers the log row's id, which the personal data the query reads is logged under (R-PD-1).

    It only writes the row; committing it is the caller's (see `schema.transaction`). Not in the
    audit trail: the query log is a log of its own (what an inspector read), not a write to the
    school's records."""
    row = personal_data_log.query_row(principal, query, variables, operation_name)
    result = await db.execute(insert(m.QueryLog).values(**row).returning(m.QueryLog.id))
    return int(result.scalar_one())


async def person_by_account_id(ctx: Context, account_id: int) -> m.Person | None:
    """The person behind an account, if the caller may read them."""

    async def load(ids: list[int]) -> list[m.Person | None]:
        rows = await ctx.db.rows(
            select(m.Account.id, m.Person)
            .join(m.Person, m.Person.id == m.Account.person_id)
            .where(m.Account.id.in_(ids), ctx.loaders.readable(m.Person))
        )
        by_account: dict[int, m.Person] = {row[0]: row[1] for row in rows}
        return [by_account.get(i) for i in ids]

    person: m.Person | None = await ctx.loaders.custom("person_by_account_id", load).load(
        account_id
    )
    return person
