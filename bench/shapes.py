"""The four read shapes (issue 5, the README's «Screens»): each one's GraphQL query, how it picks
realistic variables from the demo data, and one hand-written PostgreSQL query that yields
exactly the JSON body the GraphQL endpoint answers (`{"data": {field: …}}`).

The SQL builds the whole body with json_build_object/json_agg (the `json` type keeps key
order); relay global IDs are base64 of 'Type:id', decimals text with 2 places rounded half
up, enums upper case — as Strawberry prints them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

TODAY = date(2026, 11, 28)  # the demo's «today» (`tabel demo --today`), a Saturday


def gid(type_name: str, column: str) -> str:
    """SQL for a Strawberry relay global ID (base64 of 'Type:id'; short enough not to wrap)."""
    return f"encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64')"


def full_name(p: str) -> str:
    return (
        f"concat_ws(' ', nullif({p}.last_name, ''), nullif({p}.first_name, ''),"
        f" nullif({p}.middle_name, ''))"
    )


def short_name(p: str) -> str:
    return (
        f"({p}.last_name || ' ' || coalesce(left(nullif({p}.first_name, ''), 1) || '.', '')"
        f" || coalesce(left(nullif({p}.middle_name, ''), 1) || '.', ''))"
    )


def mean(total: str, count: str) -> str:
    """Decimal text, 2 places; numeric round() is half away from zero (= ROUND_HALF_UP here)."""
    return f"round({total} / nullif({count}, 0), 2)::text"


def json_list(select: str) -> str:
    return f"coalesce(({select}), '[]'::json)"


def person_ref(p: str) -> str:
    return f"json_build_object('id', {gid('Person', f'{p}.id')}, 'shortName', {short_name(p)})"


def subject_ref(s: str) -> str:
    return f"json_build_object('id', {gid('Subject', f'{s}.id')}, 'name', {s}.name)"


STUDENT_ORDER = "s.last_name, s.first_name, s.id"

WORK_TYPES = json_list(
    "SELECT json_agg(json_build_object('id', " + gid("WorkType", "w.id") + ", "
    "'shortName', w.short_name, 'weight', w.weight::text) ORDER BY w.id) "
    "FROM lesson_work_type lw JOIN work_type w ON w.id = lw.work_type_id "
    "WHERE lw.lesson_id = l.id"
)

HOMEWORK_FIELDS = (
    "json_build_object('id', " + gid("Homework", "h.id") + ", 'text', h.text, "
    "'pages', h.pages, 'tasks', h.tasks, 'dueOn', h.due_on, 'individual', h.is_individual)"
)

GRADES = json_list(
    "SELECT json_agg(json_build_object('id', " + gid("Grade", "g.id") + ", "
    "'lessonId', " + gid("Lesson", "g.lesson_id") + ", "
    "'studentId', " + gid("Person", "g.student_id") + ", "
    "'workTypeId', " + gid("WorkType", "g.work_type_id") + ", "
    "'mark', g.mark, 'comment', g.comment) ORDER BY g.id) "
    "FROM grade g WHERE g.lesson_id IN (SELECT id FROM ls)"
)

ATTENDANCE = json_list(
    "SELECT json_agg(json_build_object('id', " + gid("Attendance", "a.id") + ", "
    "'lessonId', " + gid("Lesson", "a.lesson_id") + ", "
    "'studentId', " + gid("Person", "a.student_id") + ", "
    "'kind', upper(a.kind), 'lateMinutes', a.late_minutes) ORDER BY a.id) "
    "FROM attendance a WHERE a.lesson_id IN (SELECT id FROM ls)"
)

# Counted marks (those with a value) joined to their work type's weight.
COUNTED = (
    "JOIN work_type w ON w.id = g.work_type_id "
    "JOIN grade_scale_mark v ON v.grade_scale_id = g.grade_scale_id AND v.mark = g.mark "
    "AND v.value IS NOT NULL"
)

# ---------------------------------------------------------------------------------------------
# 1. Class grade grid

GRID_QUERY = """
query Grid($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(groupId: $group, subjectId: $subject, periodId: $period) {
    students { id fullName shortName average weightedAverage }
    lessons { id heldOn bellNumber status topic workTypes { id shortName weight } }
    grades { id lessonId studentId workTypeId mark comment }
    attendance { id lessonId studentId kind lateMinutes }
  }
}
"""

GRID_SQL = f"""
WITH ls AS (
  SELECT l.id, l.held_on, l.bell_number, l.status, l.topic FROM lesson l
  JOIN period p ON p.id = %(period)s
  WHERE l.group_id = %(group)s AND l.subject_id = %(subject)s
    AND l.held_on BETWEEN p.starts_on AND p.ends_on
),
av AS (
  SELECT g.student_id, {mean("sum(v.value)", "count(v.value)")} AS average,
         {mean("sum(v.value * w.weight)", "sum(w.weight)")} AS weighted
  FROM grade g {COUNTED}
  WHERE g.lesson_id IN (SELECT id FROM ls) GROUP BY g.student_id
)
SELECT json_build_object('data', json_build_object('gradeGrid', json_build_object(
  'students', {
    json_list(
        "SELECT json_agg(json_build_object('id', " + gid("Person", "s.id") + ", "
        "'fullName', " + full_name("s") + ", 'shortName', " + short_name("s") + ", "
        "'average', av.average, 'weightedAverage', av.weighted) ORDER BY " + STUDENT_ORDER + ") "
        "FROM person s LEFT JOIN av ON av.student_id = s.id WHERE s.id IN ("
        "SELECT cs.student_id FROM study_group sg "
        "JOIN class_student cs ON cs.school_class_id = sg.school_class_id "
        "WHERE sg.id = %(group)s AND sg.kind = 'whole_class' "
        "UNION ALL SELECT gs.student_id FROM group_student gs WHERE gs.group_id = %(group)s)"
    )
},
  'lessons', {
    json_list(
        "SELECT json_agg(json_build_object('id', " + gid("Lesson", "l.id") + ", "
        "'heldOn', l.held_on, 'bellNumber', l.bell_number, 'status', upper(l.status), "
        "'topic', l.topic, 'workTypes', " + WORK_TYPES + ") "
        "ORDER BY l.held_on, l.bell_number, l.id) FROM ls l"
    )
},
  'grades', {GRADES},
  'attendance', {ATTENDANCE}
)))
"""

# ---------------------------------------------------------------------------------------------
# 2. Class journal page

JOURNAL_QUERY = """
query ClassJournal($class: ID!, $from: Date!, $to: Date!) {
  classJournal(classId: $class, dateFrom: $from, dateTo: $to) {
    students { id fullName shortName }
    lessons { id heldOn bellNumber status topic groupId subject { id name } teacher { id shortName }
              workTypes { id shortName weight } homework { id text pages tasks dueOn individual } }
    grades { id lessonId studentId workTypeId mark comment }
    attendance { id lessonId studentId kind lateMinutes }
  }
}
"""

JOURNAL_SQL = f"""
WITH ls AS (
  SELECT l.* FROM lesson l
  WHERE l.group_id IN (SELECT id FROM study_group WHERE school_class_id = %(class)s)
    AND l.held_on BETWEEN %(from)s::date AND %(to)s::date
)
SELECT json_build_object('data', json_build_object('classJournal', json_build_object(
  'students', {
    json_list(
        "SELECT json_agg(json_build_object('id', " + gid("Person", "s.id") + ", "
        "'fullName', " + full_name("s") + ", 'shortName', " + short_name("s") + ") "
        "ORDER BY " + STUDENT_ORDER + ") FROM person s WHERE s.id IN ("
        "SELECT student_id FROM class_student WHERE school_class_id = %(class)s)"
    )
},
  'lessons', {
    json_list(
        "SELECT json_agg(json_build_object('id', " + gid("Lesson", "l.id") + ", "
        "'heldOn', l.held_on, 'bellNumber', l.bell_number, 'status', upper(l.status), "
        "'topic', l.topic, 'groupId', " + gid("Group", "l.group_id") + ", "
        "'subject', " + subject_ref("su") + ", 'teacher', " + person_ref("t") + ", "
        "'workTypes', " + WORK_TYPES + ", "
        "'homework', "
        + json_list(
            "SELECT json_agg(" + HOMEWORK_FIELDS + " ORDER BY h.id) FROM homework h "
            "WHERE h.lesson_id = l.id"
        )
        + ") ORDER BY l.held_on, l.bell_number, l.id) FROM ls l "
        "JOIN subject su ON su.id = l.subject_id "
        "JOIN person t ON t.id = coalesce(l.substitute_id, l.teacher_id)"
    )
},
  'grades', {GRADES},
  'attendance', {ATTENDANCE}
)))
"""

# ---------------------------------------------------------------------------------------------
# 3. Diary week

DIARY_QUERY = """
query Diary($student: ID!, $week: Date!) {
  diaryWeek(studentId: $student, weekOf: $week) {
    days {
      date dayOff
      lessons {
        id bellNumber status topic change
        subject { id name } teacher { id shortName }
        homework { id text pages tasks dueOn individual }
        grades { id mark comment workType { shortName weight } }
        attendance { kind lateMinutes }
      }
    }
  }
}
"""

# The days: the school's week, and any other day of it worked (with the timetable of the
# weekday it follows) or with lessons. A day's items: the lesson rows of the student's groups,
# and the timetable slots without a lesson row yet (id, status, topic null); none on a day off.
DIARY_SQL = f"""
WITH me AS (
  SELECT sc.school_id, sch.week_length FROM class_student cs
  JOIN school_class sc ON sc.id = cs.school_class_id JOIN school sch ON sch.id = sc.school_id
  WHERE cs.student_id = %(student)s ORDER BY sc.id LIMIT 1
),
grp AS (
  SELECT sg.id FROM study_group sg JOIN class_student cs ON cs.school_class_id = sg.school_class_id
  WHERE cs.student_id = %(student)s AND sg.kind = 'whole_class'
  UNION SELECT group_id FROM group_student WHERE student_id = %(student)s
),
days AS (
  SELECT d.day, o.name AS day_off,
         coalesce(w.follows_weekday, extract(isodow FROM d.day)::int) AS weekday
  FROM me CROSS JOIN generate_series(0, 6) AS n
  CROSS JOIN LATERAL (SELECT date_trunc('week', %(week)s::date)::date + n AS day) AS d
  LEFT JOIN day_off o ON o.school_id = me.school_id AND o.on_date = d.day
  LEFT JOIN working_day w ON w.school_id = me.school_id AND w.on_date = d.day
  WHERE n < me.week_length OR w.id IS NOT NULL
    OR EXISTS (SELECT FROM lesson l WHERE l.held_on = d.day AND l.group_id IN (SELECT id FROM grp))
),
items AS (
  SELECT l.held_on AS day, l.id, l.bell_number, l.status, l.topic, l.subject_id,
         coalesce(l.substitute_id, l.teacher_id) AS teacher_id,
         (SELECT c.kind FROM timetable_change c
          WHERE c.group_id = l.group_id AND c.on_date = l.held_on
            AND (c.bell_number = l.bell_number OR c.timetable_entry_id = l.timetable_entry_id)
          ORDER BY c.id LIMIT 1) AS change
  FROM lesson l JOIN days ON days.day = l.held_on AND days.day_off IS NULL
  WHERE l.group_id IN (SELECT id FROM grp)
  UNION ALL
  SELECT days.day, NULL, e.bell_number, NULL, NULL, e.subject_id,
         coalesce(c.teacher_id, e.teacher_id), c.kind
  FROM timetable_entry e JOIN days ON days.day_off IS NULL AND e.weekday = days.weekday
    AND e.valid_from <= days.day AND (e.valid_to IS NULL OR e.valid_to >= days.day)
  LEFT JOIN LATERAL (
    SELECT c.kind, c.teacher_id FROM timetable_change c
    WHERE c.group_id = e.group_id AND c.on_date = days.day
      AND (c.bell_number = e.bell_number OR c.timetable_entry_id = e.id)
    ORDER BY c.id LIMIT 1
  ) c ON true
  WHERE e.group_id IN (SELECT id FROM grp)
    AND NOT EXISTS (SELECT FROM lesson l WHERE l.group_id = e.group_id AND l.held_on = days.day
                    AND l.bell_number = e.bell_number)
)
SELECT json_build_object('data', json_build_object('diaryWeek', json_build_object('days', {
    json_list(
        "SELECT json_agg(json_build_object('date', days.day, 'dayOff', days.day_off, "
        "'lessons', "
        + json_list(
            "SELECT json_agg(json_build_object("
            "'id', CASE WHEN i.id IS NULL THEN NULL ELSE " + gid("Lesson", "i.id") + " END, "
            "'bellNumber', i.bell_number, 'status', upper(i.status), 'topic', i.topic, "
            "'change', upper(i.change), "
            "'subject', " + subject_ref("su") + ", 'teacher', " + person_ref("t") + ", "
            "'homework', "
            + json_list(
                "SELECT json_agg(" + HOMEWORK_FIELDS + " ORDER BY h.id) FROM homework h "
                "WHERE h.lesson_id = i.id AND (NOT h.is_individual OR EXISTS ("
                "SELECT FROM homework_student hs WHERE hs.homework_id = h.id "
                "AND hs.student_id = %(student)s))"
            )
            + ", 'grades', "
            + json_list(
                "SELECT json_agg(json_build_object('id', " + gid("Grade", "g.id") + ", "
                "'mark', g.mark, 'comment', g.comment, 'workType', json_build_object("
                "'shortName', w.short_name, 'weight', w.weight::text)) ORDER BY g.id) "
                "FROM grade g JOIN work_type w ON w.id = g.work_type_id "
                "WHERE g.lesson_id = i.id AND g.student_id = %(student)s"
            )
            + ", 'attendance', (SELECT json_build_object('kind', upper(a.kind), "
            "'lateMinutes', a.late_minutes) FROM attendance a "
            "WHERE a.lesson_id = i.id AND a.student_id = %(student)s)"
            ") ORDER BY i.bell_number, i.subject_id, i.id) FROM items i "
            "JOIN subject su ON su.id = i.subject_id JOIN person t ON t.id = i.teacher_id "
            "WHERE i.day = days.day"
        )
        + ") ORDER BY days.day) FROM days"
    )
})))
"""

# ---------------------------------------------------------------------------------------------
# 4. Head's school overview

OVERVIEW_QUERY = """
query Overview($school: ID!, $period: ID!) {
  schoolOverview(schoolId: $school, periodId: $period) {
    rows(first: 100) {
      totalCount
      nodes { schoolClass { id name } subject { id name } average weightedAverage gradeCount
              lessonsHeld lessonsWithoutTopic lessonsWithoutHomework }
    }
  }
}
"""

OVERVIEW_SQL = f"""
WITH ls AS (
  SELECT l.id, sg.school_class_id, l.subject_id, l.status, l.topic FROM lesson l
  JOIN study_group sg ON sg.id = l.group_id
  JOIN period p ON p.id = %(period)s
  WHERE l.school_id = %(school)s AND l.held_on BETWEEN p.starts_on AND p.ends_on
),
lessons AS (
  SELECT school_class_id, subject_id,
         count(*) FILTER (WHERE status = 'held') AS held,
         count(*) FILTER (WHERE status = 'held' AND coalesce(topic, '') = '') AS without_topic,
         count(*) FILTER (WHERE status = 'held'
                          AND NOT EXISTS (SELECT FROM homework h WHERE h.lesson_id = ls.id))
           AS without_homework
  FROM ls GROUP BY school_class_id, subject_id
),
marks AS (
  SELECT ls.school_class_id, ls.subject_id, count(v.value) AS counted,
         {mean("sum(v.value)", "count(v.value)")} AS average,
         {mean("sum(v.value * w.weight)", "sum(w.weight)")} AS weighted
  FROM ls JOIN grade g ON g.lesson_id = ls.id {COUNTED}
  GROUP BY ls.school_class_id, ls.subject_id
)
SELECT json_build_object('data', json_build_object('schoolOverview', json_build_object('rows',
  json_build_object('totalCount', (SELECT count(*) FROM lessons), 'nodes', {
    json_list(
        "SELECT json_agg(r.row ORDER BY r.parallel, r.letter, r.name, r.id) FROM ("
        "SELECT json_build_object("
        "'schoolClass', json_build_object('id', " + gid("SchoolClass", "c.id") + ", "
        "'name', c.parallel || c.letter), "
        "'subject', " + subject_ref("su") + ", "
        "'average', marks.average, 'weightedAverage', marks.weighted, "
        "'gradeCount', coalesce(marks.counted, 0), 'lessonsHeld', x.held, "
        "'lessonsWithoutTopic', x.without_topic, 'lessonsWithoutHomework', x.without_homework"
        ") AS row, c.parallel, c.letter, su.name, su.id FROM lessons x "
        "JOIN school_class c ON c.id = x.school_class_id JOIN subject su ON su.id = x.subject_id "
        "LEFT JOIN marks ON marks.school_class_id = x.school_class_id "
        "AND marks.subject_id = x.subject_id "
        "ORDER BY c.parallel, c.letter, su.name, su.id LIMIT 100) r"
    )
}))))
"""


SQL = {"grid": GRID_SQL, "journal": JOURNAL_SQL, "diary": DIARY_SQL, "overview": OVERVIEW_SQL}

# ---------------------------------------------------------------------------------------------
# Variables from the demo data


@dataclass(frozen=True)
class Case:
    """One measured request: a shape with its variables, asked as `login`."""

    name: str
    title: str
    shape: str  # the baseline's name for it: a key of SQL
    field: str  # the Query field the shape is served by
    query: str
    variables: dict[str, Any]  # GraphQL variables (global IDs)
    params: dict[str, Any]  # the SQL's parameters (integer ids, ISO dates)
    login: str = "admin"


def to_gid(type_name: str, node_id: int) -> str:
    from strawberry import relay

    return relay.to_base64(type_name, node_id)


def _one(conn: psycopg.Connection[Any], sql: str, **params: Any) -> tuple[Any, ...]:
    row = conn.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"the demo data has nothing for {' '.join(sql.split())[:200]}")
    return tuple(row)


CURRENT_PERIOD = """
  SELECT p.id FROM period p JOIN school_class c ON c.id = %(class)s
  WHERE p.school_year_id = c.school_year_id AND p.kind = c.period_kind
    AND %(today)s BETWEEN p.starts_on AND p.ends_on
"""

# The largest grid of the first school in its class's current period: a whole-class subject
# of the senior classes (halves), ~30 students × ~35 lessons × ~400 grades on the full demo.
LARGEST_GRID = """
  SELECT l.group_id, sg.school_class_id, l.subject_id, p.id FROM lesson l
  JOIN study_group sg ON sg.id = l.group_id JOIN school_class c ON c.id = sg.school_class_id
  JOIN period p ON p.school_year_id = c.school_year_id AND p.kind = c.period_kind
   AND %(today)s BETWEEN p.starts_on AND p.ends_on
  WHERE l.school_id = (SELECT min(id) FROM school) AND l.held_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY 1, 2, 3, 4
  ORDER BY (SELECT count(*) FROM grade g WHERE g.lesson_id = ANY(array_agg(l.id))) DESC, 1, 3
  LIMIT 1
"""

# A (group, subject) the demo's `teacher` teaches (a subgroup first, as bench/grid.py did).
TEACHERS_GRID = """
  SELECT t.group_id, g.school_class_id, t.subject_id FROM timetable_entry t
  JOIN account a ON a.person_id = t.teacher_id JOIN study_group g ON g.id = t.group_id
  WHERE a.login = %(login)s ORDER BY g.kind, t.id LIMIT 1
"""


def _grid(name: str, title: str, group: int, subject: int, period: int, login: str) -> Case:
    return Case(
        name=name,
        title=title,
        shape="grid",
        field="gradeGrid",
        query=GRID_QUERY,
        variables={
            "group": to_gid("Group", group),
            "subject": to_gid("Subject", subject),
            "period": to_gid("Period", period),
        },
        params={"group": group, "subject": subject, "period": period},
        login=login,
    )


def _journal(name: str, title: str, school_class: int, start: date, end: date) -> Case:
    dates = {"from": start.isoformat(), "to": end.isoformat()}
    return Case(
        name=name,
        title=title,
        shape="journal",
        field="classJournal",
        query=JOURNAL_QUERY,
        variables={"class": to_gid("SchoolClass", school_class), **dates},
        params={"class": school_class, **dates},
    )


def _diary(name: str, title: str, student: int, week: date) -> Case:
    return Case(
        name=name,
        title=title,
        shape="diary",
        field="diaryWeek",
        query=DIARY_QUERY,
        variables={"student": to_gid("Person", student), "week": week.isoformat()},
        params={"student": student, "week": week.isoformat()},
    )


def _overview(name: str, title: str, school: int, period: int) -> Case:
    return Case(
        name=name,
        title=title,
        shape="overview",
        field="schoolOverview",
        query=OVERVIEW_QUERY,
        variables={"school": to_gid("School", school), "period": to_gid("Period", period)},
        params={"school": school, "period": period},
    )


def cases(conn: psycopg.Connection[Any], today: date = TODAY) -> list[Case]:
    """Every measured request, its variables picked from the demo data in `conn`'s database."""
    group, _, subject, period = _one(conn, LARGEST_GRID, today=today)
    t_group, t_class, t_subject = _one(conn, TEACHERS_GRID, login="teacher")
    (t_period,) = _one(conn, CURRENT_PERIOD, **{"class": t_class, "today": today})
    (student,) = _one(conn, "SELECT person_id FROM account WHERE login = 'student'")
    (journal_class,) = _one(
        conn,
        "SELECT c.id FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE a.login = 'class_teacher' ORDER BY c.id LIMIT 1",
    )
    (school,) = _one(
        conn,
        "SELECT r.school_id FROM school_role r JOIN account a ON a.person_id = r.person_id "
        "WHERE a.login = 'head' AND r.role = 'head' ORDER BY r.school_id LIMIT 1",
    )
    (school_period,) = _one(
        conn,
        "SELECT id FROM period WHERE school_id = %(school)s AND %(today)s BETWEEN starts_on "
        "AND ends_on ORDER BY ends_on - starts_on, id LIMIT 1",
        school=school,
        today=today,
    )
    monday = today - timedelta(days=today.weekday() + 14)
    teachers = "grid, the teacher's group"
    return [
        _grid("grid", "class grade grid (largest)", group, subject, period, "admin"),
        _grid("grid_teacher_admin", teachers, t_group, t_subject, t_period, "admin"),
        _grid("grid_teacher", teachers + " as teacher", t_group, t_subject, t_period, "teacher"),
        _journal("journal", "class journal, 2 weeks", journal_class, monday, monday + DAYS_13),
        _diary("diary", "diary week", student, today - timedelta(days=7)),
        _overview("overview", "school overview", school, school_period),
    ]


DAYS_13 = timedelta(days=13)


def sweep(conn: psycopg.Connection[Any], today: date = TODAY) -> list[Case]:
    """More variables, for the equality check only (`--sweep`): a spread of grids over every
    period, classes' journals over other ranges, every period's overview, and diary weeks at
    the year's start, in the holidays, after «today» (timetable slots without lessons) and on
    every date with a timetable change (the `change` and substitute teachers)."""
    found: list[Case] = []
    grids = conn.execute(
        "SELECT DISTINCT l.group_id, l.subject_id, p.id FROM lesson l JOIN period p"
        " ON p.school_id = l.school_id AND l.held_on BETWEEN p.starts_on AND p.ends_on"
        " WHERE l.school_id = (SELECT min(id) FROM school) ORDER BY 1, 2, 3"
    ).fetchall()
    for group, subject, period in grids[:: max(1, len(grids) // 12)]:
        found.append(
            _grid("grid", f"grid {group}/{subject}/{period}", group, subject, period, "admin")
        )
    year_start, school = _one(
        conn, "SELECT starts_on, school_id FROM school_year ORDER BY school_id, starts_on LIMIT 1"
    )
    classes = [row[0] for row in conn.execute(
        "SELECT id FROM school_class WHERE school_id = %(school)s ORDER BY id", {"school": school}
    )]  # fmt: skip
    for school_class in classes[:: max(1, len(classes) // 3)]:
        for start in (year_start, today - timedelta(days=40), today - timedelta(days=5)):
            found.append(
                _journal(
                    "journal",
                    f"journal {school_class} {start}",
                    school_class,
                    start,
                    start + DAYS_13,
                )
            )
    for (period,) in conn.execute(
        "SELECT id FROM period WHERE school_id = %(school)s ORDER BY id", {"school": school}
    ):
        found.append(_overview("overview", f"overview {period}", school, period))
    students = [row[0] for row in conn.execute(
        "SELECT cs.student_id FROM class_student cs"
        " JOIN school_class c ON c.id = cs.school_class_id"
        " WHERE c.school_id = %(school)s ORDER BY cs.id", {"school": school}
    )]  # fmt: skip
    for student in students[:: max(1, len(students) // 4)]:
        for week in (year_start, today - timedelta(days=31), today + timedelta(days=2)):
            found.append(_diary("diary", f"diary {student} {week}", student, week))
    changed = conn.execute(
        "SELECT DISTINCT ON (c.on_date) c.on_date, cs.student_id FROM timetable_change c"
        " JOIN study_group g ON g.id = c.group_id"
        " JOIN class_student cs ON cs.school_class_id = g.school_class_id"
        " WHERE c.school_id = %(school)s AND g.kind = 'whole_class'"
        " ORDER BY c.on_date, cs.student_id", {"school": school}
    ).fetchall()  # fmt: skip
    for on_date, student in changed[:20]:
        found.append(_diary("diary", f"diary {student} {on_date}", student, on_date))
    return found
