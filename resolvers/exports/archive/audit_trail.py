"""The school's audit trail over the archive's days as `audit/audit_trail.jsonl`: a JSON object
a line for every change recorded on those days (school time) — who, when, which record, its
state before and after — in the order they were recorded (by id), keys sorted, so that any
tool reads it and the same trail gives the same bytes. Only those who read the trail (the
admin, the head) find lines in it; the grade change log is also `tables/grade_changes.*`."""

import json
from typing import Any

from sqlalchemy.orm import with_polymorphic

import model as m
from resolvers.exports.archive.names import account_holders
from resolvers.exports.archive.pages import id_pages, moment
from resolvers.exports.archive.scope import Scope

NAME = "audit/audit_trail.jsonl"
_GRADE = ("lesson_id", "student_id", "work_type_id", "old_mark", "new_mark", "grade_report_id")


def _line(change: m.Change, who: dict[int, str]) -> bytes:
    data: dict[str, Any] = {
        "id": change.id,
        "kind": change.kind.value,
        "record": change.entity,
        "record_id": change.entity_id,
        "action": change.action.value,
        "before": change.before,
        "after": change.after,
        "changed_at": moment(change.changed_at),
        "changed_by_account_id": change.changed_by_id,
        "changed_by": who.get(change.changed_by_id or 0),
        "reason": change.reason,
    }
    if isinstance(change, m.GradeChange):
        data.update({name: getattr(change, name) for name in _GRADE})
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode()


async def write_audit_trail(scope: Scope) -> None:
    conditions = [m.Change.school_id == scope.school.id, *scope.recorded(m.Change.changed_at)]
    lines = 0
    with scope.bundle.file(NAME) as out:
        every_kind = with_polymorphic(m.Change, [m.GradeChange])
        async for page in id_pages(scope, m.Change, conditions, every_kind):
            who = await account_holders(scope, (change.changed_by_id for change in page))
            out.write(b"".join(_line(change, who) for change in page))
            lines += len(page)
        out.rows = lines
    scope.step()
