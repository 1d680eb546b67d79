"""The КТП: for every subject of a parallel, one plan item per lesson of the year, in order."""

from dataclasses import dataclass

from demo.catalog import SUBJECT_BY_NAME, Work, study_weeks
from demo.ids import Ids
from demo.sink import Sink
from demo.topics import PRACTICE, units_for
from demo.world import ClassRec, SchoolRefs, Teaching
from model import Plan, PlanItem

# The practice lesson names that say what kind of work is graded in them.
_PRACTICE_WORK = {
    "Самостоятельная работа": Work.INDEPENDENT,
    "Словарный диктант": Work.DICTATION,
    "Чтение наизусть": Work.RECITATION,
    "Сдача нормативов": Work.STANDARDS,
    "Практическое занятие": Work.PRACTICAL,
    "Изготовление изделия": Work.PRACTICAL,
    "Творческая работа": Work.PRACTICAL,
}

_STYLE = {
    "Русский язык": "russian",
    "Литературное чтение": "reading",
    "Литература": "literature",
    "Математика": "math",
    "Алгебра": "math",
    "Геометрия": "math",
    "Английский язык": "english",
    "Физика": "science",
    "Химия": "science",
    "Биология": "science",
    "Информатика": "science",
    "История": "humanities",
    "Обществознание": "humanities",
    "География": "humanities",
    "Окружающий мир": "humanities",
    "Основы безопасности и защиты Родины": "humanities",
    "Музыка": "plain",
    "Изобразительное искусство": "practice",
    "Труд (технология)": "practice",
    "Физическая культура": "pe",
    "Тропинка к своему Я": "psychology",
}


@dataclass(frozen=True)
class Control:
    """The closing work of a unit (and, for sciences, a lab or practical work in its middle)."""

    work: Work
    title: str
    middle: tuple[Work, str] | None = None


def control_for(subject: str, parallel: int) -> Control | None:
    if parallel == 1:
        return None
    if subject == "Русский язык":
        if parallel <= 9:
            return Control(Work.DICTATION, "Контрольный диктант по теме «{}»")
        return Control(Work.CONTROL, "Контрольная работа по теме «{}»")
    if subject in ("Литературное чтение", "Окружающий мир"):
        return Control(Work.CHECK, "Проверочная работа по разделу «{}»")
    if subject == "Литература":
        return Control(Work.ESSAY, "Сочинение по теме «{}»")
    if subject in ("Математика", "Алгебра", "Геометрия"):
        return Control(Work.CONTROL, "Контрольная работа по теме «{}»")
    if subject == "Английский язык":
        return Control(Work.CONTROL, "Контрольная работа по модулю «{}»")
    if subject in ("История", "Обществознание", "География", "Основы безопасности и защиты Родины"):
        return Control(Work.CHECK, "Проверочная работа по теме «{}»")
    if subject in ("Физика", "Химия", "Биология"):
        lab = (Work.LAB, "Лабораторная работа по теме «{}»")
        return Control(Work.CONTROL, "Контрольная работа по теме «{}»", lab)
    if subject == "Информатика":
        practical = (Work.PRACTICAL, "Практическая работа по теме «{}»")
        return Control(Work.CONTROL, "Контрольная работа по теме «{}»", practical)
    return None


# Works heard from a few students a lesson, not planned for the whole class in the КТП.
_UNPLANNED = frozenset({Work.RECITATION})


@dataclass(frozen=True)
class PlanStep:
    item_id: int
    position: int
    topic: str
    # The work a lesson on this topic is about, if it is not an ordinary lesson.
    work: Work | None
    is_control: bool
    # The work is the plan item's work type: the whole class does it, and it is in the journal
    # as a work type of the lesson even before anyone's mark is in.
    planned: bool


def plan_topics(subject: str, parallel: int, hours: int) -> list[tuple[str, Work | None, bool]]:
    """`hours` lesson topics: a unit opens with its name, is practised, and closes with a test."""
    units = units_for(subject, parallel)
    if hours <= len(units):
        return [(unit, None, False) for unit in units[:hours]]
    control = control_for(subject, parallel)
    practice = PRACTICE.get(_STYLE.get(subject, "plain"), PRACTICE["plain"])
    base, extra = divmod(hours, len(units))
    topics: list[tuple[str, Work | None, bool]] = []
    for number, unit in enumerate(units):
        share = base + (1 if number < extra else 0)
        topics.append((unit, None, False))
        for step in range(1, share):
            if control is not None and share >= 4 and step == share - 1:
                topics.append((control.title.format(unit), control.work, True))
            elif control is not None and control.middle is not None and share >= 5 and step == 2:
                work, title = control.middle
                topics.append((title.format(unit), work, True))
            else:
                suffix = practice[(number + step - 1) % len(practice)]
                topics.append((f"{unit}. {suffix}", _PRACTICE_WORK.get(suffix), False))
    return topics


def build_plans(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    teachings: list[Teaching],
) -> dict[tuple[str, int], list[PlanStep]]:
    """One КТП per subject and parallel, written by the teacher who gives most of its hours."""
    authors: dict[tuple[str, int], dict[int, int]] = {}
    for teaching in teachings:
        key = (teaching.subject, classes[teaching.class_index].parallel)
        share = authors.setdefault(key, {})
        share[teaching.teacher_id] = share.get(teaching.teacher_id, 0) + teaching.hours
    plans: dict[tuple[str, int], list[PlanStep]] = {}
    for (subject, parallel), share in authors.items():
        author = min(share, key=lambda teacher: (-share[teacher], teacher))
        plan_id = ids.next(Plan)
        sink.add(
            Plan,
            {
                "id": plan_id,
                "school_id": refs.id,
                "school_year_id": refs.year_id,
                "subject_id": refs.subject_ids[subject],
                "parallel": parallel,
                "author_id": author,
                "name": f"КТП: {subject}, {parallel} класс, {refs.calendar.name}",
            },
        )
        hours = SUBJECT_BY_NAME[subject].hours_in(parallel) * study_weeks(parallel)
        steps = []
        for position, (topic, work, is_control) in enumerate(
            plan_topics(subject, parallel, hours), start=1
        ):
            item_id = ids.next(PlanItem)
            # First graders are not graded (безотметочное обучение): no work is planned for marks.
            planned = work is not None and work not in _UNPLANNED and parallel > 1
            work_type_id = refs.work_type_ids[work] if planned and work is not None else None
            steps.append(PlanStep(item_id, position, topic, work, is_control, planned))
            sink.add(
                PlanItem,
                {
                    "id": item_id,
                    "school_id": refs.id,
                    "plan_id": plan_id,
                    "position": position,
                    "topic": topic,
                    "hours": 1,
                    "work_type_id": work_type_id,
                },
            )
        plans[(subject, parallel)] = steps
    return plans
