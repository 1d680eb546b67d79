"""Who teaches what: subject teachers take consecutive classes of a parallel, evenly loaded."""

from demo.catalog import SUBJECTS, SubjectSpec
from demo.world import ClassRec, Teacher, Teaching

_Item = tuple[ClassRec, SubjectSpec, tuple[int, ...], int]


def assign_teaching(
    classes: list[ClassRec], teachers: list[Teacher], psychologist: Teacher
) -> list[Teaching]:
    """Assign every group's subjects; sets class teachers, class rooms and teacher loads. The
    psychologist gives their course to whole classes, in their own room."""
    primary = [t for t in teachers if t.primary]
    primary_classes = [c for c in classes if c.parallel <= 4]
    for position, school_class in enumerate(primary_classes):
        school_class.class_teacher = primary[position % len(primary)]

    by_speciality: dict[tuple[str, ...], list[Teacher]] = {}
    for teacher in teachers:
        if not teacher.primary:
            by_speciality.setdefault(teacher.families, []).append(teacher)
    speciality_of = {family: key for key in by_speciality for family in key}

    items: dict[tuple[str, ...], list[_Item]] = {}
    for school_class in classes:
        for spec in SUBJECTS:
            hours = spec.hours_in(school_class.parallel)
            if hours == 0 or spec.taught_by_class_teacher(school_class.parallel):
                continue
            if spec.taught_by_psychologist:
                continue
            groups = school_class.subgroups.get(spec.name, (school_class.whole_group_id,))
            key = speciality_of[spec.family]
            items.setdefault(key, []).append((school_class, spec, groups, hours))

    teachings: list[Teaching] = []
    for key, work in items.items():
        teachings.extend(_share_out(work, by_speciality[key]))

    _choose_class_teachers(classes, teachers, teachings)
    for school_class in classes:
        class_teacher = school_class.class_teacher
        if class_teacher is None:
            continue
        school_class.room_id = class_teacher.room_id
        for spec in SUBJECTS:
            hours = spec.hours_in(school_class.parallel)
            if hours and spec.taught_by_class_teacher(school_class.parallel):
                class_teacher.load += hours
                teachings.append(
                    Teaching(
                        school_class.index,
                        spec.name,
                        school_class.whole_group_id,
                        class_teacher.person.id,
                        class_teacher.room_id,
                        hours,
                    )
                )
    for school_class in classes:
        for spec in SUBJECTS:
            hours = spec.hours_in(school_class.parallel)
            if hours and spec.taught_by_psychologist:
                psychologist.load += hours
                teachings.append(
                    Teaching(
                        school_class.index,
                        spec.name,
                        school_class.whole_group_id,
                        psychologist.person.id,
                        psychologist.room_id,
                        hours,
                    )
                )
    return teachings


def _share_out(work: list[_Item], staff: list[Teacher]) -> list[Teaching]:
    """Walk the classes in order and hand each teacher an equal consecutive share of the hours."""
    count = len(staff)
    target = sum(hours * len(groups) for _, _, groups, hours in work) / count
    teachings = []
    done = 0.0
    for school_class, spec, groups, hours in work:
        chosen: list[int] = []
        for group_id in groups:
            index = min(count - 1, int((done + hours / 2) / target))
            done += hours
            if index in chosen:
                # The two subgroups meet at the same time, so they need different teachers.
                index = index + 1 if index + 1 < count else index - 1
            chosen.append(index)
            teacher = staff[index]
            teacher.load += hours
            teachings.append(
                Teaching(
                    school_class.index,
                    spec.name,
                    group_id,
                    teacher.person.id,
                    teacher.room_id,
                    hours,
                )
            )
    return teachings


def _choose_class_teachers(
    classes: list[ClassRec], teachers: list[Teacher], teachings: list[Teaching]
) -> None:
    """A class from the 5th grade up gets one of its own teachers, one class each if possible."""
    by_person = {t.person.id: t for t in teachers}
    hours: dict[tuple[int, int], int] = {}
    for teaching in teachings:
        key = (teaching.class_index, teaching.teacher_id)
        hours[key] = hours.get(key, 0) + teaching.hours
    taken = {c.class_teacher.person.id for c in classes if c.class_teacher is not None}
    order = {t.person.id: position for position, t in enumerate(teachers)}
    for school_class in classes:
        if school_class.class_teacher is not None:
            continue
        own = sorted(
            (tid for (ci, tid) in hours if ci == school_class.index),
            key=lambda tid: (-hours[(school_class.index, tid)], order[tid]),
        )
        free = [tid for tid in own if tid not in taken]
        if not free:
            free = sorted(
                (t.person.id for t in teachers if not t.primary and t.person.id not in taken),
                key=lambda tid: (by_person[tid].load, order[tid]),
            )
        chosen = free[0] if free else (own[0] if own else teachers[0].person.id)
        taken.add(chosen)
        school_class.class_teacher = by_person[chosen]
