"""What a parent or a student asks to be told, and how (issue 14, Ж.1 #3): per child and topic
the channels, quiet hours and a digest in the school's time zone; the in-app feed. Through the
endpoint with the demo's tokens; the timing rules also on their own (across midnight)."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from resolvers.notifications.timing import Timing, after_quiet, next_digest, when
from tests.client import GraphQLClient
from tests.lessons import execute, rows

PREFERENCES = """{ notificationPreferences {
  quietFrom quietUntil digestAt
  children { student { id } topics { topic channels } } } }"""
SUBSCRIBE = """mutation($s: ID!, $t: [TopicChannelsInput!]!) {
  notificationSubscriptionsSet(input: {studentId: $s, topics: $t})
  { student { id } topics { topic channels } } }"""
SETTINGS = """mutation($f: Time, $u: Time, $d: Time) {
  notificationSettingsSet(input: {quietFrom: $f, quietUntil: $u, digestAt: $d})
  { quietFrom quietUntil digestAt } }"""
FEED = """query($after: String, $unread: Boolean! = false) {
  notifications(first: 2, after: $after, unreadOnly: $unread) {
  unreadCount totalCount pageInfo { hasNextPage endCursor } nodes { id subject readAt } } }"""
READ = """mutation($ids: [ID!]) { notificationsMarkRead(ids: $ids) { marked unreadCount } }"""
MOSCOW = "Europe/Moscow"


async def _person(engine: AsyncEngine, login: str) -> int:
    return int(
        (await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login))[0][0]
    )


def _gid(person: int) -> str:
    return relay.to_base64("Person", person)


async def test_a_parent_chooses_per_child_and_topic_and_reads_it_back(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Ж.1 #3
    parent = await api.login(demo_school["parent"], "demo")
    child = _gid(await _person(engine, demo_school["student"]))
    # given nothing chosen: every topic in the feed only
    before = (await api(PREFERENCES, token=parent)).data["notificationPreferences"]
    children = {c["student"]["id"]: c["topics"] for c in before["children"]}
    assert child in children
    assert {t["topic"]: t["channels"] for t in children[child]} == {
        topic: ["in_app"] for topic in ("GRADE", "ATTENDANCE", "HOMEWORK", "FINAL_GRADE", "MESSAGE")
    }
    assert before["quietFrom"] is None
    assert before["digestAt"] is None
    # when the parent asks for grades by e-mail and SMS, absences by SMS, no homework at all
    topics = [
        {"topic": "GRADE", "channels": ["sms", "email", "email"]},
        {"topic": "ATTENDANCE", "channels": ["sms"]},
        {"topic": "HOMEWORK", "channels": []},
    ]
    reply = await api(SUBSCRIBE, {"s": child, "t": topics}, token=parent)
    chosen = {
        t["topic"]: t["channels"] for t in reply.data["notificationSubscriptionsSet"]["topics"]
    }
    assert chosen["GRADE"] == ["email", "sms"]
    assert chosen["HOMEWORK"] == []
    # and changes one of them later
    again = [{"topic": "GRADE", "channels": ["in_app"]}]
    assert (await api(SUBSCRIBE, {"s": child, "t": again}, token=parent)).data
    # then the choices stand as made, the others as they were
    after = (await api(PREFERENCES, token=parent)).data["notificationPreferences"]
    mine = {c["student"]["id"]: c for c in after["children"]}[child]["topics"]
    assert {t["topic"]: t["channels"] for t in mine} == {
        "GRADE": ["in_app"], "ATTENDANCE": ["sms"], "HOMEWORK": [], "FINAL_GRADE": ["in_app"],
        "MESSAGE": ["in_app"],
    }  # fmt: skip
    # and each write is in the audit trail, with the channels before and after
    trail = await rows(
        engine, "SELECT count(*) FROM change WHERE entity = 'notification_subscription'"
    )
    assert trail[0][0] == 4  # three created, one changed


async def test_unknown_channels_other_children_and_staff_are_refused(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # typed errors; a parent for their own children only
    parent = await api.login(demo_school["parent"], "demo")
    student = await api.login(demo_school["student"], "demo")
    teacher = await api.login(demo_school["teacher"], "demo")
    me = await _person(engine, demo_school["student"])
    child = _gid(me)
    stranger = (
        await rows(
            engine,
            "SELECT min(child_id) FROM guardianship WHERE child_id != :c AND parent_id NOT IN "
            "(SELECT parent_id FROM guardianship WHERE child_id = :c)",
            c=me,
        )
    )[0][0]
    grade = [{"topic": "GRADE", "channels": ["email"]}]
    # a channel nobody delivers
    pigeon = [{"topic": "GRADE", "channels": ["pigeon"]}]
    reply = await api(SUBSCRIBE, {"s": child, "t": pigeon}, token=parent)
    assert reply.error_code == "BAD_USER_INPUT"
    assert reply.body["errors"][0]["extensions"]["field"] == "channels"
    # sign-in details are not a choice; the same topic twice is a mistake
    credentials = [{"topic": "CREDENTIALS", "channels": ["email"]}]
    assert (await api(SUBSCRIBE, {"s": child, "t": credentials}, token=parent)).error_code == (
        "BAD_USER_INPUT"
    )
    twice = grade + grade
    assert (await api(SUBSCRIBE, {"s": child, "t": twice}, token=parent)).error_code == (
        "BAD_USER_INPUT"
    )
    # another family's child, for the parent and for the student
    for token in (parent, student):
        reply = await api(SUBSCRIBE, {"s": _gid(stranger), "t": grade}, token=token)
        assert reply.error_code == "NOT_FOUND"
    # a student for themselves: yes; a teacher: not at all
    assert (await api(SUBSCRIBE, {"s": child, "t": grade}, token=student)).data
    assert (await api(SUBSCRIBE, {"s": child, "t": grade}, token=teacher)).error_code == "FORBIDDEN"
    assert (await api(PREFERENCES, token=teacher)).error_code == "FORBIDDEN"
    # nothing was written by the refusals: the student's own choice only
    written = await rows(engine, "SELECT person_id, channels FROM notification_subscription")
    assert written == [(me, "email")]


async def test_quiet_hours_and_the_digest_are_set_and_cleared(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # times in the school's zone, to the minute
    parent = await api.login(demo_school["parent"], "demo")
    reply = await api(SETTINGS, {"f": "22:00:30", "u": "07:00:00", "d": "19:30:00"}, token=parent)
    assert reply.data["notificationSettingsSet"] == {
        "quietFrom": "22:00:00",
        "quietUntil": "07:00:00",
        "digestAt": "19:30:00",
    }
    # one end of the quiet hours alone, or both the same, is a mistake
    assert (await api(SETTINGS, {"f": "22:00:00"}, token=parent)).error_code == "BAD_USER_INPUT"
    same = {"f": "22:00:00", "u": "22:00:00"}
    assert (await api(SETTINGS, same, token=parent)).error_code == "BAD_USER_INPUT"
    # all null clears them
    cleared = (await api(SETTINGS, {}, token=parent)).data["notificationSettingsSet"]
    assert cleared == {"quietFrom": None, "quietUntil": None, "digestAt": None}
    trail = await rows(engine, "SELECT count(*) FROM change WHERE entity = 'notification_settings'")
    assert trail[0][0] == 2


async def test_the_feed_is_ones_own_newest_first_and_marked_read(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # issue 14: unread counts; nobody reads another's
    parent = await api.login(demo_school["parent"], "demo")
    student = await api.login(demo_school["student"], "demo")
    me = await _person(engine, demo_school["parent"])
    child = await _person(engine, demo_school["student"])
    past = datetime.now(UTC) - timedelta(minutes=10)
    school = (await rows(engine, "SELECT min(id) FROM school"))[0][0]
    # given three due notifications in the parent's feed, one not yet due, one by e-mail
    for n, (channel, due) in enumerate(
        [("in_app", past), ("in_app", past), ("in_app", past),
         ("in_app", past + timedelta(hours=1)), ("email", past)]
    ):  # fmt: skip
        await execute(
            engine,
            "INSERT INTO notification (school_id, person_id, student_id, topic, channel, key, "
            "coalesce_key, subject, body, facts, digest, status, attempts, created_at, "
            "updated_at, due_at) VALUES (:s, :p, :c, 'grade', :ch, :k, :ck, :subj, 'b', '{}', "
            ":f, 'queued', 0, :t, :t, :due)",
            s=school, p=me, c=child, ch=channel, k=f"k{n}", ck=f"grade:{n}", subj=f"N{n}",
            f=False, t=past, due=due,
        )  # fmt: skip
    # when the parent reads the feed, two at a time
    first = (await api(FEED, token=parent)).data["notifications"]
    assert [n["subject"] for n in first["nodes"]] == ["N2", "N1"]
    assert first["unreadCount"] == first["totalCount"] == 3
    cursor = first["pageInfo"]["endCursor"]
    rest = (await api(FEED, {"after": cursor}, token=parent)).data["notifications"]
    assert [n["subject"] for n in rest["nodes"]] == ["N0"]
    assert not rest["pageInfo"]["hasNextPage"]
    # the student sees none of them, and cannot mark them read
    assert (await api(FEED, token=student)).data["notifications"]["totalCount"] == 0
    ids = [n["id"] for n in first["nodes"]]
    assert (await api(READ, {"ids": ids}, token=student)).data["notificationsMarkRead"] == {
        "marked": 0,
        "unreadCount": 0,
    }
    # the parent marks one read, then all
    one = (await api(READ, {"ids": ids[:1]}, token=parent)).data["notificationsMarkRead"]
    assert one == {"marked": 1, "unreadCount": 2}
    unread = (await api(FEED, {"unread": True}, token=parent)).data["notifications"]
    assert [n["subject"] for n in unread["nodes"]] == ["N1", "N0"]
    assert (await api(READ, token=parent)).data["notificationsMarkRead"]["marked"] == 2
    trail = await rows(engine, "SELECT count(*) FROM change WHERE entity = 'notification'")
    assert trail[0][0] == 3


def test_quiet_hours_within_a_day_and_across_midnight_end_in_the_schools_zone() -> None:
    # design.md invariant 8: 21:30 UTC is 00:30 in Moscow (UTC+3)
    night = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
    late = after_quiet(night, time(22, 0), time(7, 0), MOSCOW)
    assert late == datetime(2026, 11, 21, 4, 0, tzinfo=UTC)  # 07:00 Moscow, the same night
    evening = datetime(2026, 11, 20, 19, 30, tzinfo=UTC)  # 22:30 Moscow: until tomorrow 07:00
    assert after_quiet(evening, time(22, 0), time(7, 0), MOSCOW) == late
    noon = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 12:00 Moscow: not quiet
    assert after_quiet(noon, time(22, 0), time(7, 0), MOSCOW) == noon
    lunch = after_quiet(noon, time(11, 0), time(14, 0), MOSCOW)
    assert lunch == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    # the digest: the next one at or after; quiet hours then move it to their end
    assert next_digest(noon, time(18, 0), MOSCOW) == datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert next_digest(evening, time(18, 0), MOSCOW) == datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    held = when(evening, Timing(time(22, 0), time(7, 0), time(6, 0)), MOSCOW)
    assert held == late
