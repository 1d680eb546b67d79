"""Term grades for every period of the class's kind that has ended: the rounded weighted average
of the term's grades, or «не аттестован» for a student with none."""

from datetime import date, datetime

from demo.catalog import SUBJECT_BY_NAME
from demo.ids import Ids
from demo.journal import Marks, round_mark
from demo.punctuality import TIMEZONE, Punctuality
from demo.sink import Row, Sink
from demo.world import ClassRec, SchoolRefs, Teaching
from model import FinalGrade, FinalGradeSpecial
from resolvers.journal.deadlines import by_day, final_grade_due


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
    """Per the class's own periods: quarters in grades 2–9, halves in grades 10–11. A teacher
    who is late with a term's grades sets them days later, or has not set them yet."""
    calendar = refs.calendar
    punctuality = Punctuality(refs.id, today)
    year_ended = calendar.ends_on < today
    for teaching in teachings:
        spec = SUBJECT_BY_NAME[teaching.subject]
        school_class = classes[teaching.class_index]
        # First-graders get no marks at all (безотметочное обучение).
        if spec.no_attestation or school_class.parallel == 1:
            continue
        terms = calendar.terms(school_class.period_kind)
        ended = [term for term in terms if term.ends_on < today]
        if not ended:
            continue
        account = accounts[teaching.teacher_id]
        set_at = [punctuality.final_grades_at(term.ends_on) for term in ended]
        year_set_at = punctuality.final_grades_at(terms[-1].ends_on) if year_ended else None
        for student in school_class.students_of(teaching.group_id):
            term_marks: list[int] = []
            for term, moment in zip(ended, set_at, strict=True):
                period_id = refs.period_ids[(term.kind, term.number)]
                average = marks.average(student, teaching.subject, period_id)
                mark = round_mark(average) if average is not None else None
                if mark is not None:
                    term_marks.append(mark)
                if moment is not None:
                    row = _row(ids, refs, teaching, student, period_id, mark, account, moment)
                    sink.add(FinalGrade, {**row, "on_time": by_day(
                        moment, final_grade_due(term.ends_on), TIMEZONE)})  # fmt: skip
            if year_set_at is not None:
                mark = round_mark(sum(term_marks) / len(term_marks)) if term_marks else None
                row = _row(ids, refs, teaching, student, refs.year_period_id, mark, account,
                           year_set_at)  # fmt: skip
                due = final_grade_due(terms[-1].ends_on)
                sink.add(FinalGrade, {**row, "on_time": by_day(year_set_at, due, TIMEZONE)})


def _row(
    ids: Ids,
    refs: SchoolRefs,
    teaching: Teaching,
    student: int,
    period_id: int,
    mark: int | None,
    account: int,
    moment: datetime,
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
        "created_at": moment,
        "updated_by_id": None,
        "updated_at": None,
        "version": 1,
    }
