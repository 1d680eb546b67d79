"""Notifications (issue 14, Ж.1 #3): what each parent or student asked to be told, and how;
and the transactional outbox the journal's writes fill in their own transaction and the
delivery workers empty (`resolvers/notifications/`)."""

import enum
from datetime import datetime, time
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from model.audit import State
from model.base import Base, Id, str_enum, utc_now


class Topic(enum.StrEnum):
    """What a notification is about."""

    GRADE = "grade"  # a new, changed or removed grade
    ATTENDANCE = "attendance"  # an absence or a late arrival
    HOMEWORK = "homework"
    FINAL_GRADE = "final_grade"  # a term, year or final grade
    MESSAGE = "message"
    CREDENTIALS = "credentials"  # a new sign-in and temporary password (R-ACC-1)


class NotificationSubscription(Base):
    """What a person (a parent, or a student for themselves) is told about one student, on
    which channels. No row: the in-app feed only."""

    __tablename__ = "notification_subscription"
    __table_args__ = (UniqueConstraint("person_id", "student_id", "topic"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    topic: Mapped[Topic] = mapped_column(str_enum(Topic, "notification_topic"))
    # The channels' names (`plugins/channels/`), space-separated: «email sms in_app».
    channels: Mapped[str] = mapped_column(String(200))


class NotificationSettings(Base):
    """A person's quiet hours (in the school's time zone: nothing but the in-app feed then;
    what waits is sent when they end) and daily digest (everything of the day in one
    message at that time, instead of one message each)."""

    __tablename__ = "notification_settings"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    quiet_from: Mapped[time | None]
    quiet_until: Mapped[time | None]
    digest_at: Mapped[time | None]


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its time (`due_at`), or for a retry
    SENDING = "sending"  # a worker holds it until `lease_until`
    SENT = "sent"
    GIVEN_UP = "given_up"  # failed `attempts` times, or cannot be delivered at all
    CANCELLED = (
        "cancelled"  # its cause went away before it was sent (a grade removed, consent withdrawn)
    )


class Notification(Base):
    """One notification to one person on one channel: the outbox row, written in the same
    transaction as the change it tells of. Its `key` is the idempotency key the channel
    passes on (an e-mail's Message-ID, a gateway's Idempotency-Key): a retry after a crash
    is the same message, never a second one. A queued notification with the same
    `coalesce_key` for the same person and channel is updated instead of a second being
    queued (a grade corrected a minute after it was entered: one notification)."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("key"),
        Index(
            "uq_notification_pending",
            "person_id",
            "channel",
            "coalesce_key",
            unique=True,
            sqlite_where=text("status = 'queued'"),
            postgresql_where=text("status = 'queued'"),
        ),
        # What a worker looks for: the earliest due, queued or with its lease run out.
        Index(
            "ix_notification_waiting",
            "due_at",
            sqlite_where=text("status IN ('queued', 'sending')"),
            postgresql_where=text("status IN ('queued', 'sending')"),
        ),
        # A person's in-app feed, newest first.
        Index("ix_notification_feed", "person_id", "channel", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # The student it is about (null: about nobody in particular, e.g. credentials).
    student_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    topic: Mapped[Topic] = mapped_column(str_enum(Topic, "notification_topic"))
    channel: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    coalesce_key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The facts it tells of, by id (a grade, its lesson, the mark), for the in-app feed.
    facts: Mapped[dict[str, Any]] = mapped_column(State)
    # Held for the person's daily digest rather than sent by itself.
    digest: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, "delivery_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    # Not sent before: the coalescing delay, the end of quiet hours, the digest's time, a retry.
    due_at: Mapped[datetime] = mapped_column(default=utc_now)
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]  # in-app: when the person read it
    worker: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None]
    # Why the last attempt failed, as the channel said it.
    last_error: Mapped[str | None] = mapped_column(String(1000))
