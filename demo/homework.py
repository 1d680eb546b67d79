"""Homework: what a teacher of each subject sets, moving through the textbook with the plan."""

import random
from datetime import date, datetime, timedelta

from demo.dates import at
from demo.ids import Ids
from demo.lessons import LessonRec
from demo.punctuality import TIMEZONE
from demo.sink import Sink
from demo.timetable import Timetable
from demo.world import SchoolRefs
from model import Homework, HomeworkStudent
from resolvers.journal.deadlines import homework_due

_Task = tuple[str, str | None, str | None]

_SECTION_SUBJECTS = frozenset(
    {"История", "Обществознание", "География", "Биология", "Окружающий мир",
     "Основы безопасности и защиты Родины"}
)  # fmt: skip
_CRAFT_SUBJECTS = frozenset({"Музыка", "Изобразительное искусство", "Труд (технология)"})


def homework_for(subject: str, position: int, rng: random.Random) -> _Task:
    """The text, pages and tasks of the homework set at the lesson of this plan position."""
    page = 4 + position * 2 + rng.randint(0, 1)
    section = 1 + position // 2
    number = 5 + position * 6 + rng.randint(0, 4)
    if subject == "Русский язык":
        if rng.random() < 0.2:
            return "Выучить правило, выписать словарные слова", f"с. {page}", None
        return "Выполнить упражнение", f"с. {page}–{page + 1}", f"упр. {number}"
    if subject in ("Литературное чтение", "Литература"):
        if rng.random() < 0.15:
            return "Выучить стихотворение наизусть", f"с. {page}", None
        if rng.random() < 0.3:
            return "Подготовить пересказ", f"с. {page}–{page + 8}", None
        return (
            "Прочитать, ответить на вопросы",
            f"с. {page}–{page + 8}",
            f"вопросы 1–{rng.randint(3, 6)}",
        )
    if subject in ("Математика", "Алгебра", "Геометрия"):
        return "Решить задачи", f"с. {page}–{page + 1}", f"№ {number}, {number + 2}, {number + 5}"
    if subject == "Английский язык":
        return (
            rng.choice(("Выучить новые слова", "Выполнить упражнения в рабочей тетради")),
            f"p. {page}",
            f"ex. {1 + position % 6}, {3 + position % 6}",
        )
    if subject in ("Физика", "Химия"):
        return (
            "Изучить параграф, решить задачи",
            f"§ {section}",
            f"упр. {section} (1–{rng.randint(2, 4)})",
        )
    if subject == "Информатика":
        return (
            "Изучить параграф, выполнить задания в рабочей тетради",
            f"§ {section}",
            f"№ {number}–{number + 2}",
        )
    if subject in _SECTION_SUBJECTS:
        if rng.random() < 0.1:
            return "Подготовить сообщение по теме урока", f"§ {section}", None
        return (
            "Прочитать параграф, ответить на вопросы после параграфа",
            f"§ {section}",
            f"вопросы 1–{rng.randint(3, 5)}",
        )
    if subject in _CRAFT_SUBJECTS:
        return rng.choice(("Принести материалы к следующему уроку", "Закончить работу")), None, None
    return "Повторить пройденный материал", None, None


def individual_homework(topic: str | None, rng: random.Random) -> str:
    options = ["Выполнить работу над ошибками", "Индивидуальное задание по карточке"]
    if topic is not None:
        options.append(f"Подготовить сообщение по теме «{topic}»")
    return rng.choice(options)


class HomeworkBook:
    """Homework set at held lessons, due at the group's next lesson of the subject (R-HW-1)."""

    def __init__(self, sink: Sink, ids: Ids, refs: SchoolRefs, timetable: Timetable) -> None:
        self.sink, self.ids, self.refs = sink, ids, refs
        self.weekdays: dict[tuple[int, str], set[int]] = {}
        for slot in timetable.slots:
            key = (slot.teaching.group_id, slot.teaching.subject)
            self.weekdays.setdefault(key, set()).add(slot.weekday)
        self._next: dict[tuple[int, str, int], date] = {}

    def next_lesson(self, lesson: LessonRec) -> date:
        """The group's next lesson of the subject after this one's day, by the timetable."""
        teaching = lesson.slot.teaching
        key = (teaching.group_id, teaching.subject, lesson.day.toordinal())
        found = self._next.get(key)
        if found is not None:
            return found
        weekdays = self.weekdays[(teaching.group_id, teaching.subject)]
        calendar = self.refs.calendar
        day = lesson.day + timedelta(days=1)
        limit = lesson.day + timedelta(days=60)
        while day <= limit:
            if day.isoweekday() in weekdays and calendar.is_school_day(day):
                break
            day += timedelta(days=1)
        else:
            day = lesson.day + timedelta(days=7)
        self._next[key] = day
        return day

    def set(
        self,
        lesson: LessonRec,
        present: list[int],
        needy: list[int],
        account: int,
        rng: random.Random,
    ) -> None:
        """The class's homework and, now and then, an individual task for a few who need it."""
        step = lesson.step
        position = step.position if step is not None else 1
        text, pages, tasks = homework_for(lesson.slot.teaching.subject, position, rng)
        due = self.next_lesson(lesson)
        created_at = at(lesson.day, lesson.slot.ends_at) + timedelta(minutes=rng.randint(1, 30))
        if lesson.filled_at is not None:
            created_at = max(created_at, lesson.filled_at)
        self._add(lesson, text, pages, tasks, due, False, account, created_at)
        pool = needy or present
        if pool and rng.random() < 0.03:
            chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
            topic = step.topic if step is not None else None
            homework_id = self._add(
                lesson, individual_homework(topic, rng), None, None, due, True, account, created_at
            )
            for student in sorted(chosen):
                self.sink.add(
                    HomeworkStudent,
                    {
                        "id": self.ids.next(HomeworkStudent),
                        "homework_id": homework_id,
                        "student_id": student,
                    },
                )

    def _add(
        self,
        lesson: LessonRec,
        text: str,
        pages: str | None,
        tasks: str | None,
        due: date,
        individual: bool,
        account: int,
        created_at: datetime,
    ) -> int:
        homework_id = self.ids.next(Homework)
        self.sink.add(
            Homework,
            {
                "id": homework_id,
                "school_id": self.refs.id,
                "lesson_id": lesson.id,
                "text": text,
                "pages": pages,
                "tasks": tasks,
                "due_on": due,
                "is_individual": individual,
                "created_by_id": account,
                "created_at": created_at,
                "on_time": created_at <= homework_due(lesson.day, TIMEZONE),
                "updated_by_id": None,
                "updated_at": None,
                "version": 1,
            },
        )
        return homework_id
