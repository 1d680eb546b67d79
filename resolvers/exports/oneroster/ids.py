"""sourcedIds: stable, and the API's own IDs so that an integrator joins the two.

A row that is one of tabel's objects (a school, person, period, work type, grade…) has the ID
the GraphQL API gives it (`node(id:)`), the base64 of `Type:17`, without the `=` padding: the
binding's GUIDs allow only letters, digits and `. - _ / @`, and base64 of a type name, a colon
and digits holds no `+` or `/` — only its padding falls outside (pad it back to a multiple of
four characters to ask the API). A row made of several objects (a class is a group × subject,
a line item a lesson × work type) joins their IDs with `.`, which base64 never holds; a word
that tells rows of the same objects apart (a role) follows a `-`.
"""

import base64
from functools import lru_cache


def api_id(type_name: str, row_id: int) -> str:
    """The API's global ID of a row, exactly as `node(id:)` takes it."""
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


@lru_cache(maxsize=8192)  # a school's people, classes and lessons are asked for again and again
def sourced(type_name: str, row_id: int) -> str:
    return api_id(type_name, row_id).rstrip("=")


def joined(*parts: str, qualifier: str | None = None) -> str:
    sourced_id = ".".join(parts)
    return sourced_id if qualifier is None else f"{sourced_id}-{qualifier}"


def school(school_id: int) -> str:
    return sourced("School", school_id)


def person(person_id: int) -> str:
    return sourced("Person", person_id)


def school_class(group_id: int, subject_id: int) -> str:
    """A class of OneRoster: one group taught one subject."""
    return joined(sourced("Group", group_id), sourced("Subject", subject_id))


def course(school_year_id: int, subject_id: int, parallel: int) -> str:
    """A subject in one parallel of a school year."""
    return joined(
        sourced("SchoolYear", school_year_id),
        sourced("Subject", subject_id),
        qualifier=f"{parallel:02d}",
    )


def period(period_id: int) -> str:
    return sourced("Period", period_id)


def school_year(school_year_id: int) -> str:
    return sourced("SchoolYear", school_year_id)


def work_type(work_type_id: int) -> str:
    return sourced("WorkType", work_type_id)


def final_category(school_id: int) -> str:
    return joined(school(school_id), qualifier="final")


def lesson_item(lesson_id: int, work_type_id: int) -> str:
    return joined(sourced("Lesson", lesson_id), work_type(work_type_id))


def final_item(group_id: int, subject_id: int, period_id: int) -> str:
    return joined(school_class(group_id, subject_id), period(period_id))


def score_scale(group_id: int, subject_id: int, scale_id: int, final: bool) -> str:
    return joined(
        school_class(group_id, subject_id),
        sourced("GradeScale", scale_id),
        qualifier="final" if final else None,
    )
