"""`consented`: people whose consent to the processing of their data (152-FZ) still holds in
the school — not withdrawn. Withdrawing one hides the person's personal data from everyone but
the admin and the person (R-PD-1); a person with no consent recorded yet is not one who
withdrew (their data cannot be entered without one, `resolvers/people/personal_data_writes.py`).
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_
from sqlalchemy.orm import aliased

import model as m
from plugins.base import Condition, Scope


def withdrawn(scope: Scope, person_id: Any) -> ColumnElement[bool]:
    """The person withdrew their consent in the school and gave no new one since."""
    gone, holding = aliased(m.Consent), aliased(m.Consent)
    return and_(
        exists().where(
            gone.person_id == person_id,
            gone.school_id == scope.school_id,
            gone.withdrawn_at.is_not(None),
        ),
        not_(
            exists().where(
                holding.person_id == person_id,
                holding.school_id == scope.school_id,
                holding.withdrawn_at.is_(None),
            )
        ),
    )


consented = Condition(
    name="consented",
    in_words="unless consent was withdrawn",
    description="people who have not withdrawn their consent to the processing of their data",
    renderers={m.Person: lambda scope: not_(withdrawn(scope, m.Person.id))},
)
