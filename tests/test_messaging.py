"""Messages inside the school (issue 14, Г.1 #2: the class teacher writes to the class's parents
weekly): written, replied to, read, through the endpoint with each role's real token on the
demo school; who may write to whom is the policies' (policies/messages.csv), checked on all
recipients at once; nobody reads another's mail."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

SEND = """mutation($i: MessageSendInput!) { messageSend(input: $i) {
  id subject replyTo { id } senderName recipients { name readAt } } }"""
REPLY = """mutation($i: MessageReplyInput!) { messageReply(input: $i) {
  id subject senderName recipients { name person { id } } } }"""
MARK = """mutation($ids: [ID!]!) { messagesMarkRead(messageIds: $ids) { id } }"""
THREADS = """query($first: Int, $after: String) { unreadMessageCount
  messageThreads(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id unreadCount lastMessage { id subject body senderName sentAt } } } }"""
THREAD = """query($id: ID!) { messageThread(id: $id) { id unreadCount
  messages { id subject body senderName replyTo { id } recipients { name readAt } } } }"""


@pytest.fixture(autouse=True)
async def _no_mail_yet(engine: AsyncEngine, demo_school: dict[str, str]) -> None:
    """The demo's own messages put aside: each test counts what it wrote."""
    await execute(engine, "DELETE FROM message_recipient")
    await execute(engine, "DELETE FROM message")


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def _one(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    found = await rows(engine, sql, **params)
    assert found, sql
    return found[0]


async def _school(engine: AsyncEngine) -> str:
    return gid("School", (await _one(engine, "SELECT min(id) FROM school"))[0])


async def _own_class(engine: AsyncEngine, login: str) -> tuple[int, list[int]]:
    """The class teacher's class and its students' parents."""
    (class_id,) = await _one(
        engine,
        "SELECT c.id FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE a.login = :login ORDER BY c.id LIMIT 1",
        login=login,
    )
    parents = await rows(
        engine,
        "SELECT DISTINCT g.parent_id FROM guardianship g JOIN class_student cs "
        "ON cs.student_id = g.child_id WHERE cs.school_class_id = :c ORDER BY 1",
        c=class_id,
    )
    return class_id, [parent for (parent,) in parents]


async def _login_of(engine: AsyncEngine, person: int) -> str:
    """The person's login (its password «demo», changed already, as a family's in use is)."""
    await execute(
        engine, "UPDATE account SET must_change_password = false WHERE person_id = :p", p=person
    )
    (login,) = await _one(engine, "SELECT login FROM account WHERE person_id = :p", p=person)
    return str(login)


async def _sent_to_class(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> tuple[str, dict[str, Any], list[int]]:
    teacher = await api.login(demo_school["class_teacher"], "demo")
    class_id, parents = await _own_class(engine, demo_school["class_teacher"])
    sent = await api(
        SEND,
        {
            "i": {
                "schoolId": await _school(engine),
                "subject": "Итоги недели",
                "body": "Уважаемые родители!\nНа этой неделе — контрольная по математике.",
                "parentsOfClassId": gid("SchoolClass", class_id),
            }
        },
        token=teacher,
    )
    return teacher, sent.data["messageSend"], parents


async def test_a_class_teacher_writes_to_the_class_parents_who_read_it_and_the_sender_sees_it(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """Г.1 #2: the class teacher's weekly message to all the class's parents; read receipts."""
    # given the class teacher's message to all the parents of their class
    teacher, message, parents = await _sent_to_class(engine, api, demo_school)
    assert len(message["recipients"]) == len(parents) > 2
    assert all(recipient["readAt"] is None for recipient in message["recipients"])

    # then each parent has it, one unread, and sees only their own copy
    first = await api.login(await _login_of(engine, parents[0]), "demo")
    inbox = (await api(THREADS, token=first)).data
    assert inbox["unreadMessageCount"] == 1
    [thread] = inbox["messageThreads"]["nodes"]
    assert thread["unreadCount"] == 1
    assert thread["lastMessage"]["id"] == message["id"] == thread["id"]
    assert thread["lastMessage"]["senderName"] == message["senderName"]
    seen = (await api(THREAD, {"id": message["id"]}, token=first)).data["messageThread"]
    assert [len(m["recipients"]) for m in seen["messages"]] == [1]
    other = await api.login(await _login_of(engine, parents[1]), "demo")
    assert (await api(THREADS, token=other)).data["unreadMessageCount"] == 1

    # when the first parent marks it read
    assert (await api(MARK, {"ids": [message["id"]]}, token=first)).data["messagesMarkRead"]
    again = await api(MARK, {"ids": [message["id"]]}, token=first)  # once: the first time stays

    # then their count is 0, the other parent's still 1, and the sender sees one reading
    assert again.data
    assert (await api(THREADS, token=first)).data["unreadMessageCount"] == 0
    assert (await api(THREADS, token=other)).data["unreadMessageCount"] == 1
    sent = (await api(THREAD, {"id": message["id"]}, token=teacher)).data["messageThread"]
    read = [r for r in sent["messages"][0]["recipients"] if r["readAt"] is not None]
    assert len(read) == 1
    # and the reading is in the audit trail, the message too, without its text
    trail = await rows(
        engine, "SELECT entity, action, after FROM change WHERE entity LIKE 'message%' ORDER BY id"
    )
    assert [(e, a) for e, a, _ in trail].count(("message", "created")) == 1
    assert [(e, a) for e, a, _ in trail].count(("message_recipient", "changed")) == 1
    assert all("body" not in str(after) or "Уважаемые" not in str(after) for _, _, after in trail)


async def test_a_parents_reply_goes_to_the_class_teacher_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the class teacher's message to the class's parents
    teacher, message, parents = await _sent_to_class(engine, api, demo_school)
    first = await api.login(await _login_of(engine, parents[0]), "demo")

    # when a parent replies
    reply = await api(
        REPLY, {"i": {"messageId": message["id"], "body": "Спасибо, будем готовиться."}},
        token=first,
    )  # fmt: skip

    # then only the teacher receives it, in the same conversation
    written = reply.data["messageReply"]
    assert written["subject"] == "Re: Итоги недели"
    assert [r["name"] for r in written["recipients"]] == [message["senderName"]]
    other = await api.login(await _login_of(engine, parents[1]), "demo")
    theirs = (await api(THREAD, {"id": message["id"]}, token=other)).data["messageThread"]
    assert [m["id"] for m in theirs["messages"]] == [message["id"]]
    inbox = (await api(THREADS, token=teacher)).data
    assert inbox["unreadMessageCount"] == 1
    [thread] = inbox["messageThreads"]["nodes"]
    assert thread["lastMessage"]["id"] == written["id"]

    # and the teacher's answer to the reply goes to that parent alone
    answer = await api(REPLY, {"i": {"messageId": written["id"], "body": "Хорошо!"}}, token=teacher)
    assert [r["name"] for r in answer.data["messageReply"]["recipients"]] == [
        reply.data["messageReply"]["senderName"]
    ]
    mine = (await api(THREAD, {"id": written["id"]}, token=first)).data["messageThread"]
    assert len(mine["messages"]) == 3
    assert mine["unreadCount"] == 2


async def test_a_parent_cannot_read_another_familys_conversation(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a parent's reply to the class teacher
    _teacher, message, parents = await _sent_to_class(engine, api, demo_school)
    first = await api.login(await _login_of(engine, parents[0]), "demo")
    reply = await api(REPLY, {"i": {"messageId": message["id"], "body": "Вопрос"}}, token=first)
    reply_id = reply.data["messageReply"]["id"]

    # then another parent can neither read it, reply to it, nor mark it read
    other = await api.login(await _login_of(engine, parents[1]), "demo")
    assert (await api(THREAD, {"id": reply_id}, token=other)).error_code == "NOT_FOUND"
    answered = await api(REPLY, {"i": {"messageId": reply_id, "body": "Я тоже"}}, token=other)
    assert answered.error_code == "NOT_FOUND"
    assert (await api(MARK, {"ids": [reply_id]}, token=other)).error_code == "NOT_FOUND"
    # nor does the admin read another person's mail
    admin = await api.login(demo_school["admin"], "demo")
    assert (await api(THREAD, {"id": reply_id}, token=admin)).error_code == "NOT_FOUND"
    assert (await api(THREADS, token=admin)).data["messageThreads"]["totalCount"] == 0


async def test_a_teacher_cannot_write_to_the_parents_of_a_class_they_do_not_teach(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the demo teacher, a student they teach and one they do not
    token = await api.login(demo_school["teacher"], "demo")
    taught, untaught = await _one(
        engine,
        """SELECT min(CASE WHEN t.n > 0 THEN t.student_id END),
                  min(CASE WHEN t.n = 0 THEN t.student_id END)
        FROM (SELECT cs.student_id, (SELECT count(*) FROM timetable_entry e
            JOIN study_group g ON g.id = e.group_id JOIN account a ON a.person_id = e.teacher_id
            WHERE a.login = :login AND ((g.kind = 'whole_class'
              AND g.school_class_id = cs.school_class_id) OR g.id IN
              (SELECT group_id FROM group_student gs WHERE gs.student_id = cs.student_id))) AS n
          FROM class_student cs
          WHERE cs.student_id IN (SELECT child_id FROM guardianship)) t""",
        login=demo_school["teacher"],
    )
    school = await _school(engine)
    message = {"schoolId": school, "subject": "Об успеваемости", "body": "Прошу зайти."}

    # when they write to the parents of both
    both = [gid("Person", taught), gid("Person", untaught)]
    refused = await api(SEND, {"i": {**message, "parentsOfStudentIds": both}}, token=token)

    # then it is refused naming the student whose parents they may not write to; nothing sent
    assert refused.error_code == "FORBIDDEN", refused.body
    extensions = refused.body["errors"][0]["extensions"]
    assert (extensions["field"], extensions["item"]) == ("parentsOfStudentIds", 1)
    assert await rows(engine, "SELECT id FROM message") == []
    # and to the taught student's parents alone it goes
    sent = await api(SEND, {"i": {**message, "parentsOfStudentIds": both[:1]}}, token=token)
    assert sent.data["messageSend"]["recipients"]


async def test_the_admin_writes_to_staff_and_parents_and_a_student_only_replies(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    school = await _school(engine)
    staff = [
        gid("Person", person)
        for (person,) in await rows(
            engine,
            "SELECT person_id FROM account WHERE login IN (:t, :h) ORDER BY 1",
            t=demo_school["teacher"],
            h=demo_school["head"],
        )
    ]
    (student,) = await _one(
        engine, "SELECT person_id FROM account WHERE login = :s", s=demo_school["student"]
    )
    message = {"schoolId": school, "subject": "Педсовет", "body": "В пятницу в 15:00."}
    admin = await api.login(demo_school["admin"], "demo")

    # the admin writes to the staff
    sent = await api(SEND, {"i": {**message, "recipientIds": staff}}, token=admin)
    assert len(sent.data["messageSend"]["recipients"]) == 2
    # a student writes first to nobody, not even their teacher
    pupil = await api.login(demo_school["student"], "demo")
    refused = await api(SEND, {"i": {**message, "recipientIds": staff[:1]}}, token=pupil)
    assert refused.error_code == "FORBIDDEN"
    # the admin does not write to a student
    to_student = {**message, "recipientIds": [*staff, gid("Person", student)]}
    refused = await api(SEND, {"i": to_student}, token=admin)
    assert refused.error_code == "FORBIDDEN"
    assert refused.body["errors"][0]["extensions"]["item"] == 2


async def test_a_parent_writes_to_the_class_teacher_of_their_child(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    (class_teacher,) = await _one(
        engine,
        "SELECT person_id FROM account WHERE login = :l",
        l=demo_school["class_teacher"],
    )
    (admin,) = await _one(
        engine, "SELECT person_id FROM account WHERE login = :l", l=demo_school["admin"]
    )
    parent = await api.login(demo_school["parent"], "demo")
    message = {"schoolId": await _school(engine), "subject": "Справка", "body": "Сын болел."}
    sent = await api(
        SEND, {"i": {**message, "recipientIds": [gid("Person", class_teacher)]}}, token=parent
    )
    assert sent.data["messageSend"]["recipients"]
    refused = await api(SEND, {"i": {**message, "recipientIds": [gid("Person", admin)]}},
                        token=parent)  # fmt: skip
    assert refused.error_code == "FORBIDDEN"


async def test_bad_inputs_are_typed_and_write_nothing(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["class_teacher"], "demo")
    school = await _school(engine)
    class_id, _ = await _own_class(engine, demo_school["class_teacher"])
    given = {"schoolId": school, "parentsOfClassId": gid("SchoolClass", class_id)}
    cases = {
        "subject": {**given, "subject": "x" * 201, "body": "текст"},
        "body": {**given, "subject": "Тема", "body": "x" * 5001},
    }
    for field, message in cases.items():
        reply = await api(SEND, {"i": message}, token=token)
        assert reply.error_code == "BAD_USER_INPUT", reply.body
        assert reply.body["errors"][0]["extensions"]["field"] == field
    blank = await api(SEND, {"i": {**given, "subject": "  ", "body": "текст"}}, token=token)
    assert blank.error_code == "BAD_USER_INPUT"
    nobody = await api(SEND, {"i": {"schoolId": school, "subject": "a", "body": "b"}}, token=token)
    assert nobody.error_code == "BAD_USER_INPUT"
    missing = await api(
        SEND,
        {
            "i": {
                "schoolId": school,
                "subject": "a",
                "body": "b",
                "recipientIds": [gid("Person", 10**9)],
            }
        },
        token=token,
    )
    assert missing.error_code == "BAD_USER_INPUT"
    assert missing.body["errors"][0]["extensions"]["item"] == 0
    wrong_type = await api(MARK, {"ids": [gid("Lesson", 1)]}, token=token)
    assert wrong_type.error_code == "BAD_USER_INPUT"
    assert await rows(engine, "SELECT id FROM message") == []


async def test_withdrawn_consent_or_a_blocked_account_is_told_in_the_app_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """Issue 14: withdrawn consent or a blocked account stops delivery (152-FZ)."""
    # given three parents of the class who chose e-mail for messages about their child
    class_id, parents = await _own_class(engine, demo_school["class_teacher"])
    chosen = parents[:3]
    for parent in chosen:
        await execute(
            engine,
            "INSERT INTO notification_subscription (school_id, person_id, student_id, topic, "
            "channels) SELECT c.school_id, g.parent_id, g.child_id, 'message', 'email in_app' "
            "FROM guardianship g JOIN class_student cs ON cs.student_id = g.child_id "
            "JOIN school_class c ON c.id = cs.school_class_id "
            "WHERE g.parent_id = :p AND c.id = :c",
            p=parent,
            c=class_id,
        )
    withdrawn, blocked, told = chosen
    await execute(
        engine,
        "UPDATE consent SET withdrawn_at = CURRENT_TIMESTAMP WHERE person_id = :p",
        p=withdrawn,
    )
    await execute(engine, "UPDATE account SET is_active = false WHERE person_id = :p", p=blocked)

    # when the class teacher writes to the class's parents
    _, message, _ = await _sent_to_class(engine, api, demo_school)
    assert message["id"]

    # then the parent who can be told gets an e-mail; the other two the in-app feed only
    queued = await rows(
        engine,
        "SELECT person_id, channel FROM notification WHERE person_id IN (:a, :b, :c) "
        "AND topic = 'message' ORDER BY person_id, channel",
        a=withdrawn,
        b=blocked,
        c=told,
    )
    channels: dict[int, list[str]] = {}
    for person, channel in queued:
        channels.setdefault(person, []).append(channel)
    assert channels == {withdrawn: ["in_app"], blocked: ["in_app"], told: ["email", "in_app"]}


async def test_conversations_read_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    """design.md invariant 5: the inbox's statements do not grow with its conversations."""
    teacher, message, parents = await _sent_to_class(engine, api, demo_school)
    counts = []
    for round_ in range(2):
        # each round adds conversations, replies and read receipts
        for parent in parents[round_ * 3 : round_ * 3 + 3]:
            token = await api.login(await _login_of(engine, parent), "demo")
            await api(MARK, {"ids": [message["id"]]}, token=token)
            await api(REPLY, {"i": {"messageId": message["id"], "body": "Да"}}, token=token)
        await _sent_to_class(engine, api, demo_school)
        sql.reset()
        inbox = await api(THREADS, {"first": 10}, token=teacher)
        thread = await api(THREAD, {"id": message["id"]}, token=teacher)
        assert inbox.data
        assert thread.data
        counts.append(sql.count)
    assert len(inbox.data["messageThreads"]["nodes"]) == 3
    assert len(thread.data["messageThread"]["messages"]) == 7
    assert counts[0] == counts[1], sql.statements
