"""Classes of the school year and their groups: the whole class, and subgroups for some subjects."""

from demo.catalog import SUBJECTS, SubjectSpec
from demo.ids import Ids
from demo.sink import Sink
from demo.staffing import ClassPlan, may_split
from demo.world import ClassRec, SchoolRefs
from model import Group, GroupKind, GroupStudent, SchoolClass, Sex


def open_classes(ids: Ids, plans: list[ClassPlan]) -> list[ClassRec]:
    return [
        ClassRec(
            index=index,
            id=ids.next(SchoolClass),
            parallel=plan.parallel,
            letter=plan.letter,
            size=plan.size,
        )
        for index, plan in enumerate(plans)
    ]


def _halves(school_class: ClassRec, spec: SubjectSpec) -> tuple[list[int], list[int]]:
    students = school_class.students
    if spec.family == "labour":
        # Labour lessons are traditionally split into girls and boys.
        girls = [s.id for s in students if s.sex is Sex.FEMALE]
        boys = [s.id for s in students if s.sex is Sex.MALE]
        if girls and boys:
            return girls, boys
    # Otherwise by the class list: the first half is the first group.
    middle = (len(students) + 1) // 2
    return [s.id for s in students[:middle]], [s.id for s in students[middle:]]


def form_groups(
    sink: Sink, ids: Ids, refs: SchoolRefs, classes: list[ClassRec], staffed: dict[str, int]
) -> None:
    """`staffed` counts the teachers per subject family: a split needs two of them."""
    for school_class in classes:
        school_class.whole_group_id = ids.next(Group)
        sink.add(
            Group,
            {
                "id": school_class.whole_group_id,
                "school_id": refs.id,
                "school_class_id": school_class.id,
                "kind": GroupKind.WHOLE_CLASS,
                "name": school_class.name,
                "subject_id": None,
            },
        )
        plan = ClassPlan(school_class.parallel, school_class.letter, len(school_class.students))
        for spec in SUBJECTS:
            if spec.hours_in(school_class.parallel) == 0 or not may_split(spec, plan):
                continue
            if staffed.get(spec.family, 0) < 2:
                continue
            pair = []
            for number, members in enumerate(_halves(school_class, spec), start=1):
                group_id = ids.next(Group)
                pair.append(group_id)
                school_class.group_members[group_id] = members
                sink.add(
                    Group,
                    {
                        "id": group_id,
                        "school_id": refs.id,
                        "school_class_id": school_class.id,
                        "kind": GroupKind.SUBGROUP,
                        "name": f"{school_class.name} {spec.short_name} ({number} гр.)",
                        "subject_id": refs.subject_ids[spec.name],
                    },
                )
                for student_id in members:
                    sink.add(
                        GroupStudent,
                        {
                            "id": ids.next(GroupStudent),
                            "group_id": group_id,
                            "student_id": student_id,
                        },
                    )
            school_class.subgroups[spec.name] = (pair[0], pair[1])


def emit_classes(sink: Sink, refs: SchoolRefs, classes: list[ClassRec]) -> None:
    for school_class in classes:
        teacher = school_class.class_teacher
        sink.add(
            SchoolClass,
            {
                "id": school_class.id,
                "school_id": refs.id,
                "school_year_id": refs.year_id,
                "parallel": school_class.parallel,
                "letter": school_class.letter,
                "class_teacher_id": teacher.person.id if teacher is not None else None,
                "room_id": school_class.room_id,
                "period_kind": school_class.period_kind,
                "bell_schedule_id": refs.bell_schedule_ids[school_class.bell_schedule],
            },
        )
