"""A message, who it went to and when they read it, and a conversation (переписка)."""

from datetime import datetime
from typing import Optional

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from resolvers.messages import correspondents, threads
from resolvers.messages.audience import MAX_AUDIENCE
from schema.base import Info, ModelNode, reads, related
from schema.list_sizes import at_most
from schema.people.person import Person

RECIPIENTS = MAX_AUDIENCE  # of one message: a class's parents, people chosen, students' parents
MESSAGES_OF_A_THREAD = 50  # the latest shown; a longer conversation shows its end


@strawberry.type(description="One recipient of a message, and when they read it.")
class MessageRecipient:
    row: strawberry.Private[m.MessageRecipient]

    @strawberry.field(description="The recipient's full name.", metadata=reads(Resource.MESSAGE))
    async def name(self, info: Info) -> str:
        return await correspondents.correspondent_name(info.context, self.row.recipient_id)

    @strawberry.field(
        graphql_type=Optional[Person],  # noqa: UP045 - as `related` does
        description="The recipient as a person, if your roles let you look them up; else null.",
        metadata=reads(Resource.PERSON),
    )
    async def person(self, info: Info) -> m.Person | None:
        person: m.Person | None = await info.context.loaders.one(m.Person).load(
            self.row.recipient_id
        )
        return person

    @strawberry.field(description="When they first read it (UTC); null: not read yet.")
    def read_at(self) -> datetime | None:
        return self.row.read_at


@strawberry.type(
    description="A message inside the school (сообщение): written to people chosen, or to the "
    "parents of a class, or as a reply in a conversation."
)
class Message(ModelNode):
    __model__ = m.Message
    id: relay.NodeID[int]
    subject: str = strawberry.field(description="Its subject.")
    body: str = strawberry.field(description="Its text.")
    sent_at: datetime = strawberry.field(description="When it was sent (UTC).")
    reply_to = related(
        m.Message,
        "reply_to_id",
        "Message",
        "The message it answers, if you may read it; null for a conversation's first.",
    )
    student = related(
        m.Person, "student_id", Person, "The student it is about, if it names one you may see."
    )
    sender = related(
        m.Person, "sender_id", Person, "Who wrote it, if your roles let you look them up."
    )

    @strawberry.field(
        description="Who wrote it: their full name.", metadata=reads(Resource.MESSAGE)
    )
    async def sender_name(self, root: strawberry.Parent[m.Message], info: Info) -> str:
        return await correspondents.correspondent_name(info.context, root.sender_id)

    @strawberry.field(
        description="Whom it went to, with when each read it: to its sender every recipient "
        "(the read receipts), to a recipient only themselves.",
        metadata=reads(Resource.MESSAGE) | at_most(RECIPIENTS),
    )
    async def recipients(
        self, root: strawberry.Parent[m.Message], info: Info
    ) -> list[MessageRecipient]:
        loader = info.context.loaders.many(
            m.MessageRecipient.message_id, m.MessageRecipient.recipient_id
        )
        rows: list[m.MessageRecipient] = await loader.load(root.id)
        return [MessageRecipient(row=row) for row in rows]


@strawberry.type(
    description="A conversation (переписка): a message and the replies to it, as far as they "
    "were written to you or by you."
)
class MessageThread:
    thread: strawberry.Private[threads.Thread]

    @strawberry.field(
        description="Its first message's ID (a `Message` ID): pass it to `messageThread`."
    )
    def id(self) -> strawberry.ID:
        return strawberry.ID(relay.to_base64(Message.__name__, self.thread.thread_id))

    @strawberry.field(
        description="Of its messages, how many were written to you and you have not read."
    )
    def unread_count(self) -> int:
        return self.thread.unread

    @strawberry.field(
        description="Its latest message you may read.", metadata=reads(Resource.MESSAGE)
    )
    async def last_message(self, info: Info) -> Message:
        message: m.Message | None = await info.context.loaders.one(m.Message).load(
            self.thread.last_message_id
        )
        assert message is not None  # read through the same filter that found it
        return message  # type: ignore[return-value]

    @strawberry.field(
        description=f"Its messages you may read, oldest first (the latest "
        f"{MESSAGES_OF_A_THREAD} of a longer one).",
        metadata=reads(Resource.MESSAGE) | at_most(MESSAGES_OF_A_THREAD),
    )
    async def messages(self, info: Info) -> list[Message]:
        found = await threads.thread_messages(info.context, self.thread.thread_id)
        return list(found[-MESSAGES_OF_A_THREAD:])  # type: ignore[arg-type]
