"""Filter inputs shared by the journal's lists."""

from datetime import date

import strawberry

import model as m
from resolvers.journal import JournalFilter as JournalValues
from resolvers.people import PersonFilter as PersonValues
from schema.base import decode_optional
from schema.bounds import text_field, width
from schema.calendar import Period
from schema.classes import Group, SchoolClass
from schema.curriculum import Subject
from schema.people import Person
from schema.school import School


@strawberry.input(description="Narrow a journal list; every field given must match.")
class JournalFilter:
    school_id: strawberry.ID | None = None
    class_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    subject_id: strawberry.ID | None = None
    teacher_id: strawberry.ID | None = strawberry.field(
        default=None, description="The lesson's teacher or its substitute."
    )
    student_id: strawberry.ID | None = None
    period_id: strawberry.ID | None = strawberry.field(
        default=None, description="Lessons within the reporting period's dates."
    )
    date_from: date | None = None
    date_to: date | None = None

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


@strawberry.input(description="Narrow the people list.")
class PersonFilter:
    school_id: strawberry.ID | None = None
    role: str | None = text_field(
        width(m.SchoolRole.role), default=None, description="e.g. student, teacher"
    )
    class_id: strawberry.ID | None = strawberry.field(
        default=None, description="Students of this class."
    )
    search: str | None = text_field(MAX_SEARCH, default=None, description="Part of a name")

    def values(self) -> PersonValues:
        return PersonValues(
            school_id=decode_optional(self.school_id, School),
            role=self.role,
            class_id=decode_optional(self.class_id, SchoolClass),
            search=self.search,
        )


NO_PERSON_FILTER = PersonFilter()
