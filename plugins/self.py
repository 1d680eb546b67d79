"""`self`: the person themselves — their own record, grades, homework and lessons."""

from typing import Any

from sqlalchemy import Select, literal, select

import model as m
from plugins.base import Condition, Scope
from plugins.students import about_students


def _me(scope: Scope) -> Select[Any]:
    return select(literal(scope.person_id))


_student_rows = about_students("self", "", _me)

self_ = Condition(
    name="self",
    in_words="their own",
    description="the person's own record, grades, attendance, homework and lessons",
    needs_person=True,
    renderers={
        **_student_rows.renderers,
        m.Account: lambda scope: m.Account.person_id == scope.person_id,
        m.Compromise: lambda scope: m.Compromise.account_id.in_(
            select(m.Account.id).where(m.Account.person_id == scope.person_id)
        ),
        m.PersonalDataRead: lambda scope: m.PersonalDataRead.person_id == scope.person_id,
        m.Notification: lambda scope: m.Notification.person_id == scope.person_id,
        m.ReportJob: lambda scope: m.ReportJob.requested_by_id.in_(
            select(m.Account.id).where(m.Account.person_id == scope.person_id)
        ),
    },
)
