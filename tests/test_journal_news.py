"""The journal's news (issue 14, Ж.1 #3, Г.1 #3): a grade, an absence or a late arrival,
homework and a final grade queue notifications in the write's own transaction — the student
and the parents in the in-app feed, and on the channels they chose — at the right time, once;
a rolled-back write queues nothing. Through the endpoint, as the demo's teacher and parent."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from resolvers.notifications import live
from tests.client import GraphQLClient
from tests.conftest import StatementCounter, in_process
from tests.deliveries import worker
from tests.lessons import execute, rows
from tests.mail import mail_server
from tests.test_audit_every_write import DAY, _day_of_class_teacher
from tests.test_final_grades import FINAL, _final, _quarter_lesson

SET = """mutation($i: GradesSetInput!) {
  gradesSet(input: $i) { grades { id mark version student { id } } } }"""
SUBSCRIBE = """mutation($s: ID!, $c: [String!]!) {
  notificationSubscriptionsSet(input: {studentId: $s, topics: [{topic: GRADE, channels: $c}]})
  { topics { topic channels } } }"""
SETTINGS = """mutation($f: Time, $u: Time, $d: Time) {
  notificationSettingsSet(input: {quietFrom: $f, quietUntil: $u, digestAt: $d}) { digestAt } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id } } }"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) { homeworkAssign(input: $i) { id } }"""
OUTBOX = """SELECT person_id, student_id, channel, topic, subject, body, status, digest, due_at,
  created_at FROM notification ORDER BY person_id, channel"""
ZONE = ZoneInfo("Europe/Moscow")


def _id(global_id: str) -> int:
    return int(relay.from_base64(global_id)[1])


async def _person(engine: AsyncEngine, login: str) -> int:
    found = await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    return int(found[0][0])


async def _scene(engine: AsyncEngine, demo: dict[str, str]) -> dict[str, Any]:
    """The demo teacher's latest held lesson with the demo student's class, its work type; the
    student, their parents, and another student of the lesson with theirs."""
    student = await _person(engine, demo["student"])
    parent = await _person(engine, demo["parent"])
    found = await rows(
        engine,
        """SELECT l.id, l.school_id, s.name, l.held_on, l.group_id FROM lesson l
        JOIN account a ON a.person_id = l.teacher_id JOIN subject s ON s.id = l.subject_id
        JOIN study_group g ON g.id = l.group_id
        WHERE a.login = :t AND (g.id IN (SELECT group_id FROM group_student WHERE student_id = :s)
          OR g.kind = 'whole_class' AND g.school_class_id IN
            (SELECT school_class_id FROM class_student WHERE student_id = :s))
          AND l.status = 'held' AND NOT s.no_attestation AND l.held_on >= '2026-11-01'
        ORDER BY l.held_on DESC, l.id LIMIT 1""",
        t=demo["teacher"],
        s=student,
    )
    lesson, school, subject, held_on, group = found[0]
    classmates = await rows(
        engine,
        "SELECT * FROM (SELECT cs.student_id FROM class_student cs JOIN study_group g "
        "ON g.school_class_id = cs.school_class_id WHERE g.id = :g AND g.kind = 'whole_class' "
        "UNION SELECT student_id FROM group_student WHERE group_id = :g) AS m "
        "WHERE student_id != :s ORDER BY 1",
        g=group,
        s=student,
    )
    work_type, work_name = (
        await rows(
            engine,
            "SELECT id, name FROM work_type WHERE school_id = :s ORDER BY id LIMIT 1",
            s=school,
        )
    )[0]
    parents = await rows(engine, "SELECT child_id, parent_id FROM guardianship")
    other = int(classmates[0][0])
    # (grades corrected today: the demo's lessons are of its own «today»)
    await execute(engine, "UPDATE school SET grade_edit_window = 'one_month'")
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson)
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson)
    return {
        "lesson": lesson,
        "gid": relay.to_base64("Lesson", lesson),
        "school": school,
        "subject": subject,
        "held_on": held_on if isinstance(held_on, date) else date.fromisoformat(held_on),
        "work_type": relay.to_base64("WorkType", work_type),
        "work_name": work_name,
        "student": student,
        "parent": parent,
        "parents": {p for c, p in parents if c == student},
        "other": other,
        "other_parents": {p for c, p in parents if c == other},
        "classmates": [int(c) for (c,) in classmates],
    }


def _grades(
    scene: dict[str, Any], marks: dict[int, str | None], extra: dict[int, Any] | None = None
) -> dict[str, Any]:
    extra = extra or {}
    return {
        "i": {
            "lessonId": scene["gid"],
            "grades": [
                {"studentId": relay.to_base64("Person", student), "workTypeId": scene["work_type"],
                 "mark": mark, **extra.get(student, {})}
                for student, mark in marks.items()
            ],
        }
    }  # fmt: skip


async def _outbox(engine: AsyncEngine) -> list[Any]:
    return await rows(engine, OUTBOX)


def _moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _signed_in(api: GraphQLClient, demo: dict[str, str]) -> tuple[str, str]:
    return await api.login(demo["teacher"], "demo"), await api.login(demo["parent"], "demo")


async def test_a_grade_queues_one_email_for_the_subscribed_parent_and_the_feed_for_all(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Ж.1 #3, Г.1 #3: a grade written → exactly one e-mail, the right child and mark
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    # given the parent asked for the child's grades by e-mail (and in the feed)
    child = relay.to_base64("Person", scene["student"])
    chosen = await api(SUBSCRIBE, {"s": child, "c": ["email", "in_app"]}, token=parent)
    assert chosen.data["notificationSubscriptionsSet"]["topics"][0]["channels"] == [
        "email",
        "in_app",
    ]
    # when the teacher grades the child and a classmate
    reply = await api(
        SET, _grades(scene, {scene["student"]: "5", scene["other"]: "4"}), token=teacher
    )
    assert reply.data
    # then the parent has exactly one e-mail, about the child, the subject, the mark
    queued = await _outbox(engine)
    emails = [row for row in queued if row[2] == "email"]
    assert [(row[0], row[1], row[3]) for row in emails] == [
        (scene["parent"], scene["student"], "grade")
    ]
    subject, body = emails[0][4], emails[0][5]
    name = (await rows(engine, "SELECT last_name, first_name FROM person WHERE id = :p",
                       p=scene["student"]))[0]  # fmt: skip
    assert subject == f"Новая оценка: {scene['subject']}"
    assert body.startswith(f"{name[0]} {name[1]}: 5 по предмету «{scene['subject']}»")
    assert scene["work_name"] in body
    assert scene["held_on"].strftime("%d.%m.%Y") in body
    # and every student and parent of the two has it in the feed, no one else anything
    feed = {(row[0], row[1]) for row in queued if row[2] == "in_app"}
    expected = {(p, scene["student"]) for p in {scene["student"], *scene["parents"]}}
    expected |= {(p, scene["other"]) for p in {scene["other"], *scene["other_parents"]}}
    assert feed == expected
    assert {row[0] for row in queued} == {p for p, _ in expected}
    # all queued, after the settling time (three minutes by default)
    assert {row[6] for row in queued} == {"queued"}
    for row in queued:
        assert _moment(row[8]) - _moment(row[9]) == timedelta(seconds=180)


async def test_a_grade_corrected_within_the_settling_time_is_told_once(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # issue 14: a changed grade within a few minutes → one notification
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email"]}, token=parent)).data
    entered = (await api(SET, _grades(scene, {scene["student"]: "3"}), token=teacher)).data
    version = entered["gradesSet"]["grades"][0]["version"]
    # when the teacher corrects it a moment later
    fixed = _grades(scene, {scene["student"]: "4"}, {scene["student"]: {"version": version}})
    assert (await api(SET, fixed, token=teacher)).data
    # then the parent still has one e-mail, telling of the mark as it stands
    emails = [row for row in await _outbox(engine) if row[2] == "email"]
    assert len(emails) == 1
    assert emails[0][4].startswith("Оценка изменена")
    assert "изменена на 4" in emails[0][5]
    assert emails[0][6] == "queued"


async def test_a_rolled_back_grades_set_queues_nothing(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # issue 14: a rolled-back write notifies nobody (design.md invariant 6)
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email", "sms"]}, token=parent)).data
    # when a later item of the write is refused
    reply = await api(
        SET, _grades(scene, {scene["student"]: "5", scene["other"]: "11"}), token=teacher
    )
    assert reply.error_code == "BAD_USER_INPUT"
    # then nothing is written and nobody is told
    assert await rows(engine, "SELECT id FROM grade WHERE lesson_id = :l", l=scene["lesson"]) == []
    assert await _outbox(engine) == []


async def test_a_grade_removed_before_it_was_told_is_cancelled_after_it_is_told_of(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # issue 14: removal of what was not yet told cancels it; of what was, is news
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email"]}, token=parent)).data
    entered = (await api(SET, _grades(scene, {scene["student"]: "2"}), token=teacher)).data
    version = entered["gradesSet"]["grades"][0]["version"]
    # when it is removed while still queued
    removal = _grades(scene, {scene["student"]: None}, {scene["student"]: {"version": version}})
    assert (await api(SET, removal, token=teacher)).data
    # then everything queued of it is cancelled, and nothing else is queued
    assert {(row[2], row[6]) for row in await _outbox(engine)} == {
        ("email", "cancelled"),
        ("in_app", "cancelled"),
    }
    # given a grade entered again, and its e-mail sent
    entered = (await api(SET, _grades(scene, {scene["student"]: "3"}), token=teacher)).data
    version = entered["gradesSet"]["grades"][0]["version"]
    await execute(engine, "UPDATE notification SET status = 'sent' WHERE status = 'queued' "
                  "AND channel = 'email'")  # fmt: skip
    # when it is removed
    removal = _grades(scene, {scene["student"]: None}, {scene["student"]: {"version": version}})
    assert (await api(SET, removal, token=teacher)).data
    # then the parent, told of it by e-mail, is told of the removal by e-mail
    queued = [row for row in await _outbox(engine) if row[6] == "queued"]
    assert [(row[0], row[2]) for row in queued] == [(scene["parent"], "email")]
    assert queued[0][4].startswith("Оценка удалена")
    assert "оценка 3" in queued[0][5]


async def test_quiet_hours_hold_an_email_until_they_end_in_the_schools_zone(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # design.md invariant 8: the school's time zone
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email", "in_app"]}, token=parent)).data
    # given quiet hours from an hour ago to two hours on, school time (across midnight maybe)
    here = datetime.now(ZONE).replace(second=0, microsecond=0)
    start, end = here - timedelta(hours=1), here + timedelta(hours=2)
    hours = {"f": start.strftime("%H:%M:00"), "u": end.strftime("%H:%M:00"), "d": None}
    assert (await api(SETTINGS, hours, token=parent)).data
    # when the child is graded
    assert (await api(SET, _grades(scene, {scene["student"]: "5"}), token=teacher)).data
    # then the e-mail waits for the quiet hours' end; the feed does not
    queued = {row[2]: row for row in await _outbox(engine) if row[0] == scene["parent"]}
    assert _moment(queued["email"][8]) == end.astimezone(UTC)
    assert not queued["email"][7]
    in_app = queued["in_app"]
    assert _moment(in_app[8]) - _moment(in_app[9]) == timedelta(seconds=180)


async def test_a_digest_holds_emails_for_its_time(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # issue 14: an optional daily digest
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email", "in_app"]}, token=parent)).data
    # given a digest in an hour, school time
    at = datetime.now(ZONE).replace(second=0, microsecond=0) + timedelta(hours=1)
    reply = await api(SETTINGS, {"d": at.strftime("%H:%M:00")}, token=parent)
    assert reply.data["notificationSettingsSet"]["digestAt"] == at.strftime("%H:%M:00")
    assert (await api(SET, _grades(scene, {scene["student"]: "4"}), token=teacher)).data
    # then the e-mail is held for the digest, at its time; the feed's is not
    queued = {row[2]: row for row in await _outbox(engine) if row[0] == scene["parent"]}
    assert queued["email"][7]
    assert _moment(queued["email"][8]) == at.astimezone(UTC)
    assert not queued["in_app"][7]


async def test_withdrawn_consent_leaves_the_feed_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # 152-FZ: nobody whose consent is withdrawn is contacted
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email", "sms"]}, token=parent)).data
    # given the parent's consent withdrawn
    await execute(engine, "DELETE FROM consent WHERE person_id = :p", p=scene["parent"])
    await execute(
        engine,
        "INSERT INTO consent (person_id, school_id, given_by_id, given_at, document, "
        "withdrawn_at, withdrawal_reason) VALUES (:p, :s, :p, :t, 'Согласие', :t, 'Отзыв')",
        p=scene["parent"],
        s=scene["school"],
        t=datetime.now(UTC),
    )
    assert (await api(SET, _grades(scene, {scene["student"]: "5"}), token=teacher)).data
    # then the parent has the feed's notification only
    mine = [row[2] for row in await _outbox(engine) if row[0] == scene["parent"]]
    assert mine == ["in_app"]


async def test_the_news_costs_the_same_statements_for_one_student_or_the_class(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # design.md invariant 5: constant SQL per write
    scene = await _scene(engine, demo_school)
    teacher, parent = await _signed_in(api, demo_school)
    child = relay.to_base64("Person", scene["student"])
    assert (await api(SUBSCRIBE, {"s": child, "c": ["email"]}, token=parent)).data
    await execute(
        engine, "INSERT INTO notification_settings (person_id, digest_at) VALUES (:p, '18:00:00')",
        p=scene["parent"],
    )  # fmt: skip
    counts = []
    everyone = [scene["student"], *scene["classmates"]]
    for size in [2, 2, len(everyone)]:
        await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=scene["lesson"])
        sql.reset()
        reply = await api(SET, _grades(scene, dict.fromkeys(everyone[:size], "5")), token=teacher)
        assert reply.data
        counts.append(sql.count)
    assert counts[1] == counts[2], sql.statements
    assert len(everyone) >= 5


async def test_absences_lates_and_homework_are_told_a_write_publishes_its_event(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Ж.1 #3: absences and lates; homework to the group or to the students it is for
    scene = await _scene(engine, demo_school)
    teacher, _ = await _signed_in(api, demo_school)
    heard: list[live.JournalEvent] = []
    live.HUB.add(heard.append)
    try:
        # when the teacher marks the child late and the classmate ill
        marks = [
            {"studentId": relay.to_base64("Person", scene["student"]), "kind": "LATE",
             "lateMinutes": 10},
            {"studentId": relay.to_base64("Person", scene["other"]), "kind": "ILL"},
        ]  # fmt: skip
        assert (await api(MARK, {"l": scene["gid"], "m": marks}, token=teacher)).data
        # and sets homework for the child alone
        homework = {"lessonId": scene["gid"], "text": "Упражнение 5", "studentIds": [
            relay.to_base64("Person", scene["student"])],
            "dueOn": (scene["held_on"] + timedelta(days=2)).isoformat()}  # fmt: skip
        assert (await api(HOMEWORK, {"i": homework}, token=teacher)).data
        await asyncio.sleep(0.05)
    finally:
        live.HUB.discard(heard.append)
    queued = await _outbox(engine)
    attendance = {(row[1], row[0]): row for row in queued if row[3] == "attendance"}
    assert {s for s, _ in attendance} == {scene["student"], scene["other"]}
    late = attendance[(scene["student"], scene["student"])]
    assert late[4].startswith("Опоздание")
    assert "на 10 мин." in late[5]
    assert "по болезни" in attendance[(scene["other"], scene["other"])][5]
    # then the homework reaches the child and the child's parents only
    told = {row[0] for row in queued if row[3] == "homework"}
    assert told == {scene["student"], *scene["parents"]}
    # and each write published its live event, once
    if engine.dialect.name == "sqlite":  # PostgreSQL's go by NOTIFY (tests/test_live…)
        assert [event.kind for event in heard if event.school_id == scene["school"]] == [
            "attendance",
            "homework",
        ]
        assert heard[0].lesson_id == scene["lesson"]
        assert set(heard[0].student_ids) == {scene["student"], scene["other"]}


async def test_a_days_absence_is_told_once_per_student_not_per_lesson(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1, Ж.1 #3: the class teacher's record of a day away
    school_class, day, students, lessons = await _day_of_class_teacher(engine)
    token = await api.login(demo_school["class_teacher"], "demo")
    variables = {"c": school_class, "d": day, "m": [{"studentId": students[0], "kind": "ILL"}]}
    assert (await api(DAY, variables, token=token)).data
    student = int(relay.from_base64(students[0])[1])
    parents = {p for (p,) in await rows(engine, "SELECT parent_id FROM guardianship "
                                                "WHERE child_id = :c", c=student)}  # fmt: skip
    queued = [row for row in await _outbox(engine) if row[3] == "attendance"]
    # then the student and each parent have one notification of the day, naming its lessons
    assert sorted(row[0] for row in queued) == sorted({student, *parents})
    assert all(f"уроков: {len(lessons)}" in row[5] and "по болезни" in row[5] for row in queued)


async def test_a_final_grade_is_told(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-FINAL-1, Ж.1 #3
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    subject = (await rows(engine, "SELECT name FROM subject WHERE id = :s",
                          s=lesson["subject_id"]))[0][0]  # fmt: skip
    # when the quarter grades are set
    assert (await api(FINAL, _final(lesson, ["4", "5"]), token=token)).data
    # then each student is told of theirs, at once, in the feed
    student = int(relay.from_base64(lesson["students"][0])[1])
    told = [row for row in await _outbox(engine) if row[3] == "final_grade" and row[0] == student]
    assert [(row[2], row[4]) for row in told] == [("in_app", f"Итоговая отметка: {subject}")]
    assert told[0][5].endswith(f": 4 за 2 четверть по предмету «{subject}».")
    assert _moment(told[0][8]) == _moment(told[0][9])


async def test_a_grade_written_arrives_as_one_email_at_the_smtp_server(
    engine: AsyncEngine, demo_school: dict[str, str], tmp_path: Path
) -> None:  # issue 14 «Done means», end to end: gradesSet → the outbox → the worker → SMTP
    scene = await _scene(engine, demo_school)
    await execute(engine, "UPDATE person SET email = 'mother@family.test' WHERE id = :p",
                  p=scene["parent"])  # fmt: skip
    # given a server that tells grades at once (no settling time) and a real SMTP server
    with mail_server(tmp_path) as smtp:
        async with in_process(engine, notification_settle_seconds=0) as api:
            teacher, parent = await _signed_in(api, demo_school)
            child = relay.to_base64("Person", scene["student"])
            assert (await api(SUBSCRIBE, {"s": child, "c": ["email"]}, token=parent)).data
            # when the teacher grades the child through the endpoint and the worker runs, twice
            assert (await api(SET, _grades(scene, {scene["student"]: "5"}), token=teacher)).data
        sender = worker(engine, **smtp.settings())
        sent = await sender.run_once()
        assert await sender.run_once() == {}
        # then exactly one e-mail arrived, to the parent, about the child, the subject, the mark
        assert list(sent.values()).count(m.DeliveryStatus.SENT) == len(sent)
        (mail,) = smtp.mailbox.messages
        name = (await rows(engine, "SELECT last_name, first_name FROM person WHERE id = :p",
                           p=scene["student"]))[0]  # fmt: skip
        assert "mother@family.test" in mail["To"]
        assert mail["Subject"] == f"Новая оценка: {scene['subject']}"
        body = mail.get_content()
        assert body.startswith(f"{name[0]} {name[1]}: 5 по предмету «{scene['subject']}»")
