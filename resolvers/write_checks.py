"""Refusing a write the policies do not allow, with the code of the condition that failed."""

from collections.abc import Iterable
from typing import Any

from policies.vocabulary import Resource
from policies.writes import Verdict, WriteProbe
from resolvers.context import Context
from resolvers.errors import REFUSALS

REASONS = {
    "FORBIDDEN": "Your roles do not allow this here.",
    "PERIOD_LOCKED": "Final grades for this period are set; the journal is locked (R-LOCK-1).",
    "EDIT_WINDOW_CLOSED": "The school's edit window for this lesson's grades has closed.",
}


def refuse_unless(verdict: Verdict, message: str | None = None, **details: Any) -> None:
    if not verdict.allowed:
        refusal = verdict.refusal or "FORBIDDEN"
        raise REFUSALS[refusal](message or REASONS[refusal], **details)


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
