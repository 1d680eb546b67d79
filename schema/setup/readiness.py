"""`schoolSetup`: what a school still lacks before its year starts (§4.1), for its admin and
head."""

from datetime import date
from typing import Annotated, ClassVar

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.setup import readiness
from resolvers.setup.readiness import SetupGap
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads, related
from schema.enums import described
from schema.list_sizes import at_most
from schema.permissions import can
from schema.setup.calendar import SchoolYear
from schema.setup.classes import SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import School

described(
    SetupGap,
    "What a school's set-up lacks before its year starts.",
    SCHOOL_YEAR="No school year is current or coming.",
    PERIODS="The year lacks the reporting periods (quarters, trimesters, halves) its classes "
    "are graded by.",
    BELLS="No bell schedule (расписание звонков) has its bells.",
    CLASSES="The year has no classes.",
    CLASS_TEACHER="A class has no class teacher (классный руководитель).",
    CURRICULUM="A class has no subjects in its curriculum (учебный план).",
    SUBJECT_TEACHER="A subject of a class's curriculum has no teacher.",
    TIMETABLE="A class has fewer lessons of a subject in the timetable than its weekly hours.",
    PLAN="A subject taught in a parallel has no КТП for the year.",
)


@strawberry.type(description="One thing the school's set-up lacks, and what to do about it.")
class SetupItem:
    __resource__: ClassVar[Resource] = Resource.SCHOOL_SETUP
    gap: SetupGap = strawberry.field(description="What kind of thing is missing.")
    missing: str = strawberry.field(description="What is missing, naming it.")
    todo: str = strawberry.field(description="What to do about it, and who does it.")
    parallel: int | None = strawberry.field(
        description="The parallel it is about (a КТП's); null: none in particular."
    )
    school_class = related(
        m.SchoolClass, "school_class_id", SchoolClass, "The class it is about; null: none."
    )
    subject = related(m.Subject, "subject_id", Subject, "The subject it is about; null: none.")


@strawberry.type(
    description="What a school still lacks before its year starts (§4.1: the year's "
    "structure is set up by 5 September): the school year, its reporting periods, bells, "
    "classes and their class teachers, curricula, teachers of subjects, the timetable's "
    "weekly hours and the КТП."
)
class SchoolSetup:
    __resource__: ClassVar[Resource] = Resource.SCHOOL_SETUP
    ready: bool = strawberry.field(description="True when nothing is missing.")
    due_on: date | None = strawberry.field(
        description="By when the year's structure is due: 5 September of the year's start; "
        "null without a school year."
    )
    items: list[SetupItem] = strawberry.field(
        description="What is missing, the calendar first, then class by class (by parallel "
        "and letter, subjects by name).",
        metadata=reads(Resource.SCHOOL_SETUP) | at_most(sizes.SETUP_ITEMS),
    )
    school = related(m.School, "school_id", School, "The school.")
    school_year = related(
        m.SchoolYear,
        "school_year_id",
        SchoolYear,
        "The school year checked: the current one, or the next to begin; null: none.",
    )


async def school_setup(
    info: Info,
    school_id: Annotated[
        strawberry.ID, strawberry.argument(description="The school (a `School` ID).")
    ],
) -> readiness.SchoolSetup:
    return await readiness.school_setup(info.context, decode_id(school_id, School))


school_setup_field = strawberry.field(
    resolver=school_setup,
    graphql_type=SchoolSetup,
    permission_classes=[can(Resource.SCHOOL_SETUP, Action.READ)],
    description="What the school still lacks before its year starts (§4.1), each item with "
    "what to do: for the school's admin and head. A fixed number of statements, however "
    "large the school.",
)
