"""Root lists of a school's reference data: premises, calendar, curriculum, classes, plans."""

from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, select

import model as m
from resolvers.listing import equal, listing
from schema.base import Connection, Info, decode_optional
from schema.bounds import After, First
from schema.filters import (
    DateFrom,
    DateTo,
    InParallel,
    InSchool,
    InSchoolYear,
    OfClass,
    OfGroup,
    OfSubject,
    OfTeacher,
)
from schema.journal.grading import PeriodReopening
from schema.people.person import Person
from schema.setup.calendar import (
    PERIOD_ORDER,
    BellSchedule,
    DayOff,
    Period,
    SchoolYear,
    WorkingDay,
)
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import GradeScale, Subject, WorkType
from schema.setup.plan import Plan
from schema.setup.school import Building, Room, School
from schema.setup.timetable import TimetableChange, TimetableEntry

WithArchived = Annotated[
    bool | None,
    strawberry.argument(
        description="Archived rows too (kept in every record and report, no longer offered "
        "for new use); left out, only those in use."
    ),
]


def _in_use(entity: type[Any], with_archived: bool | None) -> list[ColumnElement[bool]]:
    return [] if with_archived else [entity.archived_at.is_(None)]


async def schools(info: Info, first: First = None, after: After = None) -> Connection[School]:
    page = await listing(info.context, m.School, [], (m.School.name,), first=first, after=after)
    return Connection(page=page)


async def buildings(
    info: Info,
    school_id: InSchool = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[Building]:
    where = [
        *equal(m.Building.school_id, decode_optional(school_id, School)),
        *_in_use(m.Building, with_archived),
    ]
    page = await listing(
        info.context, m.Building, where, (m.Building.name,), first=first, after=after
    )
    return Connection(page=page)


async def rooms(
    info: Info,
    school_id: InSchool = None,
    building_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only this building's rooms.")
    ] = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[Room]:
    where = [
        *equal(m.Room.school_id, decode_optional(school_id, School)),
        *equal(m.Room.building_id, decode_optional(building_id, Building)),
        *_in_use(m.Room, with_archived),
    ]
    page = await listing(info.context, m.Room, where, (m.Room.name,), first=first, after=after)
    return Connection(page=page)


async def subjects(
    info: Info,
    school_id: InSchool = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[Subject]:
    where = [
        *equal(m.Subject.school_id, decode_optional(school_id, School)),
        *_in_use(m.Subject, with_archived),
    ]
    page = await listing(
        info.context, m.Subject, where, (m.Subject.name,), first=first, after=after
    )
    return Connection(page=page)


async def work_types(
    info: Info,
    school_id: InSchool = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[WorkType]:
    where = [
        *equal(m.WorkType.school_id, decode_optional(school_id, School)),
        *_in_use(m.WorkType, with_archived),
    ]
    page = await listing(
        info.context, m.WorkType, where, (m.WorkType.name,), first=first, after=after
    )
    return Connection(page=page)


async def grade_scales(
    info: Info,
    school_id: InSchool = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[GradeScale]:
    where = [
        *equal(m.GradeScale.school_id, decode_optional(school_id, School)),
        *_in_use(m.GradeScale, with_archived),
    ]
    page = await listing(
        info.context, m.GradeScale, where, (m.GradeScale.name,), first=first, after=after
    )
    return Connection(page=page)


async def school_years(
    info: Info, school_id: InSchool = None, first: First = None, after: After = None
) -> Connection[SchoolYear]:
    where = equal(m.SchoolYear.school_id, decode_optional(school_id, School))
    order = (m.SchoolYear.starts_on,)
    page = await listing(info.context, m.SchoolYear, where, order, first=first, after=after)
    return Connection(page=page)


async def periods(
    info: Info,
    school_id: InSchool = None,
    school_year_id: InSchoolYear = None,
    first: First = None,
    after: After = None,
) -> Connection[Period]:
    where = [
        *equal(m.Period.school_id, decode_optional(school_id, School)),
        *equal(m.Period.school_year_id, decode_optional(school_year_id, SchoolYear)),
    ]
    page = await listing(info.context, m.Period, where, PERIOD_ORDER, first=first, after=after)
    return Connection(page=page)


async def days_off(
    info: Info,
    school_id: InSchool = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    first: First = None,
    after: After = None,
) -> Connection[DayOff]:
    where = equal(m.DayOff.school_id, decode_optional(school_id, School))
    if date_from is not None:
        where.append(m.DayOff.on_date >= date_from)
    if date_to is not None:
        where.append(m.DayOff.on_date <= date_to)
    order = (m.DayOff.on_date,)
    page = await listing(info.context, m.DayOff, where, order, first=first, after=after)
    return Connection(page=page)


async def working_days(
    info: Info,
    school_id: InSchool = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    first: First = None,
    after: After = None,
) -> Connection[WorkingDay]:
    where = equal(m.WorkingDay.school_id, decode_optional(school_id, School))
    if date_from is not None:
        where.append(m.WorkingDay.on_date >= date_from)
    if date_to is not None:
        where.append(m.WorkingDay.on_date <= date_to)
    order = (m.WorkingDay.on_date,)
    page = await listing(info.context, m.WorkingDay, where, order, first=first, after=after)
    return Connection(page=page)


async def bell_schedules(
    info: Info,
    school_id: InSchool = None,
    with_archived: WithArchived = None,
    first: First = None,
    after: After = None,
) -> Connection[BellSchedule]:
    where = [
        *equal(m.BellSchedule.school_id, decode_optional(school_id, School)),
        *_in_use(m.BellSchedule, with_archived),
    ]
    order = (m.BellSchedule.name,)
    page = await listing(info.context, m.BellSchedule, where, order, first=first, after=after)
    return Connection(page=page)


async def classes(
    info: Info,
    school_id: InSchool = None,
    school_year_id: InSchoolYear = None,
    parallel: InParallel = None,
    first: First = None,
    after: After = None,
) -> Connection[SchoolClass]:
    where = [
        *equal(m.SchoolClass.school_id, decode_optional(school_id, School)),
        *equal(m.SchoolClass.school_year_id, decode_optional(school_year_id, SchoolYear)),
        *equal(m.SchoolClass.parallel, parallel),
    ]
    order = (m.SchoolClass.parallel, m.SchoolClass.letter)
    page = await listing(info.context, m.SchoolClass, where, order, first=first, after=after)
    return Connection(page=page)


async def groups(
    info: Info,
    school_id: InSchool = None,
    class_id: OfClass = None,
    subject_id: OfSubject = None,
    first: First = None,
    after: After = None,
) -> Connection[Group]:
    where = [
        *equal(m.Group.school_id, decode_optional(school_id, School)),
        *equal(m.Group.school_class_id, decode_optional(class_id, SchoolClass)),
        *equal(m.Group.subject_id, decode_optional(subject_id, Subject)),
    ]
    order = (m.Group.school_class_id, m.Group.name)
    page = await listing(info.context, m.Group, where, order, first=first, after=after)
    return Connection(page=page)


async def timetable(
    info: Info,
    school_id: InSchool = None,
    class_id: OfClass = None,
    group_id: OfGroup = None,
    teacher_id: OfTeacher = None,
    weekday: Annotated[
        int | None, strawberry.argument(description="Only this weekday's: 1 is Monday, 7 Sunday.")
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[TimetableEntry]:
    entry = m.TimetableEntry
    where = [
        *equal(entry.school_id, decode_optional(school_id, School)),
        *equal(entry.group_id, decode_optional(group_id, Group)),
        *equal(entry.teacher_id, decode_optional(teacher_id, Person)),
        *equal(entry.weekday, weekday),
    ]
    if (class_pk := decode_optional(class_id, SchoolClass)) is not None:
        where.append(
            entry.group_id.in_(select(m.Group.id).where(m.Group.school_class_id == class_pk))
        )
    order = (entry.weekday, entry.bell_number)
    page = await listing(info.context, entry, where, order, first=first, after=after)
    return Connection(page=page)


async def timetable_changes(
    info: Info,
    school_id: InSchool = None,
    group_id: OfGroup = None,
    teacher_id: OfTeacher = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    first: First = None,
    after: After = None,
) -> Connection[TimetableChange]:
    change = m.TimetableChange
    where = [
        *equal(change.school_id, decode_optional(school_id, School)),
        *equal(change.group_id, decode_optional(group_id, Group)),
        *equal(change.teacher_id, decode_optional(teacher_id, Person)),
    ]
    if date_from is not None:
        where.append(change.on_date >= date_from)
    if date_to is not None:
        where.append(change.on_date <= date_to)
    order = (change.on_date,)
    page = await listing(info.context, change, where, order, first=first, after=after)
    return Connection(page=page)


async def plans(
    info: Info,
    school_id: InSchool = None,
    subject_id: OfSubject = None,
    parallel: InParallel = None,
    first: First = None,
    after: After = None,
) -> Connection[Plan]:
    where = [
        *equal(m.Plan.school_id, decode_optional(school_id, School)),
        *equal(m.Plan.subject_id, decode_optional(subject_id, Subject)),
        *equal(m.Plan.parallel, parallel),
    ]
    order = (m.Plan.parallel, m.Plan.subject_id)
    page = await listing(info.context, m.Plan, where, order, first=first, after=after)
    return Connection(page=page)


async def period_reopenings(
    info: Info, school_id: InSchool = None, first: First = None, after: After = None
) -> Connection[PeriodReopening]:
    where = equal(m.PeriodReopening.school_id, decode_optional(school_id, School))
    order = (m.PeriodReopening.reopened_at,)
    page = await listing(info.context, m.PeriodReopening, where, order, first=first, after=after)
    return Connection(page=page)
