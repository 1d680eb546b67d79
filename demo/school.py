"""A school's reference data: premises, grade scales, subjects, work types, the year with its
periods and days off, and the bell schedules."""

import random
from datetime import date
from decimal import Decimal

from demo.catalog import SUBJECTS, WORK_TYPES
from demo.dates import BELL_SCHEDULES, WEEK_LENGTH, school_calendar
from demo.ids import Ids
from demo.names import CITY, STREETS
from demo.sink import Sink
from demo.world import SchoolRefs
from model import (
    Bell,
    BellSchedule,
    Building,
    DayOff,
    EditWindow,
    GradeScale,
    GradeScaleMark,
    Period,
    PeriodKind,
    School,
    SchoolYear,
    Subject,
    WorkType,
)


def build_school(
    sink: Sink,
    ids: Ids,
    rng: random.Random,
    index: int,
    region_id: int,
    municipality_id: int,
    number: int,
    today: date,
) -> SchoolRefs:
    school_id = ids.next(School)
    name = (
        "Муниципальное бюджетное общеобразовательное учреждение "
        f"«Средняя общеобразовательная школа № {number}»"
    )
    short_name = f"МБОУ СОШ № {number}"
    address = f"{CITY}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}"
    sink.add(
        School,
        {
            "id": school_id,
            "municipality_id": municipality_id,
            "name": name,
            "short_name": short_name,
            "timezone": "Europe/Moscow",
            "address": address,
            "grade_edit_window": EditWindow.TWO_WEEKS,
            "week_length": WEEK_LENGTH,
        },
    )
    main_building = ids.next(Building)
    primary_building = ids.next(Building)
    sink.add(
        Building,
        {
            "id": main_building,
            "school_id": school_id,
            "name": "Основной корпус",
            "address": address,
        },
    )
    sink.add(
        Building,
        {
            "id": primary_building,
            "school_id": school_id,
            "name": "Корпус начальной школы",
            "address": f"{CITY}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}",
        },
    )

    five_scale = ids.next(GradeScale)
    pass_scale = ids.next(GradeScale)
    sink.add(GradeScale, {"id": five_scale, "school_id": school_id, "name": "Пятибалльная"})
    sink.add(GradeScale, {"id": pass_scale, "school_id": school_id, "name": "Зачёт/незачёт"})
    for position, value in enumerate(range(1, 6), start=1):
        sink.add(
            GradeScaleMark,
            {
                "id": ids.next(GradeScaleMark),
                "grade_scale_id": five_scale,
                "mark": str(value),
                "value": Decimal(value),
                "position": position,
            },
        )
    for position, mark in enumerate(("зач", "нз"), start=1):
        sink.add(
            GradeScaleMark,
            {
                "id": ids.next(GradeScaleMark),
                "grade_scale_id": pass_scale,
                "mark": mark,
                "value": None,
                "position": position,
            },
        )

    subject_ids: dict[str, int] = {}
    for spec in SUBJECTS:
        subject_ids[spec.name] = ids.next(Subject)
        sink.add(
            Subject,
            {
                "id": subject_ids[spec.name],
                "school_id": school_id,
                "name": spec.name,
                "short_name": spec.short_name,
                "grade_scale_id": pass_scale if spec.pass_fail else five_scale,
                "no_attestation": spec.no_attestation,
            },
        )
    work_type_ids = {}
    for work in WORK_TYPES:
        work_type_ids[work.work] = ids.next(WorkType)
        sink.add(
            WorkType,
            {
                "id": work_type_ids[work.work],
                "school_id": school_id,
                "name": work.work.value,
                "short_name": work.short_name,
                "weight": work.weight,
                "checking_days": work.checking_days,
            },
        )

    calendar = school_calendar(today, WEEK_LENGTH)
    year_id = ids.next(SchoolYear)
    sink.add(
        SchoolYear,
        {
            "id": year_id,
            "school_id": school_id,
            "name": calendar.name,
            "starts_on": calendar.starts_on,
            "ends_on": calendar.ends_on,
        },
    )
    period_ids: dict[tuple[PeriodKind, int], int] = {}
    for term in (*calendar.quarters, *calendar.halves):
        period_id = period_ids[(term.kind, term.number)] = ids.next(Period)
        sink.add(
            Period,
            {
                "id": period_id,
                "school_id": school_id,
                "school_year_id": year_id,
                "kind": term.kind,
                "number": term.number,
                "name": term.name,
                "starts_on": term.starts_on,
                "ends_on": term.ends_on,
            },
        )
    year_period_id = ids.next(Period)
    sink.add(
        Period,
        {
            "id": year_period_id,
            "school_id": school_id,
            "school_year_id": year_id,
            "kind": PeriodKind.YEAR,
            "number": 1,
            "name": "Учебный год",
            "starts_on": calendar.starts_on,
            "ends_on": calendar.ends_on,
        },
    )
    # The coming school year, entered ahead and still empty: what the year's rollover
    # (`schoolYearRollover`, R-YEAR-1) promotes the classes into, previewed from GraphiQL.
    start = calendar.starts_on.year + 1
    sink.add(
        SchoolYear,
        {
            "id": ids.next(SchoolYear),
            "school_id": school_id,
            "name": f"{start}/{start + 1}",
            "starts_on": date(start, 9, 1),
            "ends_on": date(start + 1, 5, 31),
        },
    )
    # The same days the lessons skip: the calendar's days off are both.
    for day, day_name in calendar.days_off.items():
        sink.add(
            DayOff,
            {"id": ids.next(DayOff), "school_id": school_id, "on_date": day, "name": day_name},
        )

    bell_schedule_ids: dict[str, int] = {}
    for schedule_name, bells in BELL_SCHEDULES.items():
        schedule_id = bell_schedule_ids[schedule_name] = ids.next(BellSchedule)
        sink.add(BellSchedule, {"id": schedule_id, "school_id": school_id, "name": schedule_name})
        for number, starts_at, ends_at in bells:
            sink.add(
                Bell,
                {
                    "id": ids.next(Bell),
                    "school_id": school_id,
                    "bell_schedule_id": schedule_id,
                    "number": number,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                },
            )

    return SchoolRefs(
        index=index,
        id=school_id,
        name=name,
        short_name=short_name,
        region_id=region_id,
        calendar=calendar,
        year_id=year_id,
        period_ids=period_ids,
        year_period_id=year_period_id,
        bell_schedule_ids=bell_schedule_ids,
        main_building_id=main_building,
        primary_building_id=primary_building,
        five_scale_id=five_scale,
        pass_scale_id=pass_scale,
        subject_ids=subject_ids,
        work_type_ids=work_type_ids,
        work_weights={work.work: float(work.weight) for work in WORK_TYPES},
        checking_days={work.work: work.checking_days for work in WORK_TYPES},
    )
