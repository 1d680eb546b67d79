"""Messages inside the school (Г.1 #2): each class teacher's weekly message to the class's
parents over the last weeks, most of them read, a couple of parents replying each week; and
the admin's note to the staff about the teachers' council."""

import random
from datetime import date, datetime, time, timedelta

from demo.dates import at
from demo.families import Enrolment
from demo.ids import Ids
from demo.sink import Sink
from demo.staff import Staff
from demo.world import ClassRec, PersonRec, SchoolRefs
from model import Message, MessageRecipient

WEEKS = 4  # the weekly messages of the last four weeks
REPLIES = 2  # parents answering each week's
READ_SHARE = 0.8
WEEKLY = (
    "Итоги недели",
    "Уважаемые родители! На этой неделе класс писал контрольные работы; оценки — в "
    "электронном дневнике. Напоминаю о родительском собрании и прошу проверить дневники.",
)
ANSWERS = (
    "Спасибо, посмотрели оценки. Придём на собрание.",
    "Благодарим за информацию! Будем готовиться к контрольной.",
    "Добрый день! Подскажите, пожалуйста, когда можно подойти обсудить успеваемость?",
)
COUNCIL = (
    "Педагогический совет",
    "Уважаемые коллеги! Педагогический совет по итогам четверти — в пятницу в 15:00 в "
    "актовом зале. Прошу заполнить журналы до четверга.",
)


class Letters:
    """The messages of one school, their rows added to the sink as they are written."""

    def __init__(self, sink: Sink, ids: Ids, refs: SchoolRefs, rng: random.Random) -> None:
        self.sink, self.ids, self.refs, self.rng = sink, ids, refs, rng

    def write(
        self,
        sender: PersonRec,
        to: list[PersonRec],
        subject: str,
        body: str,
        sent_at: datetime,
        today: datetime,
        answering: tuple[int, int] | None = None,  # (thread, message)
    ) -> int:
        message_id = self.ids.next(Message)
        thread = message_id if answering is None else answering[0]
        self.sink.add(
            Message,
            {
                "id": message_id, "school_id": self.refs.id, "sender_id": sender.id,
                "thread_id": thread, "reply_to_id": None if answering is None else answering[1],
                "student_id": None, "subject": subject, "body": body, "sent_at": sent_at,
            },
        )  # fmt: skip
        for person in to:
            read_at = sent_at + timedelta(hours=self.rng.randint(1, 30))
            read = self.rng.random() < READ_SHARE and read_at < today
            self.sink.add(
                MessageRecipient,
                {
                    "id": self.ids.next(MessageRecipient),
                    "message_id": message_id,
                    "recipient_id": person.id,
                    "read_at": read_at if read else None,
                },
            )
        return message_id


def _fridays(today: date, starts_on: date) -> list[date]:
    last = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
    days = [last - timedelta(weeks=week) for week in range(WEEKS)]
    return sorted(day for day in days if starts_on <= day < today)


def write_messages(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    enrolment: Enrolment,
    staff: Staff,
    today: date,
    rng: random.Random,
) -> None:
    letters = Letters(sink, ids, refs, rng)
    now = at(today, time(8))
    fridays = _fridays(today, refs.calendar.starts_on)
    for school_class in classes:
        teacher = school_class.class_teacher
        if teacher is None:
            continue
        families = {
            parent.id: parent
            for student in school_class.students
            for parent, _ in enrolment.parents_of.get(student.id, [])
        }
        families.pop(teacher.person.id, None)  # a class teacher's own child in their class
        parents = [families[person] for person in sorted(families)]
        if not parents:
            continue
        for friday in fridays:
            sent_at = at(friday, time(15, rng.randint(0, 59)))
            subject, body = WEEKLY
            subject = f"{subject} ({friday:%d.%m})"
            weekly = letters.write(teacher.person, parents, subject, body, sent_at, now)
            for parent in rng.sample(parents, min(REPLIES, len(parents))):
                replied_at = sent_at + timedelta(hours=rng.randint(2, 40))
                if replied_at >= now:
                    continue
                letters.write(
                    parent, [teacher.person], f"Re: {subject}", rng.choice(ANSWERS),
                    replied_at, now, answering=(weekly, weekly),
                )  # fmt: skip
    if fridays:
        staffed = [staff.head, staff.deputy, *(t.person for t in staff.teachers)]
        colleagues = list({p.id: p for p in staffed if p.id != staff.admin.id}.values())
        sent_at = at(fridays[-1], time(9))
        letters.write(staff.admin, colleagues, *COUNCIL, sent_at, now)
