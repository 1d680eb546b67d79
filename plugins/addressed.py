"""`addressed`: the messages the person sent or received, and nobody else's — a reply is
checked on the message it answers, which must be one of these."""

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import aliased

import model as m
from plugins.base import Condition, Scope


def _received(scope: Scope) -> ColumnElement[bool]:
    received = select(m.MessageRecipient.message_id).where(
        m.MessageRecipient.recipient_id == scope.person_id
    )
    return m.Message.id.in_(received)


def _message(scope: Scope) -> ColumnElement[bool]:
    return (m.Message.school_id == scope.school_id) & or_(
        m.Message.sender_id == scope.person_id, _received(scope)
    )


def _recipient(scope: Scope) -> ColumnElement[bool]:
    """One's own row of a message received; every row of a message sent (its read receipts)."""
    sent = aliased(m.Message)
    mine = select(sent.id).where(
        sent.sender_id == scope.person_id, sent.school_id == scope.school_id
    )
    return or_(
        m.MessageRecipient.recipient_id == scope.person_id,
        m.MessageRecipient.message_id.in_(mine),
    )


addressed = Condition(
    name="addressed",
    in_words="the messages they sent or received",
    description="the messages the person sent or received (of one received, their own "
    "recipient row; of one sent, every recipient's, its read receipts)",
    needs_person=True,
    renderers={m.Message: _message, m.MessageRecipient: _recipient},
)
