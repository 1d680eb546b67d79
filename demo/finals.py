"""Term grades for every period that has ended: the rounded weighted average of the term's
grades, or «не аттестован» for a student with none."""

from datetime import date, time

from demo.catalog import SUBJECT_BY_NAME
from demo.dates import at
from demo.ids import Ids
from demo.journal import Marks, round_mark
from demo.sink import Row, Sink
from demo.world import ClassRec, SchoolRefs, Teaching
from model import FinalGrade, FinalGradeSpecial


def set_final_grades(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    teachings: list[Teaching],
    marks: Marks,
    accounts: dict[int, int],
    today: date,
) -> None:
    calendar = refs.calendar
    ended = [q for q in calendar.quarters if q.ends_on < today]
    year_ended = calendar.ends_on < today
    if not ended:
        return
    for teaching in teachings:
        spec = SUBJECT_BY_NAME[teaching.subject]
        school_class = classes[teaching.class_index]
        # First-graders get no marks at all (безотметочное обучение).
        if spec.no_attestation or school_class.parallel == 1:
            continue
        account = accounts[teaching.teacher_id]
        for student in school_class.students_of(teaching.group_id):
            quarter_marks: list[int] = []
            for quarter in ended:
                average = marks.average(student, teaching.subject, quarter.number)
                mark = round_mark(average) if average is not None else None
                if mark is not None:
                    quarter_marks.append(mark)
                period_id = refs.quarter_ids[quarter.number - 1]
                sink.add(
                    FinalGrade,
                    _row(ids, refs, teaching, student, period_id, mark, account, quarter.ends_on),
                )
            if year_ended:
                mark = (
                    round_mark(sum(quarter_marks) / len(quarter_marks)) if quarter_marks else None
                )
                sink.add(
                    FinalGrade,
                    _row(
                        ids, refs, teaching, student, refs.year_period_id, mark, account,
                        calendar.quarters[-1].ends_on,
                    ),
                )  # fmt: skip


def _row(
    ids: Ids,
    refs: SchoolRefs,
    teaching: Teaching,
    student: int,
    period_id: int,
    mark: int | None,
    account: int,
    day: date,
) -> Row:
    return {
        "id": ids.next(FinalGrade),
        "school_id": refs.id,
        "student_id": student,
        "subject_id": refs.subject_ids[teaching.subject],
        "period_id": period_id,
        "group_id": teaching.group_id,
        "grade_scale_id": refs.five_scale_id,
        "mark": str(mark) if mark is not None else None,
        "special": FinalGradeSpecial.NOT_ATTESTED if mark is None else None,
        "created_by_id": account,
        "created_at": at(day, time(19)),
        "updated_by_id": None,
        "updated_at": None,
        "version": 1,
    }
