"""Mutations of the timetable (R-TT-1): the weekly slots of classes and groups from a date,
one slot at a time, and one day's changes — substitution, room change, move, extra lesson,
cancellation."""

from datetime import date
from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.setup import timetable_changes, timetable_writes
from resolvers.setup.timetable_facts import Slot
from schema.base import Info, decode_id, decode_optional, reads
from schema.bounds import list_field, text_field, width
from schema.enums import TimetableChangeKind
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import Room
from schema.setup.timetable import TimetableChange, TimetableEntry

Confirm = Annotated[
    bool,
    strawberry.argument(
        description="Go ahead even where lessons that hold journal records (a topic, "
        "attendance, grades, homework) would move, change or be cancelled: left false, such a "
        "write is BAD_USER_INPUT (field `confirm`) listing them in `extensions.wouldBreak`, "
        "and nothing is written. Only who may change those lessons (the admin) confirms."
    ),
]
VALID_FROM = "The first day it holds (YYYY-MM-DD): today or later, within the school year."


@strawberry.input(description="A weekly slot: a group has a subject with a teacher at a bell.")
class TimetableSlotInput:
    group_id: strawberry.ID = strawberry.field(description="The group taught (a `Group` ID).")
    subject_id: strawberry.ID = strawberry.field(description="The subject (a `Subject` ID).")
    teacher_id: strawberry.ID = strawberry.field(
        description="Who gives it (a `Person` ID): a teacher of the school."
    )
    room_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where (a `Room` ID); null: no room set."
    )
    weekday: int = strawberry.field(
        description="1 is Monday; up to 5 or 6, as long as the school's week."
    )
    bell_number: int = strawberry.field(
        description="The lesson's number in the day, one of the class's bell schedule."
    )

    def slot(self) -> Slot:
        return Slot(
            group_id=decode_id(self.group_id, Group),
            subject_id=decode_id(self.subject_id, Subject),
            teacher_id=decode_id(self.teacher_id, Person),
            room_id=decode_optional(self.room_id, Room),
            weekday=self.weekday,
            bell_number=self.bell_number,
        )


@strawberry.input(
    description="A week's timetable of classes or groups, replacing theirs from a date on."
)
class TimetableSetInput:
    class_ids: list[strawberry.ID] = list_field(
        timetable_writes.MAX_CLASSES,
        optional=True,
        description="The classes (`SchoolClass` IDs) whose every group's timetable this is; "
        "all of a school's classes for the school's",
    )
    group_ids: list[strawberry.ID] = list_field(
        timetable_writes.MAX_GROUPS,
        optional=True,
        description="Groups (`Group` IDs) whose timetable this is besides those classes'",
    )
    valid_from: date = strawberry.field(description=VALID_FROM)
    slots: list[TimetableSlotInput] = list_field(
        timetable_writes.MAX_SLOTS,
        description="Every weekly slot of those groups from `validFrom` on; a group without "
        "any has no lessons from then on",
    )


@strawberry.type(description="What `timetableSet` wrote.")
class TimetableSetPayload:
    entries: list[TimetableEntry] = strawberry.field(
        description="The new slots, in the order given.",
        metadata=reads(Resource.TIMETABLE) | at_most(timetable_writes.MAX_SLOTS),
    )
    ended: int = strawberry.field(
        description="How many slots that held before `validFrom` end the day before it."
    )
    withdrawn: int = strawberry.field(
        description="How many slots that were to start on `validFrom` or later were withdrawn."
    )


async def timetable_set(
    info: Info,
    input: Annotated[TimetableSetInput, strawberry.argument(description="The timetable.")],
    confirm: Confirm = False,
) -> TimetableSetPayload:
    replaced = await timetable_writes.timetable_set(
        info.context,
        [decode_id(i, SchoolClass) for i in input.class_ids],
        [decode_id(i, Group) for i in input.group_ids],
        input.valid_from,
        [slot.slot() for slot in input.slots],
        confirm=confirm,
    )
    return TimetableSetPayload(
        entries=replaced.entries,  # type: ignore[arg-type]
        ended=replaced.ended,
        withdrawn=replaced.withdrawn,
    )


@strawberry.input(description="A weekly slot to add, from a date on.")
class TimetableEntryAddInput(TimetableSlotInput):
    valid_from: date = strawberry.field(description=VALID_FROM)


async def timetable_entry_add(
    info: Info,
    input: Annotated[TimetableEntryAddInput, strawberry.argument(description="The slot.")],
    confirm: Confirm = False,
) -> m.TimetableEntry:
    return await timetable_writes.entry_add(
        info.context, input.slot(), input.valid_from, confirm=confirm
    )


@strawberry.input(description="What to change in a weekly slot from a date on; left out: kept.")
class TimetableEntryChangeInput:
    entry_id: strawberry.ID = strawberry.field(
        description="The slot (a `TimetableEntry` ID), holding on `validFrom`."
    )
    valid_from: date = strawberry.field(
        description="The first day it is as changed (YYYY-MM-DD): today or later. The slot "
        "as it was ends the day before (kept, as history), unless it starts that day."
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another subject (a `Subject` ID)."
    )
    teacher_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another teacher (a `Person` ID)."
    )
    room_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another room (a `Room` ID)."
    )
    no_room: bool = strawberry.field(default=False, description="True: no room set any more.")
    weekday: int | None = strawberry.field(default=None, description="Another weekday.")
    bell_number: int | None = strawberry.field(default=None, description="Another bell.")


async def timetable_entry_change(
    info: Info,
    input: Annotated[TimetableEntryChangeInput, strawberry.argument(description="The change.")],
    confirm: Confirm = False,
) -> m.TimetableEntry:
    changes = timetable_writes.SlotChanges(
        subject_id=decode_optional(input.subject_id, Subject),
        teacher_id=decode_optional(input.teacher_id, Person),
        room_id=decode_optional(input.room_id, Room),
        no_room=input.no_room,
        weekday=input.weekday,
        bell_number=input.bell_number,
    )
    return await timetable_writes.entry_change(
        info.context,
        decode_id(input.entry_id, TimetableEntry),
        input.valid_from,
        changes,
        confirm=confirm,
    )


@strawberry.type(description="What `timetableEntryEnd` did.")
class TimetableEntryEndPayload:
    entry: TimetableEntry | None = strawberry.field(
        description="The slot as it ends (`validTo` the day before); null: it was to start "
        "on that day or later, never held, and was withdrawn.",
        metadata=reads(Resource.TIMETABLE),
    )


async def timetable_entry_end(
    info: Info,
    entry_id: Annotated[
        strawberry.ID, strawberry.argument(description="The slot (a `TimetableEntry` ID).")
    ],
    valid_from: Annotated[
        date,
        strawberry.argument(description="The first day without it (YYYY-MM-DD): today or later."),
    ],
    confirm: Confirm = False,
) -> TimetableEntryEndPayload:
    entry = await timetable_writes.entry_end(
        info.context, decode_id(entry_id, TimetableEntry), valid_from, confirm=confirm
    )
    return TimetableEntryEndPayload(entry=entry)  # type: ignore[arg-type]


@strawberry.input(
    description="One day's change (изменение расписания). CANCELLED: `entryId`. SUBSTITUTION "
    "(замена): `entryId`, `teacherId`, perhaps `roomId`. ROOM_CHANGE: `entryId`, `roomId`. "
    "MOVED (перенос, to another bell that day): `entryId`, `bellNumber`, perhaps `roomId`; "
    "to another day, cancel it and add an EXTRA there. EXTRA: `groupId`, `subjectId`, "
    "`teacherId`, `bellNumber`, perhaps `roomId`."
)
class TimetableChangeAddInput:
    kind: TimetableChangeKind = strawberry.field(description="What changes.")
    on_date: date = strawberry.field(description="The day (YYYY-MM-DD): today or later.")
    entry_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The weekly slot whose lesson changes that day (a `TimetableEntry` ID); "
        "not for EXTRA.",
    )
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="EXTRA: the group (a `Group` ID)."
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="EXTRA: the subject (a `Subject` ID)."
    )
    teacher_id: strawberry.ID | None = strawberry.field(
        default=None, description="SUBSTITUTION: the substitute; EXTRA: the teacher (`Person`)."
    )
    room_id: strawberry.ID | None = strawberry.field(
        default=None, description="The room that day (a `Room` ID)."
    )
    bell_number: int | None = strawberry.field(
        default=None, description="MOVED, EXTRA: the bell that day."
    )
    reason: str | None = text_field(
        width(m.TimetableChange.reason), default=None, description="Why (for the record)"
    )


async def timetable_change_add(
    info: Info,
    input: Annotated[TimetableChangeAddInput, strawberry.argument(description="The change.")],
    confirm: Confirm = False,
) -> m.TimetableChange:
    change = timetable_changes.DayChange(
        kind=input.kind,
        on_date=input.on_date,
        entry_id=decode_optional(input.entry_id, TimetableEntry),
        group_id=decode_optional(input.group_id, Group),
        subject_id=decode_optional(input.subject_id, Subject),
        teacher_id=decode_optional(input.teacher_id, Person),
        room_id=decode_optional(input.room_id, Room),
        bell_number=input.bell_number,
        reason=(input.reason or "").strip() or None,
    )
    return await timetable_changes.change_add(info.context, change, confirm=confirm)


@strawberry.type(description="What `timetableChangeRemove` removed.")
class TimetableChangeRemovePayload:
    removed_id: strawberry.ID = strawberry.field(
        description="The `TimetableChange` ID removed: that day's lesson is as the weekly "
        "slot has it again."
    )


async def timetable_change_remove(
    info: Info,
    change_id: Annotated[
        strawberry.ID, strawberry.argument(description="The change (a `TimetableChange` ID).")
    ],
    confirm: Confirm = False,
) -> TimetableChangeRemovePayload:
    await timetable_changes.change_remove(
        info.context, decode_id(change_id, TimetableChange), confirm=confirm
    )
    return TimetableChangeRemovePayload(removed_id=change_id)


def _writes(table: type[m.TimetableChange] | None = None) -> list[type]:
    return [can(Resource.TIMETABLE, Action.WRITE, table), PersonalAccount]


WHO = (
    " The lessons of today and the coming two weeks are re-planned in the same transaction. "
    "Nobody is booked twice: a teacher, room or group taken at that bell is BAD_USER_INPUT "
    "naming the clash (CONFLICT when a concurrent write took it first). A person signed in "
    "with their own login."
)

timetable_set_field = strawberry.mutation(
    resolver=timetable_set,
    permission_classes=_writes(),
    description="Enter the weekly timetable (расписание уроков) of classes or groups from a "
    "date on, replacing theirs (В.1 #5, Г.1 #7: the deputy or admin; a class teacher for "
    "their own class): slots that held before end the day before (kept, as history), those "
    "that were to start later are withdrawn, with their changes from that day on. All or "
    "nothing; a bad slot is named by `item`." + WHO,
)
timetable_entry_add_field = strawberry.mutation(
    resolver=timetable_entry_add,
    graphql_type=TimetableEntry,
    permission_classes=_writes(),
    metadata=reads(Resource.TIMETABLE),
    description="Add one weekly slot from a date on." + WHO,
)
timetable_entry_change_field = strawberry.mutation(
    resolver=timetable_entry_change,
    graphql_type=TimetableEntry,
    permission_classes=_writes(),
    metadata=reads(Resource.TIMETABLE),
    description="Correct one weekly slot from a date on (its subject, teacher, room, weekday "
    "or bell): the slot as it was ends the day before, and the one answered starts that "
    "day; the slot's changes from that day on are withdrawn." + WHO,
)
timetable_entry_end_field = strawberry.mutation(
    resolver=timetable_entry_end,
    permission_classes=_writes(),
    description="End one weekly slot: no such lesson from a date on (its changes from then "
    "on are withdrawn)." + WHO,
)
timetable_change_add_field = strawberry.mutation(
    resolver=timetable_change_add,
    graphql_type=TimetableChange,
    permission_classes=_writes(m.TimetableChange),
    metadata=reads(Resource.TIMETABLE),
    description="Change one day's timetable (В.1 #6, А #28: the deputy or admin, on the day "
    "or ahead): cancel a lesson, give it a substitute (замена), another room or bell, or add "
    "an extra lesson. One change of a kind per lesson and day; a day off is BAD_USER_INPUT." + WHO,
)
timetable_change_remove_field = strawberry.mutation(
    resolver=timetable_change_remove,
    permission_classes=_writes(m.TimetableChange),
    description="Withdraw a day's change (today's or later): the lesson is as the weekly "
    "slot has it again." + WHO,
)
