"""`schoolYearRollover`: the preview, then the commit, of a school year's rollover (А #20,
R-PEOPLE-1, R-YEAR-1)."""

from typing import Annotated, ClassVar

import strawberry

from policies.vocabulary import Action, Resource
from resolvers.people import rollover
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_field, text_field
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import SchoolYear
from schema.setup.class_writes import LETTER
from schema.setup.classes import SchoolClass

MAX_CLASSES = 150  # a school's classes in one year: 11 parallels of up to a dozen letters
MAX_STUDENTS = rollover.MAX_STUDENTS
MAX_NEWCOMERS = 1000
STUDENTS_IN = 2 * sizes.CLASS_SIZE


@strawberry.input(description="What to do with one class of the year ending.")
class ClassRolloverInput:
    class_id: strawberry.ID = strawberry.field(
        description="A class of the year ending (a `SchoolClass` ID); once per call."
    )
    leaves: bool = strawberry.field(
        default=False,
        description="The whole class leaves the school (e.g. a 9th grade that does not go on "
        "to the 10th); the 11th grade always does.",
    )
    carry_subjects: bool = strawberry.field(
        default=False,
        description="Its subject links (предмет-класс, with the hours a week) go over to its "
        "next class, besides those that class has.",
    )
    carry_groups: bool = strawberry.field(
        default=False,
        description="Its subgroups go over to its next class, by name, with their students "
        "who move with it (repeaters and leavers drop out).",
    )


@strawberry.input(description="A student placed in a class of the new year.")
class NewcomerInput:
    student_id: strawberry.ID = strawberry.field(
        description="A student of the school (a `Person`) in no class of the year ending."
    )
    parallel: int = strawberry.field(description="The class's parallel, 1 to 11.")
    letter: str = text_field(LETTER, description="The class's letter, e.g. «А»; at most 4")


@strawberry.input(
    description="The admin's plan: classes not listed are promoted (5А → 6А) without their "
    "subject links and subgroups; the 11th grade leaves."
)
class RolloverPlanInput:
    classes: list[ClassRolloverInput] = list_field(
        MAX_CLASSES, optional=True, description="Per class: what goes over, or it leaves"
    )
    repeaters: list[strawberry.ID] = list_field(
        MAX_STUDENTS,
        optional=True,
        description="Students who repeat the year: they stay in their parallel, in the new "
        "year's class of the same letter (`Person` IDs)",
    )
    graduates: list[strawberry.ID] = list_field(
        MAX_STUDENTS,
        optional=True,
        description="Students who leave the school, besides the 11th grade and the classes "
        "that leave (e.g. after the 9th grade); never a repeater too (`Person` IDs)",
    )
    newcomers: list[NewcomerInput] = list_field(
        MAX_NEWCOMERS, optional=True, description="New students and their classes"
    )


@strawberry.type(description="A class of the new year and who comes into it.")
class RolledClass:
    __resource__: ClassVar[Resource] = Resource.YEAR_ROLLOVER
    name: str = strawberry.field(description="Its name, e.g. «6А».")
    parallel: int = strawberry.field(description="Its parallel.")
    letter: str = strawberry.field(description="Its letter.")
    created: bool = strawberry.field(
        description="The rollover makes it (the new year had no class by this name)."
    )
    school_class: SchoolClass | None = strawberry.field(
        description="The class; null in a preview of a class the commit makes.",
        metadata=reads(Resource.SCHOOL_CLASS),
    )
    from_class: SchoolClass | None = strawberry.field(
        description="The class of the year ending promoted into it; null: none (newcomers or "
        "repeaters only).",
        metadata=reads(Resource.SCHOOL_CLASS),
    )
    promoted: list[Person] = strawberry.field(
        description="Students promoted from `fromClass`, by name.",
        metadata=reads(Resource.PERSON) | at_most(STUDENTS_IN),
    )
    repeaters: list[Person] = strawberry.field(
        description="Students repeating the year in it.",
        metadata=reads(Resource.PERSON) | at_most(STUDENTS_IN),
    )
    newcomers: list[Person] = strawberry.field(
        description="Students placed in it anew.",
        metadata=reads(Resource.PERSON) | at_most(STUDENTS_IN),
    )
    subjects_carried: int = strawberry.field(
        description="Subject links (предмет-класс) carried over from `fromClass`."
    )
    groups_carried: int = strawberry.field(description="Subgroups carried over from `fromClass`.")


@strawberry.type(description="What a school year's rollover does, or did.")
class YearRollover:
    __resource__: ClassVar[Resource] = Resource.YEAR_ROLLOVER
    committed: bool = strawberry.field(
        description="False: a preview, nothing written; true: written, all of it."
    )
    from_year: SchoolYear = strawberry.field(
        description="The year ending.", metadata=reads(Resource.CALENDAR)
    )
    to_year: SchoolYear = strawberry.field(
        description="The new year.", metadata=reads(Resource.CALENDAR)
    )
    classes: list[RolledClass] = strawberry.field(
        description="The new year's classes that get students, by parallel and letter.",
        metadata=reads(Resource.YEAR_ROLLOVER) | at_most(MAX_CLASSES),
    )
    graduates: list[Person] = strawberry.field(
        description="Students who leave: the 11th grade, the classes that leave and the "
        "graduates listed, class by class. They are placed in no class of the new year; their "
        "placements and journals of the year ending stay.",
        metadata=reads(Resource.PERSON) | at_most(MAX_STUDENTS),
    )
    warnings: list[str] = strawberry.field(
        description="What to check before closing the year ending: year grades not set, a "
        "year still open.",
        metadata=at_most(MAX_CLASSES + 1),
    )


def _plan(plan: RolloverPlanInput | None) -> rollover.RolloverPlan:
    if plan is None:
        return rollover.RolloverPlan()
    return rollover.RolloverPlan(
        classes=[
            rollover.ClassPlan(
                class_id=decode_id(c.class_id, SchoolClass),
                leaves=c.leaves,
                carry_subjects=c.carry_subjects,
                carry_groups=c.carry_groups,
            )
            for c in plan.classes
        ],
        repeaters=[decode_id(s, Person) for s in plan.repeaters],
        graduates=[decode_id(s, Person) for s in plan.graduates],
        newcomers=[
            rollover.Newcomer(decode_id(n.student_id, Person), n.parallel, n.letter)
            for n in plan.newcomers
        ],
    )


async def school_year_rollover(
    info: Info,
    from_year_id: Annotated[
        strawberry.ID, strawberry.argument(description="The year ending (a `SchoolYear` ID).")
    ],
    to_year_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The new year, a later one (a `SchoolYear` ID)."),
    ],
    plan: Annotated[
        RolloverPlanInput | None, strawberry.argument(description="The admin's plan.")
    ] = None,
    commit: Annotated[
        bool,
        strawberry.argument(description="False (the default): preview only; true: write it."),
    ] = False,
) -> rollover.Rollover:
    return await rollover.school_year_rollover(
        info.context,
        decode_id(from_year_id, SchoolYear),
        decode_id(to_year_id, SchoolYear),
        _plan(plan),
        commit=commit,
    )


school_year_rollover_field = strawberry.mutation(
    resolver=school_year_rollover,
    graphql_type=YearRollover,
    permission_classes=[can(Resource.YEAR_ROLLOVER, Action.READ), PersonalAccount],
    metadata=reads(Resource.YEAR_ROLLOVER),
    description="Roll a school year over to the next (перевод, А #20): each class of the year "
    "ending goes into the new year's class of the next parallel and the same letter (5А → "
    "6А), made if missing; the 11th grade, the classes marked `leaves` and the `graduates` "
    "listed leave; `repeaters` stay in their parallel; `newcomers` are placed where named; "
    "subject links and subgroups go over for the classes that ask. Students are enrolled from "
    "the new year's first day. First a preview (`commit: false`, the default: nothing "
    "written; the school's admin and head), then the same call with `commit: true`: all or "
    "nothing, audited (the admin, signed in with their own login). A mistake in the plan "
    "is BAD_USER_INPUT naming the argument and item, and writes nothing. One request for a "
    "school of thousands: the same few statements whatever its size.",
)
