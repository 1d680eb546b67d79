"""Messages inside the school (issue 14, Г.1 #2): the class teacher to the parents of the
class, a teacher to the parents of the students taught, the admin to staff, and replies. A
message is written once and addressed to each recipient by a row of its own, which keeps
when that recipient read it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, utc_now


class Message(Base):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The conversation it belongs to: its first message's id (the first's own id).
    thread_id: Mapped[int] = mapped_column(Id, index=True)
    # The message it answers (null: it opens the conversation).
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # The student it is about, when it is about one (a family's child).
    student_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utc_now)


class MessageRecipient(Base):
    __tablename__ = "message_recipient"
    __table_args__ = (
        UniqueConstraint("message_id", "recipient_id"),
        # A person's inbox, and its unread count, from the index alone.
        Index("ix_message_recipient_inbox", "recipient_id", "read_at", "message_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    read_at: Mapped[datetime | None]
