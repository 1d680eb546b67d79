"""`own_parent`: a student's own parents and legal guardians."""

from sqlalchemy import select

import model as m
from plugins.base import Condition

own_parent = Condition(
    name="own_parent",
    in_words="their parents'",
    description="the person's parents and legal guardians",
    needs_person=True,
    renderers={
        m.Person: lambda scope: m.Person.id.in_(
            select(m.Guardianship.parent_id).where(m.Guardianship.child_id == scope.person_id)
        ),
    },
)
