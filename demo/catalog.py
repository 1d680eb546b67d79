"""The curriculum a Russian school follows: subjects with weekly hours per parallel, work types."""

import enum
from dataclasses import dataclass
from decimal import Decimal

from model import PeriodKind


class Work(enum.StrEnum):
    """The work types of a demo school; values are the names shown in the journal."""

    ANSWER = "Ответ на уроке"
    INDEPENDENT = "Самостоятельная работа"
    CHECK = "Проверочная работа"
    CONTROL = "Контрольная работа"
    HOMEWORK = "Домашняя работа"
    DICTATION = "Диктант"
    ESSAY = "Сочинение"
    LAB = "Лабораторная работа"
    PRACTICAL = "Практическая работа"
    RECITATION = "Чтение наизусть"
    STANDARDS = "Сдача нормативов"


@dataclass(frozen=True)
class WorkTypeSpec:
    work: Work
    short_name: str
    weight: Decimal
    checking_days: int


WORK_TYPES: tuple[WorkTypeSpec, ...] = (
    WorkTypeSpec(Work.ANSWER, "Отв", Decimal("1"), 2),
    WorkTypeSpec(Work.INDEPENDENT, "С/р", Decimal("1.5"), 2),
    WorkTypeSpec(Work.CHECK, "Пров", Decimal("1.5"), 3),
    WorkTypeSpec(Work.CONTROL, "К/р", Decimal("2"), 5),
    WorkTypeSpec(Work.HOMEWORK, "Д/з", Decimal("1"), 2),
    WorkTypeSpec(Work.DICTATION, "Дикт", Decimal("2"), 3),
    WorkTypeSpec(Work.ESSAY, "Соч", Decimal("2"), 7),
    WorkTypeSpec(Work.LAB, "Л/р", Decimal("1.5"), 3),
    WorkTypeSpec(Work.PRACTICAL, "Пр/р", Decimal("1.5"), 3),
    WorkTypeSpec(Work.RECITATION, "Наиз", Decimal("1"), 0),
    WorkTypeSpec(Work.STANDARDS, "Норм", Decimal("1"), 0),
)


class Taught(enum.Enum):
    """Who teaches a subject in a class."""

    SPECIALIST = "specialist"
    # In the primary school (1–4) the class teacher teaches most subjects herself.
    PRIMARY_CLASS_TEACHER = "primary"
    CLASS_TEACHER = "class_teacher"
    # The school psychologist's own course, whose journal they keep as a teacher does (Д).
    PSYCHOLOGIST = "psychologist"


@dataclass(frozen=True)
class SubjectSpec:
    name: str
    short_name: str
    family: str
    hours: tuple[int, ...]
    taught: Taught = Taught.SPECIALIST
    split_from: int | None = None
    pass_fail: bool = False
    no_attestation: bool = False
    homework_chance: float = 0.9
    grade_share: float = 1.0
    # The work types graded in an ordinary lesson, with their odds.
    regular: tuple[tuple[Work, int], ...] = (
        (Work.ANSWER, 6),
        (Work.INDEPENDENT, 2),
        (Work.HOMEWORK, 2),
    )

    def hours_in(self, parallel: int) -> int:
        return self.hours[parallel - 1]

    def taught_by_class_teacher(self, parallel: int) -> bool:
        if self.taught is Taught.CLASS_TEACHER:
            return True
        return self.taught is Taught.PRIMARY_CLASS_TEACHER and parallel <= 4

    @property
    def taught_by_psychologist(self) -> bool:
        return self.taught is Taught.PSYCHOLOGIST

    def splits(self, parallel: int) -> bool:
        return self.split_from is not None and parallel >= self.split_from


_MATH_WORK = ((Work.ANSWER, 4), (Work.INDEPENDENT, 3), (Work.HOMEWORK, 3))
_READING_WORK = ((Work.ANSWER, 6), (Work.RECITATION, 2), (Work.HOMEWORK, 1))

# Weekly hours per parallel 1..11 after the federal basic curriculum (ФОП НОО/ООО/СОО, 5-day week).
SUBJECTS: tuple[SubjectSpec, ...] = (
    SubjectSpec(
        "Русский язык", "Рус. яз.", "russian", (5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2),
        Taught.PRIMARY_CLASS_TEACHER,
        regular=((Work.ANSWER, 4), (Work.INDEPENDENT, 2), (Work.HOMEWORK, 3), (Work.DICTATION, 1)),
    ),
    SubjectSpec(
        "Литературное чтение", "Лит. чт.", "russian", (4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0),
        Taught.PRIMARY_CLASS_TEACHER, regular=_READING_WORK,
    ),
    SubjectSpec(
        "Литература", "Лит.", "russian", (0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3),
        regular=_READING_WORK,
    ),
    SubjectSpec(
        "Английский язык", "Англ. яз.", "english", (0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3),
        split_from=2, regular=((Work.ANSWER, 6), (Work.HOMEWORK, 2), (Work.INDEPENDENT, 1)),
    ),
    SubjectSpec(
        "Математика", "Матем.", "math", (4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0),
        Taught.PRIMARY_CLASS_TEACHER, regular=_MATH_WORK,
    ),
    SubjectSpec("Алгебра", "Алг.", "math", (0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3), regular=_MATH_WORK),
    SubjectSpec(
        "Геометрия", "Геом.", "math", (0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2), regular=_MATH_WORK
    ),
    SubjectSpec(
        "Окружающий мир", "Окр. мир", "primary", (2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0),
        Taught.PRIMARY_CLASS_TEACHER,
    ),
    SubjectSpec("История", "Ист.", "history", (0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2)),
    SubjectSpec("Обществознание", "Общ.", "history", (0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2)),
    SubjectSpec("География", "Геогр.", "geography", (0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1)),
    SubjectSpec("Биология", "Биол.", "biology", (0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1)),
    SubjectSpec("Физика", "Физ.", "physics", (0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2)),
    SubjectSpec("Химия", "Хим.", "chemistry", (0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1)),
    SubjectSpec(
        "Информатика", "Информ.", "informatics", (0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
        split_from=7, regular=((Work.ANSWER, 3), (Work.PRACTICAL, 3), (Work.HOMEWORK, 1)),
    ),
    SubjectSpec(
        "Музыка", "Муз.", "arts", (1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0),
        homework_chance=0.1, grade_share=0.6, regular=((Work.ANSWER, 1),),
    ),
    SubjectSpec(
        "Изобразительное искусство", "ИЗО", "arts", (1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0),
        Taught.PRIMARY_CLASS_TEACHER, homework_chance=0.2, grade_share=0.8,
        regular=((Work.PRACTICAL, 3), (Work.ANSWER, 1)),
    ),
    SubjectSpec(
        "Труд (технология)", "Труд", "labour", (1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0),
        Taught.PRIMARY_CLASS_TEACHER, split_from=5, homework_chance=0.2,
        regular=((Work.PRACTICAL, 3), (Work.ANSWER, 1)),
    ),
    SubjectSpec(
        "Физическая культура", "Физ-ра", "pe", (2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2),
        homework_chance=0.0, regular=((Work.ANSWER, 3), (Work.STANDARDS, 1)),
    ),
    SubjectSpec(
        "Основы безопасности и защиты Родины", "ОБЗР", "obzr", (0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)
    ),
    SubjectSpec(
        "Разговоры о важном", "РоВ", "class", (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
        Taught.CLASS_TEACHER, pass_fail=True, no_attestation=True, homework_chance=0.0,
        grade_share=0.2, regular=((Work.ANSWER, 1),),
    ),
    # Внеурочная деятельность: the psychologist's lessons for the 1st to 5th grades, the years
    # of starting school and of moving up to the middle school; not graded, not attested.
    SubjectSpec(
        "Тропинка к своему Я", "Психол.", "psychology", (1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
        Taught.PSYCHOLOGIST, pass_fail=True, no_attestation=True, homework_chance=0.0,
        grade_share=0.0, regular=((Work.ANSWER, 1),),
    ),
)  # fmt: skip

SUBJECT_BY_NAME: dict[str, SubjectSpec] = {spec.name: spec for spec in SUBJECTS}


# Weekly hours are planned over 34 study weeks (33 in the first grade).
def study_weeks(parallel: int) -> int:
    return 33 if parallel == 1 else 34


# The most lessons a day a class of the parallel may have (СанПиН 1.2.3685-21).
def max_lessons_per_day(parallel: int) -> int:
    if parallel == 1:
        return 5
    if parallel <= 4:
        return 5
    if parallel <= 6:
        return 6
    return 7


# Grades 1–9 are graded by quarters, the senior grades 10–11 by halves of the year.
def period_kind_for(parallel: int) -> PeriodKind:
    return PeriodKind.HALF if parallel >= 10 else PeriodKind.QUARTER
