"""The export's frame of classes and people, read once: who the users are (the readable people
holding a readable role in the school, the students of the classes exported, their teachers
and their parents), their roles, the parents and children linked, each student's parallels.
Bounded by the school's people and classes, not by its journal."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

import model as m
from resolvers.context import Context
from resolvers.exports.oneroster import people, reads
from resolvers.exports.oneroster.mapping import PRECEDENCE
from resolvers.exports.oneroster.people import Member
from resolvers.exports.oneroster.reads import Frame, Scale, TaughtClass


@dataclass
class Roster:
    classes: list[TaughtClass]
    members: dict[int, list[Member]]  # by group
    teachers: dict[tuple[int, int], list[int]]  # by class, the primary first
    roles: dict[int, list[str]]  # tabel's roles by person, the primary first
    agents: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    parallels: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    guardians_only: set[int] = field(default_factory=set)  # parents only by guardianship

    @cached_property
    def by_key(self) -> dict[tuple[int, int], TaughtClass]:
        return {c.key: c for c in self.classes}

    @cached_property
    def users(self) -> list[int]:
        return sorted(self.roles)


def _order(roles: set[str]) -> list[str]:
    known = [r for r in PRECEDENCE if r in roles]
    return known + sorted(roles - set(PRECEDENCE))


async def roster(ctx: Context, school_id: int, frame: Frame) -> Roster:
    classes = await reads.classes(ctx, school_id, [y.id for y in frame.years])
    groups = {c.group.id: c.group for c in classes}
    parallel_of = {c.group.id: c.school_class.parallel for c in classes}
    members: dict[int, list[Member]] = defaultdict(list)
    for member in await people.members(ctx, list(groups.values())):
        members[member.group_id].append(member)
    lessons = await people.teaching(ctx, school_id)
    teachers: dict[tuple[int, int], list[int]] = {}
    for c in classes:
        counts = lessons.get(c.key, {})
        teachers[c.key] = sorted(counts, key=lambda t: (-counts[t], t))

    held: dict[int, set[str]] = defaultdict(set)
    for person_id, role in await people.school_roles(ctx, school_id):
        held[person_id].add(role)
    result = Roster(classes, members, teachers, {})
    students: set[int] = set()
    for group_id, group_members in members.items():
        for member in group_members:
            students.add(member.student_id)
            held[member.student_id].add(m.Role.STUDENT.value)
            result.parallels[member.student_id].add(parallel_of[group_id])
    for class_teachers in teachers.values():
        for teacher_id in class_teachers:
            held[teacher_id].add(m.Role.TEACHER.value)
    kinships: dict[int, set[m.Kinship]] = defaultdict(set)
    for parent_id, child_id, kinship in await people.guardians(ctx, students):
        held[parent_id].add(m.Role.PARENT.value)
        result.agents[parent_id].add(child_id)
        result.agents[child_id].add(parent_id)
        kinships[parent_id].add(kinship)
    result.guardians_only = {p for p, k in kinships.items() if k == {m.Kinship.GUARDIAN}}
    result.roles = {person_id: _order(roles) for person_id, roles in held.items()}
    return result


@dataclass
class Export:
    """What one export reads once and every file refers to."""

    ctx: Context
    frame: Frame
    roster: Roster
    work_types: dict[int, m.WorkType]
    scales: dict[int, Scale]

    @property
    def school_id(self) -> int:
        return self.frame.school.id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.frame.school.timezone)
