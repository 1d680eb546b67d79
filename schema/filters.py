"""Filter inputs shared by the journal's lists."""

from datetime import date
from typing import Annotated, Any

import strawberry

import model as m
from resolvers.journal.lessons import JournalFilter as JournalValues
from resolvers.people.person import MAX_SEARCH_WORDS
from resolvers.people.person import PersonFilter as PersonValues
from schema.base import decode_optional
from schema.bounds import text_field, width
from schema.people.person import Person
from schema.setup.calendar import Period
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import School


@strawberry.input(
    description="Narrows a journal list to the lessons that match (each field given must "
    "match; none given: every lesson you may read) and to what was recorded in them. It never "
    "widens what your roles let you read."
)
class JournalFilter:
    school_id: strawberry.ID | None = strawberry.field(
        default=None, description="Lessons of this school (a `School` ID)."
    )
    class_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Lessons of this class's groups, the whole class and its subgroups (a "
        "`SchoolClass` ID).",
    )
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="Lessons of this group (a `Group` ID)."
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="Lessons of this subject (a `Subject` ID)."
    )
    teacher_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Lessons this teacher gave: as their teacher or as the substitute (a "
        "`Person` ID).",
    )
    student_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="This student's (a `Person` ID): their groups' lessons, their grades, "
        "absences, homework and final grades.",
    )
    period_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Lessons within the reporting period's dates, first and last day included "
        "(a `Period` ID: a quarter «четверть», trimester, half-year or the year).",
    )
    date_from: date | None = strawberry.field(
        default=None, description="Lessons held on this date or later (YYYY-MM-DD)."
    )
    date_to: date | None = strawberry.field(
        default=None, description="Lessons held on this date or earlier (YYYY-MM-DD)."
    )

    def values(self) -> JournalValues:
        return JournalValues(
            school_id=decode_optional(self.school_id, School),
            class_id=decode_optional(self.class_id, SchoolClass),
            group_id=decode_optional(self.group_id, Group),
            subject_id=decode_optional(self.subject_id, Subject),
            teacher_id=decode_optional(self.teacher_id, Person),
            student_id=decode_optional(self.student_id, Person),
            period_id=decode_optional(self.period_id, Period),
            date_from=self.date_from,
            date_to=self.date_to,
        )


NO_JOURNAL_FILTER = JournalFilter()


MAX_SEARCH = 100


@strawberry.input(
    description="Narrows the people list; each field given must match. It never widens what "
    "your roles let you read."
)
class PersonFilter:
    school_id: strawberry.ID | None = strawberry.field(
        default=None, description="People holding a role in this school (a `School` ID)."
    )
    role: str | None = text_field(
        width(m.SchoolRole.role),
        default=None,
        description="People holding this role (in `schoolId`'s school, when given): admin, "
        "head, deputy, teacher, psychologist, student or parent",
    )
    class_id: strawberry.ID | None = strawberry.field(
        default=None, description="Students of this class (a `SchoolClass` ID)."
    )
    search: str | None = text_field(
        MAX_SEARCH,
        default=None,
        description="Words of a full name in any order, each the start or a part of the "
        f"surname, the name or the patronymic, {MAX_SEARCH_WORDS} at most; any letter case, "
        "«ё» as «е»",
    )

    def values(self) -> PersonValues:
        return PersonValues(
            school_id=decode_optional(self.school_id, School),
            role=self.role,
            class_id=decode_optional(self.class_id, SchoolClass),
            search=self.search,
        )


NO_PERSON_FILTER = PersonFilter()


def _narrowing(what: str) -> Any:
    return strawberry.argument(description=f"Only {what}; left out, no narrowing by it.")


# The arguments root lists narrow by, each meaning the same wherever it is taken.
InSchool = Annotated[strawberry.ID | None, _narrowing("this school's rows (a `School` ID)")]
InSchoolYear = Annotated[
    strawberry.ID | None, _narrowing("this school year's rows (a `SchoolYear` ID)")
]
OfClass = Annotated[strawberry.ID | None, _narrowing("this class's rows (a `SchoolClass` ID)")]
OfGroup = Annotated[strawberry.ID | None, _narrowing("this group's rows (a `Group` ID)")]
OfSubject = Annotated[strawberry.ID | None, _narrowing("this subject's rows (a `Subject` ID)")]
OfTeacher = Annotated[
    strawberry.ID | None, _narrowing("the rows naming this teacher (a `Person` ID)")
]
OfStudent = Annotated[strawberry.ID | None, _narrowing("this student's rows (a `Person` ID)")]
InParallel = Annotated[
    int | None, _narrowing("this parallel (1 to 11, the year of study: 5 for «5А»)")
]
DateFrom = Annotated[date | None, _narrowing("rows dated this day or later (YYYY-MM-DD)")]
DateTo = Annotated[date | None, _narrowing("rows dated this day or earlier (YYYY-MM-DD)")]
