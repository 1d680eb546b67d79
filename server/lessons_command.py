"""`tabel lessons plan`: the operator plans lessons from the timetable by hand, for a school
or all of them, over the default range (this week and the next two) or dates of their own."""

import argparse
import asyncio
from datetime import date
from typing import TypeVar

from strawberry import relay

from model.db import make_engine, make_sessionmaker
from server import lesson_scheduler
from server.token_command import SCHOOL, identifier

P = TypeVar("P", bound=argparse.ArgumentParser)
EPILOG = f"""\
By default each school's current week and the two weeks after its today (in its time zone),
as the server plans them at start and every day. A lesson holding journal records (a topic,
attendance, grades, homework) that the timetable would move, change or remove is left as it
is and listed, unless --confirm.

examples:
  tabel lessons plan
  tabel lessons plan --school {relay.to_base64(SCHOOL, 1)} --from 2026-12-01 --to 2026-12-31
  tabel lessons plan --school 1 --confirm"""


def add_parser(commands: "argparse._SubParsersAction[P]") -> None:
    from server.cli_parser import iso_date

    lessons = commands.add_parser(
        "lessons",
        help="make lessons from the timetable (the server does it at start and daily)",
        description="Lessons made from the timetable and its changes.",
    )
    actions = lessons.add_subparsers(dest="lessons_action", required=True, metavar="ACTION")
    plan = actions.add_parser(
        "plan",
        help="create missing lessons and re-plan those the timetable changed",
        description="Creates the lessons the timetable asks for on each school day (days off\n"
        "and vacations skipped) and re-plans those not yet given that the timetable or its\n"
        "changes moved, changed or removed. Running it again changes nothing.",
        epilog=EPILOG,
    )
    plan.add_argument(
        "--school",
        type=identifier(SCHOOL, "a school"),
        metavar="ID",
        help="only this school, its ID as the API gives it or its number (default: every school)",
    )
    plan.add_argument(
        "--from",
        dest="first",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the first day (default: the Monday of each school's current week)",
    )
    plan.add_argument(
        "--to",
        dest="last",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the last day (default: two weeks after each school's today)",
    )
    plan.add_argument(
        "--confirm",
        action="store_true",
        help="also move, change or cancel lessons that hold journal records (default: off)",
    )


def run(database_url: str, args: argparse.Namespace) -> str:
    first: date | None = args.first
    last: date | None = args.last
    if first is not None and last is not None and first > last:
        raise SystemExit(f"tabel lessons plan: error: --from {first} is after --to {last}")
    return asyncio.run(_run(database_url, args.school, first, last, args.confirm))


async def _run(
    url: str, school_id: int | None, first: date | None, last: date | None, confirm: bool
) -> str:
    engine = make_engine(url)
    try:
        done = await lesson_scheduler.plan_schools(
            make_sessionmaker(engine), school_id=school_id, first=first, last=last,
            confirm=confirm,
        )  # fmt: skip
    finally:
        await engine.dispose()
    if school_id is not None and not done:
        raise SystemExit(f"tabel lessons plan: error: no school {school_id}")
    lines = []
    for planned in done:
        planning = planned.planning
        school = relay.to_base64(SCHOOL, planned.school_id)
        lines.append(
            f"School {school}, {planned.first} to {planned.last}: {planning.created} lessons"
            f" created, {planning.changed} re-planned, {planning.deleted} deleted."
        )
        for broken in planning.would_break:
            lines.append(f"  left as it is (--confirm to apply): {broken.description}")
    return "\n".join(lines) or "No school to plan."
