"""The conversations read, and messages written, replied to and marked read."""

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.messages import marking, replying, sending, threads
from resolvers.messages.audience import MAX_RECIPIENTS
from resolvers.messages.writing import MAX_BODY, MAX_SUBJECT
from resolvers.pagination import Page
from schema.base import Connection, Info, decode_id, decode_optional
from schema.bounds import After, First, list_argument, list_field, text_field
from schema.list_sizes import at_most
from schema.messages.types import Message, MessageThread
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.classes import SchoolClass
from schema.setup.school import School


@strawberry.input(
    description="A new message: whom to (people chosen, the parents of students, the parents "
    "of a whole class — together, everyone any of them names), and what. Each recipient is "
    "checked against whom you may write to first, all at once: one refused is FORBIDDEN "
    "naming its `field` and `item`, and nothing is sent."
)
class MessageSendInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    subject: str = text_field(MAX_SUBJECT, description="The subject")
    body: str = text_field(MAX_BODY, multiline=True, description="The text")
    recipient_ids: list[strawberry.ID] = list_field(
        MAX_RECIPIENTS, optional=True, description="People to write to (`Person` IDs)"
    )
    parents_of_student_ids: list[strawberry.ID] = list_field(
        MAX_RECIPIENTS,
        optional=True,
        description="Students (`Person` IDs) whose parents to write to: each family",
    )
    parents_of_class_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A class (a `SchoolClass` ID) whose students' parents to write to: all "
        "of them, each seeing only their own copy and replying to you alone.",
    )
    student_id: strawberry.ID | None = strawberry.field(
        default=None, description="The student it is about (a `Person` ID), if one."
    )


async def message_send(
    info: Info,
    input: Annotated[MessageSendInput, strawberry.argument(description="The message.")],
) -> m.Message:
    sent = sending.Sending(
        school_id=decode_id(input.school_id, School),
        subject=input.subject,
        body=input.body,
        recipient_ids=[decode_id(person, Person) for person in input.recipient_ids],
        parents_of_student_ids=[
            decode_id(person, Person) for person in input.parents_of_student_ids
        ],
        parents_of_class_id=decode_optional(input.parents_of_class_id, SchoolClass),
        student_id=decode_optional(input.student_id, Person),
    )
    return await sending.message_send(info.context, sent)


@strawberry.input(description="A reply to a message you received or sent.")
class MessageReplyInput:
    message_id: strawberry.ID = strawberry.field(
        description="The message answered (a `Message` ID)."
    )
    body: str = text_field(MAX_BODY, multiline=True, description="The text")
    subject: str | None = text_field(
        MAX_SUBJECT,
        default=None,
        description="The subject; left out, «Re: » and the answered one's",
    )


async def message_reply(
    info: Info,
    input: Annotated[MessageReplyInput, strawberry.argument(description="The reply.")],
) -> m.Message:
    return await replying.message_reply(
        info.context, decode_id(input.message_id, Message), input.body, input.subject
    )


async def messages_mark_read(
    info: Info,
    message_ids: Annotated[
        list[strawberry.ID],
        list_argument(marking.MAX_MARKED, description="The messages (`Message` IDs)"),
    ],
) -> list[m.Message]:
    ids = [decode_id(message_id, Message) for message_id in message_ids]
    return await marking.messages_mark_read(info.context, ids)


async def message_threads(
    info: Info, first: First = None, after: After = None
) -> Connection[MessageThread]:
    page = await threads.message_threads(info.context, first, after)
    rows = [MessageThread(thread=thread) for thread in page.rows]
    return Connection(page=Page(rows, page.has_next, page.has_previous, page.cursors, page.count))


async def message_thread(
    info: Info,
    id: Annotated[
        strawberry.ID,
        strawberry.argument(description="Any message of it (a `Message` ID), its first one's too."),
    ],
) -> MessageThread:
    return MessageThread(thread=await threads.message_thread(info.context, decode_id(id, Message)))


async def unread_message_count(info: Info) -> int:
    return await threads.unread_message_count(info.context)


_read: list[type[BasePermission]] = [can(Resource.MESSAGE, Action.READ)]
_writes: list[type[BasePermission]] = [can(Resource.MESSAGE, Action.WRITE), PersonalAccount]

message_threads_field = strawberry.field(
    resolver=message_threads,
    permission_classes=_read,
    description="Your conversations (переписка), the one with the newest message first, each "
    "with its latest message and how many you have not read: only messages you sent or "
    "received — nobody, the admin neither, reads another person's.",
)
message_thread_field = strawberry.field(
    resolver=message_thread,
    permission_classes=_read,
    description="A conversation of yours with its messages, oldest first; not yours, or no "
    "such one: NOT_FOUND.",
)
unread_message_count_field = strawberry.field(
    resolver=unread_message_count,
    permission_classes=_read,
    description="How many messages written to you you have not read yet.",
)
message_send_field = strawberry.mutation(
    resolver=message_send,
    graphql_type=Message,
    permission_classes=_writes,
    description="Write a new message (Г.1 #2): the class teacher to the students and parents "
    "of their class, a teacher to the parents of the students they teach, the admin, head and "
    "deputies to the staff and any parent, a parent to their children's teachers. Each "
    "recipient is told on the channels they chose (in the app only, when their consent is "
    "withdrawn or their account blocked). A person signed in with their own login.",
)
message_reply_field = strawberry.mutation(
    resolver=message_reply,
    graphql_type=Message,
    permission_classes=_writes,
    description="Reply in a conversation: to a message you received, the reply goes to its "
    "sender only (never to the other parents it went to); to one you sent, to its recipients "
    "again. Not a message of yours: NOT_FOUND. A person signed in with their own login.",
)
messages_mark_read_field = strawberry.mutation(
    resolver=messages_mark_read,
    graphql_type=list[Message],
    permission_classes=_writes,
    metadata=at_most(marking.MAX_MARKED),
    description="Mark messages written to you read (the time of the first reading stays: the "
    "sender's read receipt). One not yours: NOT_FOUND naming its `item`, nothing marked.",
)
