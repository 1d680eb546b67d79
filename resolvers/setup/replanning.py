"""After every timetable write, in its transaction: the lessons of today and the coming two
weeks follow the timetable again (R-TT-1, Г.1 #9). A lesson holding journal records is never
silently moved or removed: the write answers BAD_USER_INPUT listing what it would break,
unless confirmed (`confirm: true`) by someone who may change those lessons — the admin
(teachers only their own; a period closed by final grades stays closed, PERIOD_LOCKED)."""

import base64
from datetime import timedelta

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.lesson_planning import Planning, plan_lessons
from resolvers.setup.timetable_facts import school_today
from resolvers.write_checks import require_writes

PLANNED_DAYS = 14  # lessons exist for today and the two weeks after it
LISTED = 10  # lessons named in the message; `wouldBreak` lists them all
CONFIRMERS = "Only who may change those lessons (the school's admin) can confirm this."


def _lesson_id(lesson_id: int) -> str:
    """The `Lesson` global ID (as `schema.base` makes it)."""
    return base64.b64encode(f"Lesson:{lesson_id}".encode()).decode()


async def replan(ctx: Context, school_id: int, *, confirm: bool) -> Planning:
    today = school_today(ctx, school_id)
    last = today + timedelta(days=PLANNED_DAYS)
    actor = ctx.require_principal().account_id
    planning = await plan_lessons(ctx.db, school_id, today, last, actor_id=actor)
    broken = planning.would_break
    if not broken:
        return planning
    if not confirm:
        named = "; ".join(b.description for b in broken[:LISTED])
        more = f"; and {len(broken) - LISTED} more" if len(broken) > LISTED else ""
        raise BadUserInput(
            f"This would change lessons that hold journal records: {named}{more}. Nothing was "
            "changed; to go ahead, send `confirm: true`.",
            field="confirm",
            wouldBreak=[
                {
                    "lessonId": _lesson_id(b.lesson_id),
                    "date": b.held_on.isoformat(),
                    "bellNumber": b.bell_number,
                    "holds": list(b.holds),
                    "would": b.would,
                }
                for b in broken
            ],
        )
    await require_writes(
        ctx,
        Resource.LESSON,
        m.Lesson,
        [b.lesson_id for b in broken],
        existing=True,
        message=CONFIRMERS,
    )
    return await plan_lessons(ctx.db, school_id, today, last, confirm=True, actor_id=actor)
