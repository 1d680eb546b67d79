"""Whom a new message goes to: people chosen by id, or the parents of some students or of a
whole class — each recipient with the item of the request that named them, for a refusal to
point at."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput

MAX_RECIPIENTS = 100  # people chosen by id, or students whose parents are written to
MAX_AUDIENCE = 200  # everyone one message goes to (a class's parents fit)


@dataclass(frozen=True, order=True)
class Item:
    """Where in the request a recipient was named: `recipientIds` item 2, `parentsOfClassId`."""

    field: str
    index: int | None = None

    def details(self) -> dict[str, object]:
        return (
            {"field": self.field}
            if self.index is None
            else {"field": self.field, "item": self.index}
        )


@dataclass
class Audience:
    # recipient → the request item that named them first
    named_by: dict[int, Item] = field(default_factory=dict)
    # recipient → the student they are written to about (a parent: their child in the audience)
    about: dict[int, int] = field(default_factory=dict)

    def add(self, person: int, item: Item, about: int | None = None) -> None:
        self.named_by.setdefault(person, item)
        if about is not None:
            self.about.setdefault(person, about)


async def audience(
    ctx: Context,
    school_id: int,
    recipient_ids: Sequence[int],
    parents_of_student_ids: Sequence[int],
    parents_of_class_id: int | None,
) -> Audience:
    """The recipients, in at most one statement for the students' and the class's parents."""
    found = Audience()
    for index, person in enumerate(recipient_ids):
        found.add(person, Item("recipientIds", index))
    if parents_of_student_ids or parents_of_class_id is not None:
        await _parents(ctx, school_id, found, parents_of_student_ids, parents_of_class_id)
    if len(found.named_by) > MAX_AUDIENCE:
        raise BadUserInput(
            f"One message goes to at most {MAX_AUDIENCE} people; write to fewer at once.",
            field="recipientIds",
        )
    if not found.named_by:
        raise BadUserInput(
            "Choose whom to write to: people, the parents of students, or of a class.",
            field="recipientIds",
        )
    return found


async def _parents(
    ctx: Context,
    school_id: int,
    found: Audience,
    student_ids: Sequence[int],
    class_id: int | None,
) -> None:
    today = ctx.require_principal().scope(school_id).today
    in_class = select(m.ClassStudent.student_id).where(
        m.ClassStudent.school_class_id == class_id,
        m.ClassStudent.school_class_id.in_(
            select(m.SchoolClass.id).where(m.SchoolClass.school_id == school_id)
        ),
        or_(m.ClassStudent.starts_on.is_(None), m.ClassStudent.starts_on <= today),
        or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= today),
    )
    rows = await ctx.db.rows(
        select(
            m.Guardianship.child_id,
            m.Guardianship.parent_id,
            m.Guardianship.child_id.in_(in_class).label("of_class"),
        )
        .where(or_(m.Guardianship.child_id.in_(student_ids), m.Guardianship.child_id.in_(in_class)))
        .order_by(m.Guardianship.child_id, m.Guardianship.parent_id)
    )
    position = {student: index for index, student in reversed(list(enumerate(student_ids)))}
    with_parents = set()
    for child, parent, of_class in rows:
        if child in position:
            with_parents.add(child)
            found.add(parent, Item("parentsOfStudentIds", position[child]), about=child)
        if of_class:
            found.add(parent, Item("parentsOfClassId"), about=child)
    for index, student in enumerate(student_ids):
        if student not in with_parents:
            raise BadUserInput(
                "No parent of this student is recorded, or no such student.",
                field="parentsOfStudentIds",
                item=index,
            )
    if class_id is not None and not any(of_class for _, _, of_class in rows):
        raise BadUserInput(
            "No parent of this class's students is recorded, or no such class in the school.",
            field="parentsOfClassId",
        )
