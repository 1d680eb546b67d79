"""The attestation summary (сводная ведомость итогов аттестации, R-ATTEST-1, А #6): a school's
students × subjects × reporting periods with their term and final grades, and per subject and
overall the count of each mark — 5, 4, 3, 2, «н/а» (not attested), «осв.» (exempt), «зач.» (a
pass) — with the success share (успеваемость: attested without a 2 or «н/а») and the quality
share (качество: only 4s and 5s), per class, per parallel and for the school, as it stands now.

Four statements whatever the school's size: the school, the periods, the students with their
classes, the final grades with their marks' values. A mark is read by its value on its scale: 5
and more is a 5, then 4, 3, and below 3 a 2 (the five-point scale, which every Russian school
keeps for attestation). Grades are counted one by one; the shares are over students: a student
counts once in a subject, a class, a parallel or the school, by all their grades there.

`checksum` is the SHA-256 of the summary's data as canonical JSON: the certified PDF prints it,
and `attestationCertificate` finds the certificate and says whether the data still gives it.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.names import class_name, short_name

MAX_PERIODS = 6
FIVE, FOUR, THREE, TWO = "5", "4", "3", "2"
NOT_ATTESTED, EXEMPT, PASSED = "н/а", "осв.", "зач."
COLUMNS = (FIVE, FOUR, THREE, TWO, NOT_ATTESTED, EXEMPT, PASSED)
SPECIAL = {
    m.FinalGradeSpecial.NOT_ATTESTED: NOT_ATTESTED,
    m.FinalGradeSpecial.EXEMPT: EXEMPT,
    m.FinalGradeSpecial.PASS: PASSED,
}
PERCENT = Decimal("0.1")


def column(mark: str | None, value: Decimal | None, special: m.FinalGradeSpecial | None) -> str:
    """Which count a final grade adds to."""
    if special is not None:
        return SPECIAL[special]
    if value is None:  # a mark without a value on its scale: a pass («зачёт»)
        return PASSED
    if value >= 5:
        return FIVE
    if value >= 4:
        return FOUR
    if value >= 3:
        return THREE
    return TWO


@dataclass
class Tally:
    """Students by the worst of their grades counted here, and each mark's count."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    students: set[int] = field(default_factory=set)
    failing: set[int] = field(default_factory=set)  # a 2 or «н/а»
    below_four: set[int] = field(default_factory=set)  # a 3, a 2 or «н/а»
    exempt_only: dict[int, bool] = field(default_factory=dict)

    def add(self, student: int, mark: str) -> None:
        self.counts[mark] += 1
        self.students.add(student)
        if mark in (TWO, NOT_ATTESTED):
            self.failing.add(student)
        if mark in (THREE, TWO, NOT_ATTESTED):
            self.below_four.add(student)
        self.exempt_only[student] = self.exempt_only.get(student, True) and mark == EXEMPT

    @property
    def attested(self) -> int:
        """Students with a grade here other than an exemption."""
        return sum(1 for only in self.exempt_only.values() if not only)

    def share(self, excluded: set[int]) -> Decimal | None:
        if not self.attested:
            return None
        kept = self.attested - len(excluded)
        return (Decimal(100) * kept / self.attested).quantize(PERCENT, rounding=ROUND_HALF_UP)

    @property
    def success(self) -> Decimal | None:
        return self.share(self.failing)

    @property
    def quality(self) -> Decimal | None:
        return self.share(self.below_four)


@dataclass(frozen=True)
class StudentRow:
    student: m.Person
    # (period id, subject id) → what the grade counts as («5», «н/а»), the mark as written
    grades: dict[tuple[int, int], tuple[str, str]]


@dataclass
class Section:
    """A class, a parallel or the school: its students' rows and tallies."""

    name: str
    school_class: m.SchoolClass | None = None
    students: list[StudentRow] = field(default_factory=list)
    subjects: dict[int, Tally] = field(default_factory=lambda: defaultdict(Tally))
    total: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class Summary:
    school: m.School
    periods: list[m.Period]
    subjects: list[tuple[int, str]]  # by name
    classes: list[Section]
    parallels: list[Section]
    whole: Section

    def data(self) -> dict[str, object]:
        """What the summary says, as canonical JSON takes it: what the checksum is of."""

        def tally(t: Tally) -> dict[str, object]:
            return {
                "counts": t.counts,
                "students": len(t.students),
                "success": None if t.success is None else str(t.success),
                "quality": None if t.quality is None else str(t.quality),
            }

        def section(s: Section) -> dict[str, object]:
            return {
                "name": s.name,
                "students": [
                    {
                        "id": row.student.id,
                        "name": short_name(row.student),
                        "grades": {f"{p}:{s_}": g[1] for (p, s_), g in sorted(row.grades.items())},
                    }
                    for row in s.students
                ],
                "subjects": {str(k): tally(v) for k, v in sorted(s.subjects.items())},
                "total": tally(s.total),
            }

        return {
            "school": self.school.id,
            "periods": [period.id for period in self.periods],
            "subjects": [[subject_id, name] for subject_id, name in self.subjects],
            "classes": [section(s) for s in self.classes],
            "parallels": [section(s) for s in self.parallels],
            "school_total": section(self.whole),
        }

    @cached_property
    def columns(self) -> list[tuple[m.Period, int, str]]:
        """The grade columns (period, subject id, subject): subject by subject, by name, then
        period by period — the order of every row's marks, in the answer and in the files."""
        return [(period, subject_id, name) for subject_id, name in self.subjects
                for period in self.periods]  # fmt: skip

    @cached_property
    def checksum(self) -> str:
        text = json.dumps(self.data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


async def attestation_summary(
    ctx: Context, school_id: int, period_ids: Sequence[int], class_id: int | None = None
) -> Summary:
    if not period_ids:
        raise BadUserInput("Name at least one reporting period.", argument="periodIds")
    if len(set(period_ids)) > MAX_PERIODS:
        raise BadUserInput(f"At most {MAX_PERIODS} periods at once.", argument="periodIds")
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, ctx.loaders.readable(m.School))
    )
    if school is None:
        raise NotFound("There is no such school, or you may not see it.", argument="schoolId")
    periods = list(
        await ctx.db.scalars(
            select(m.Period)
            .where(
                m.Period.id.in_(sorted(set(period_ids))),
                m.Period.school_id == school_id,
                ctx.loaders.readable(m.Period),
            )
            .order_by(m.Period.starts_on, m.Period.ends_on)
        )
    )
    if len(periods) != len(set(period_ids)):
        raise NotFound("There is no such period in the school, or you may not see it.",
                       argument="periodIds")  # fmt: skip
    if len({period.school_year_id for period in periods}) > 1:
        raise BadUserInput("The periods are of one school year.", argument="periodIds")
    year = periods[0].school_year_id
    placed = await ctx.db.rows(
        select(m.Person, m.SchoolClass, m.ClassStudent.starts_on)
        .join(m.ClassStudent, m.ClassStudent.student_id == m.Person.id)
        .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
        .where(
            m.SchoolClass.school_id == school_id,
            m.SchoolClass.school_year_id == year,
            ctx.loaders.readable(m.Person),
            ctx.loaders.readable(m.SchoolClass),
            *([m.SchoolClass.id == class_id] if class_id is not None else []),
        )
    )
    classes_of: dict[int, m.SchoolClass] = {}
    people: dict[int, m.Person] = {}
    entered: dict[int, date] = {}
    for person, school_class, starts_on in placed:  # a student who moved: in their newest class
        since = starts_on or date.min  # no start: from the year's first day
        if person.id not in entered or since > entered[person.id]:
            classes_of[person.id], entered[person.id] = school_class, since
        people[person.id] = person
    grades = await ctx.db.rows(
        select(
            m.FinalGrade.student_id,
            m.FinalGrade.period_id,
            m.Subject.id,
            m.Subject.name,
            m.FinalGrade.mark,
            m.GradeScaleMark.value,
            m.FinalGrade.special,
        )
        .join(m.Subject, m.Subject.id == m.FinalGrade.subject_id)
        .outerjoin(
            m.GradeScaleMark,
            (m.GradeScaleMark.grade_scale_id == m.FinalGrade.grade_scale_id)
            & (m.GradeScaleMark.mark == m.FinalGrade.mark),
        )
        .where(
            m.FinalGrade.school_id == school_id,
            m.FinalGrade.period_id.in_([period.id for period in periods]),
            ctx.loaders.readable(m.FinalGrade),
        )
    )
    return _summary(school, periods, people, classes_of, grades)


def _summary(
    school: m.School,
    periods: list[m.Period],
    people: dict[int, m.Person],
    classes_of: dict[int, m.SchoolClass],
    grades: Iterable[Sequence[object]],
) -> Summary:
    by_student: dict[int, dict[tuple[int, int], tuple[str, str]]] = defaultdict(dict)
    subjects: dict[int, str] = {}
    for student, period, subject_id, subject, mark, value, special in grades:
        assert isinstance(student, int)
        assert isinstance(period, int)
        assert isinstance(subject_id, int)
        assert isinstance(subject, str)
        if student not in people:
            continue  # not in the classes asked about
        counted = column(mark, value, special)  # type: ignore[arg-type]
        written = mark if isinstance(mark, str) else counted
        by_student[student][(period, subject_id)] = (counted, written)
        subjects[subject_id] = subject
    classes: dict[int, Section] = {}
    parallels: dict[int, Section] = {}
    whole = Section(name=school.short_name or school.name)
    for student_id, school_class in sorted(
        classes_of.items(),
        key=lambda item: (item[1].parallel, item[1].letter, *_name_key(people[item[0]])),
    ):
        row = StudentRow(people[student_id], by_student.get(student_id, {}))
        section = classes.setdefault(
            school_class.id, Section(name=class_name(school_class), school_class=school_class)
        )
        parallel = parallels.setdefault(
            school_class.parallel, Section(name=f"{school_class.parallel} классы")
        )
        section.students.append(row)
        for (_, subject_id), (counted, _) in row.grades.items():
            for target in (section, parallel, whole):
                target.subjects[subject_id].add(student_id, counted)
                target.total.add(student_id, counted)
    return Summary(
        school=school,
        periods=periods,
        subjects=sorted(subjects.items(), key=lambda item: (item[1], item[0])),
        classes=list(classes.values()),
        parallels=[parallels[key] for key in sorted(parallels)],
        whole=whole,
    )


def _name_key(person: m.Person) -> tuple[str, str, int]:
    return person.last_name, person.first_name, person.id
