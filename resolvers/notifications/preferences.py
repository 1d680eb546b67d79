"""What a parent (for each child) or a student (for themselves) asked to be told, and how
(Ж.1 #3): per topic its channels; and their quiet hours and daily digest, in the school's
time zone. Read and written by the person only; every write audited."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, differences, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.notifications.channels import IN_APP, known_channels
from resolvers.write_checks import require_writes

# What one may ask to be told of (credentials are told whatever one chose).
TOPICS = (m.Topic.GRADE, m.Topic.ATTENDANCE, m.Topic.HOMEWORK, m.Topic.FINAL_GRADE,
          m.Topic.MESSAGE)  # fmt: skip
DEFAULT = (IN_APP,)  # no choice made: the in-app feed
MAX_CHANNELS = 10


@dataclass(frozen=True)
class ChildPreferences:
    student: m.Person
    channels: Mapping[m.Topic, tuple[str, ...]]


@dataclass(frozen=True)
class Preferences:
    children: Sequence[ChildPreferences]
    settings: m.NotificationSettings | None


async def preferences(ctx: Context) -> Preferences:
    principal = ctx.require_principal()
    students = list(
        await ctx.db.scalars(
            select(m.Person)
            .where(ctx.loaders.readable(m.Person, Resource.NOTIFICATION_SUBSCRIPTION))
            .order_by(m.Person.last_name, m.Person.first_name, m.Person.id)
        )
    )
    chosen = await ctx.db.rows(
        select(
            m.NotificationSubscription.student_id,
            m.NotificationSubscription.topic,
            m.NotificationSubscription.channels,
        ).where(m.NotificationSubscription.person_id == principal.person_id)
    )
    by_student: dict[int, dict[m.Topic, tuple[str, ...]]] = {}
    for student, topic, channels in chosen:
        by_student.setdefault(student, {})[topic] = tuple(sorted(channels.split()))
    settings = await ctx.db.scalar(
        select(m.NotificationSettings).where(
            m.NotificationSettings.person_id == principal.person_id
        )
    )
    return Preferences(
        children=[
            ChildPreferences(
                student,
                {topic: by_student.get(student.id, {}).get(topic, DEFAULT) for topic in TOPICS},
            )
            for student in students
        ],
        settings=settings,
    )


def _checked(choices: Sequence[tuple[m.Topic, Sequence[str]]]) -> dict[m.Topic, str]:
    if not choices:
        raise BadUserInput("Choose the channels of at least one topic.", argument="topics")
    known = known_channels()
    found: dict[m.Topic, str] = {}
    for item, (topic, channels) in enumerate(choices):
        if topic in found:
            raise BadUserInput("The same topic twice.", field="topic", item=item)
        if topic not in TOPICS:
            raise BadUserInput("Sign-in details are sent whatever one chooses.", item=item)
        unknown = sorted(set(channels) - known)
        if unknown:
            raise BadUserInput(
                f"No such channel: {', '.join(unknown)} (there are {', '.join(sorted(known))}).",
                field="channels",
                item=item,
            )
        found[topic] = " ".join(sorted(set(channels)))
    return found


async def _school_of(ctx: Context, student_id: int) -> int:
    """The school the student learns in among the caller's (the subscription belongs to it)."""
    schools = sorted(ctx.require_principal().school_ids)
    found = await ctx.db.scalar(
        select(m.SchoolClass.school_id)
        .join(m.ClassStudent, m.ClassStudent.school_class_id == m.SchoolClass.id)
        .where(m.ClassStudent.student_id == student_id, m.SchoolClass.school_id.in_(schools))
        .limit(1)
    )
    return found if found is not None else schools[0]


def _insert(ctx: Context) -> postgresql.Insert | sqlite.Insert:
    if ctx.db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(m.NotificationSubscription)
    return sqlite.insert(m.NotificationSubscription)


async def subscriptions_set(
    ctx: Context, student_id: int, choices: Sequence[tuple[m.Topic, Sequence[str]]]
) -> ChildPreferences:
    """The channels of each topic given, for one child (or oneself); the others stay."""
    principal = ctx.require_principal()
    found = await ctx.db.scalar(
        select(m.Person.id).where(
            m.Person.id == student_id,
            ctx.loaders.readable(m.Person, Resource.NOTIFICATION_SUBSCRIPTION),
        )
    )
    if found is None:
        raise NotFound("No such student among those you are told about.", argument="studentId")
    await require_writes(
        ctx, Resource.NOTIFICATION_SUBSCRIPTION, m.Person, [student_id], existing=True
    )
    wanted = _checked(choices)
    school = await _school_of(ctx, student_id)
    mine = (
        m.NotificationSubscription.person_id == principal.person_id,
        m.NotificationSubscription.student_id == student_id,
    )
    existing = list(await ctx.db.scalars(select(m.NotificationSubscription).where(*mine)))
    before = {row.id: snapshot(row) for row in existing if row.topic in wanted}
    statement = _insert(ctx)
    await ctx.db.execute(
        statement.on_conflict_do_update(
            index_elements=["person_id", "student_id", "topic"],
            set_={"channels": statement.excluded.channels},
        ),
        [
            {"school_id": school, "person_id": principal.person_id, "student_id": student_id,
             "topic": topic, "channels": channels}
            for topic, channels in wanted.items()
        ],
    )  # fmt: skip
    standing = list(
        await ctx.db.scalars(
            select(m.NotificationSubscription)
            .where(*mine)
            .execution_options(populate_existing=True)
        )
    )
    after = {row.id: snapshot(row) for row in standing if row.topic in wanted}
    await record(ctx, differences(m.NotificationSubscription, school, before, after))
    student = await ctx.db.reload(m.Person, student_id)
    channels = {row.topic: tuple(sorted(row.channels.split())) for row in standing}
    return ChildPreferences(student, {topic: channels.get(topic, DEFAULT) for topic in TOPICS})


async def settings_set(
    ctx: Context, quiet_from: time | None, quiet_until: time | None, digest_at: time | None
) -> m.NotificationSettings:
    """The caller's quiet hours (both ends, or neither) and digest time (or none)."""
    principal = ctx.require_principal()
    if (quiet_from is None) != (quiet_until is None):
        raise BadUserInput("Quiet hours need both their start and their end, or neither.",
                           field="quietUntil" if quiet_until is None else "quietFrom")  # fmt: skip
    if quiet_from is not None and quiet_from == quiet_until:
        raise BadUserInput("Quiet hours end at another time than they start.", field="quietUntil")
    values = {
        "quiet_from": _minute(quiet_from),
        "quiet_until": _minute(quiet_until),
        "digest_at": _minute(digest_at),
    }
    row = await ctx.db.scalar(
        select(m.NotificationSettings).where(
            m.NotificationSettings.person_id == principal.person_id
        )
    )
    before = None if row is None else snapshot(row)
    if row is None:
        row = m.NotificationSettings(person_id=principal.person_id, **values)
        ctx.db.session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    await ctx.db.flush()
    school = min(principal.school_ids)
    await record(ctx, [Changed(school, m.NotificationSettings, row.id, before, snapshot(row))])
    return row


def _minute(moment: time | None) -> time | None:
    return None if moment is None else moment.replace(second=0, microsecond=0, tzinfo=None)
