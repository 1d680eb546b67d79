"""Refusing a write the policies do not allow, with the code of the condition that failed, and
a change of a record that does not name the version of it that was read."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from model.attribution import Attributed
from model.base import utc_now
from policies.vocabulary import Resource
from policies.writes import Verdict, WriteProbe
from resolvers.context import Context
from resolvers.errors import REFUSALS, BadUserInput, Conflict

REASONS = {
    "FORBIDDEN": "Your roles do not allow this here.",
    "PERIOD_LOCKED": "Final grades for this period are set: its journal is closed to changes "
    "until the school's admin reopens it.",
    "EDIT_WINDOW_CLOSED": "The school's edit window for this lesson's grades has closed.",
}


def refuse_unless(verdict: Verdict, message: str | None = None, **details: Any) -> None:
    if not verdict.allowed:
        refusal = verdict.refusal or "FORBIDDEN"
        raise REFUSALS[refusal](verdict.words or message or REASONS[refusal], **details)


async def require_writes(
    ctx: Context,
    resource: Resource,
    entity: type[Any],
    ids: Iterable[int],
    *,
    existing: bool,
    message: str | None = None,
) -> None:
    """Every target may be written by the caller, decided in one statement for all of them."""
    probe = WriteProbe(ctx.policy, ctx.require_principal(), resource, entity)
    for flags in await ctx.db.rows(probe.statement(ids)):
        refuse_unless(probe.verdict(flags, existing=existing), message)


# An entry for a record that exists, sent without a version, was made not knowing of it. A record
# made or changed this recently was entered by two people at once: CONFLICT, as a race on its
# unique key is. An older one is a change that left out the version it needs.
MEANWHILE = timedelta(minutes=1)


def require_version(
    record: Attributed, sent: int | None, what: str, read_from: str, **details: Any
) -> None:
    """A change of an existing record names the version of it that was read (no lost update):
    `what` names the record as the school does, `read_from` where a client reads its version."""
    if sent is not None:
        return
    if utc_now() - (record.updated_at or record.created_at) <= MEANWHILE:
        raise Conflict(
            f"{what} was entered meanwhile; reload, and send its `version` to change it.",
            current_version=record.version,
            **details,
        )
    raise BadUserInput(
        f"{what} is there already: to change it, send the `version` you read ({read_from}).",
        field="version",
        **details,
    )


async def require_each(
    ctx: Context,
    resource: Resource,
    entity: type[Any],
    items: dict[int, int],
    *,
    existing: bool,
    message: str,
) -> None:
    """Every row (id → the item of the request it is for) may be written, in one statement; a
    refusal names the first item refused."""
    probe = WriteProbe(ctx.policy, ctx.require_principal(), resource, entity)
    refused = [
        (items[flags[0]], verdict)
        for flags in await ctx.db.rows(probe.statement(items))
        if not (verdict := probe.verdict(flags, existing=existing)).allowed
    ]
    if refused:
        item, verdict = min(refused, key=lambda pair: pair[0])
        refuse_unless(verdict, message, item=item)
