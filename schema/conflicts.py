"""A write that lost a race on a unique key: somebody made the same entry meanwhile. Nothing of
the request is written (its transaction rolls back); the client reloads and sees theirs."""

from sqlalchemy.exc import IntegrityError

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
EXCLUSION_VIOLATION = "23P01"  # an exclusion constraint: two rows may not overlap
SQLITE_UNIQUE = "SQLITE_CONSTRAINT_UNIQUE"

# What a table's unique key holds, in the school's words; the entries the API creates.
_MADE_MEANWHILE = {
    "grade": "This student's grade for that work in the lesson was entered meanwhile",
    "attendance": "This student's attendance in the lesson was marked meanwhile",
    "final_grade": "This student's grade for the period was set meanwhile",
    "lesson_work_type": "The lesson's kinds of work were changed meanwhile",
    "school_year": "A school year overlapping these dates was entered meanwhile",
    "period": "A period of that kind overlapping these dates was entered meanwhile",
    "account": "A login was issued to this person, or the login taken, meanwhile",
}
_ANY = "The same entry was made meanwhile"


def unique_key_taken(original: BaseException | None) -> str | None:
    """The message for a unique key a concurrent write took first, or None if it is not that."""
    if not isinstance(original, IntegrityError):
        return None
    error = original.orig
    if getattr(error, "sqlstate", None) in (UNIQUE_VIOLATION, EXCLUSION_VIOLATION):
        table = getattr(getattr(error, "diag", None), "table_name", None)
    elif getattr(error, "sqlite_errorname", None) == SQLITE_UNIQUE:
        # "UNIQUE constraint failed: grade.lesson_id, grade.student_id, grade.work_type_id"
        table = str(error).rpartition(": ")[2].partition(".")[0]
    else:
        return None
    return f"{_MADE_MEANWHILE.get(table or '', _ANY)}; reload and try again."
