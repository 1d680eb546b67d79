"""Plain objects completed in one step answer exactly what graphql-core's own completion would."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from schema.execution import LeanExecutionContext
from tests.client import GraphQLClient
from tests.lessons import rows

QUERY = """
query Page($class: ID!, $from: Date!, $to: Date!, $withGrades: Boolean!) {
  page: classJournal(classId: $class, dateFrom: $from, dateTo: $to) {
    __typename
    pupils: students { ...Who }
    lessons {
      id day: heldOn status topic
      subject { __typename name }
      teacher { ...Teacher }
      workTypes { weight shortName }
      homework @skip(if: $withGrades) { text dueOn individual }
    }
    grades @include(if: $withGrades) { mark studentId lessonId comment }
    attendance { kind lateMinutes }
  }
}
fragment Who on StudentLine { id shortName }
fragment Teacher on TeacherLine { id fullName }
"""


@pytest.mark.parametrize("with_grades", [True, False])
async def test_lean_completion_answers_as_graphql_core_does(
    engine: AsyncEngine,
    api: GraphQLClient,
    demo_school: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    with_grades: bool,
) -> None:
    # given a page of the journal with aliases, fragments, directives and __typename
    class_id = (await rows(engine, "SELECT min(id) FROM school_class"))[0][0]
    token = await api.login(demo_school["head"], "demo")
    variables = {
        "class": relay.to_base64("SchoolClass", class_id),
        "from": "2026-11-09",
        "to": "2026-11-20",
        "withGrades": with_grades,
    }
    compiled: list[str] = []
    compile_object = LeanExecutionContext._compile_object

    def counting(self: LeanExecutionContext, object_type: Any, details: Any) -> Any:
        plan = compile_object(self, object_type, details)
        if plan is not None:
            compiled.append(object_type.name)
        return plan

    monkeypatch.setattr(LeanExecutionContext, "_compile_object", counting)
    # when it is completed in one step, and then field by field
    lean = (await api(QUERY, variables, token=token)).body
    monkeypatch.setattr(LeanExecutionContext, "_compile_object", lambda *_: None)
    ordinary = (await api(QUERY, variables, token=token)).body
    # then the answers are the same, byte for byte once encoded
    assert "errors" not in lean
    assert lean == ordinary
    assert {"ClassJournalPage", "JournalLesson", "TeacherLine"} <= set(compiled)
    assert lean["data"]["page"]["lessons"]
    assert ("grades" in lean["data"]["page"]) is with_grades
