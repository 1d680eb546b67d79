"""The subject↔class (with weekly hours), subject↔teacher and subject↔room links."""

from demo.catalog import SUBJECTS
from demo.ids import Ids
from demo.sink import Sink
from demo.world import ClassRec, SchoolRefs, Teacher, Teaching
from model import SubjectClass, SubjectRoom, SubjectTeacher


def link_subjects(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    teachers: list[Teacher],
    teachings: list[Teaching],
) -> None:
    for school_class in classes:
        for spec in SUBJECTS:
            hours = spec.hours_in(school_class.parallel)
            if hours:
                sink.add(
                    SubjectClass,
                    {
                        "id": ids.next(SubjectClass),
                        "school_id": refs.id,
                        "subject_id": refs.subject_ids[spec.name],
                        "school_class_id": school_class.id,
                        "hours_per_week": hours,
                    },
                )
    order = {spec.name: position for position, spec in enumerate(SUBJECTS)}
    room_of = {teacher.person.id: teacher.room_id for teacher in teachers}
    pairs = sorted({(order[t.subject], t.teacher_id) for t in teachings})
    rooms: set[tuple[int, int]] = set()
    for position, teacher_id in pairs:
        subject_id = refs.subject_ids[SUBJECTS[position].name]
        sink.add(
            SubjectTeacher,
            {
                "id": ids.next(SubjectTeacher),
                "school_id": refs.id,
                "subject_id": subject_id,
                "teacher_id": teacher_id,
            },
        )
        room = (position, room_of[teacher_id])
        if room not in rooms:
            rooms.add(room)
            sink.add(
                SubjectRoom,
                {
                    "id": ids.next(SubjectRoom),
                    "school_id": refs.id,
                    "subject_id": subject_id,
                    "room_id": room[1],
                },
            )
