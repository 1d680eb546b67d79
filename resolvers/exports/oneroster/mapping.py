"""tabel's concepts as OneRoster 1.2 rows (docs/oneroster.md has the table): each function
returns one row as the cells of its file's header, in `columns.HEADERS` order.

Bulk files leave `status` and `dateLastModified` empty: the binding forbids both in bulk mode
("This MUST NOT be used for the Bulk mode"), an importer treating the set as the whole truth.
Dates are the school's days; an academic session's and an enrollment's `endDate` is exclusive
in 1.2, so it is the day after tabel's last day.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import model as m
from resolvers.exports.oneroster import ids
from resolvers.exports.oneroster.people import Person
from resolvers.exports.oneroster.reads import Frame, Scale, TaughtClass
from resolvers.screens.attestation import SPECIAL

Row = list[str]
BULK = ("", "")  # status, dateLastModified
FINAL_TITLE = "Итоговая отметка"

# tabel's roles as OneRoster's (roles.csv); a role of a plugin's policies is an `ext:` term.
ROLE = {
    m.Role.STUDENT.value: "student",
    m.Role.TEACHER.value: "teacher",
    m.Role.PARENT.value: "parent",
    m.Role.ADMIN.value: "siteAdministrator",
    m.Role.HEAD.value: "principal",
    m.Role.DEPUTY.value: "ext:deputyPrincipal",
    m.Role.PSYCHOLOGIST.value: "counselor",
}
# Which of a person's roles is primary (roleType): the first of theirs in this order.
PRECEDENCE = list(ROLE)


def text(value: str | None) -> str:
    """A cell: the binding permits no line breaks inside a field."""
    return "" if value is None else " ".join(value.split())


def listed(values: Iterable[str]) -> str:
    """A "List of …" cell: its items joined by commas (the CSV writer quotes it)."""
    return ",".join(values)


def grade_level(parallel: int) -> str:
    return f"{parallel:02d}"


def number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def day(value: date) -> str:
    return value.isoformat()


def after(value: date) -> str:
    """An exclusive end: the day after the last one."""
    return (value + timedelta(days=1)).isoformat()


def orgs(frame: Frame) -> list[Row]:
    rows: list[Row] = []
    if frame.region is not None:
        rows.append([ids.sourced("Region", frame.region.id), *BULK, text(frame.region.name),
                     "state", "", ""])  # fmt: skip
    if frame.municipality is not None:
        parent = "" if frame.region is None else ids.sourced("Region", frame.region.id)
        rows.append([ids.sourced("Municipality", frame.municipality.id), *BULK,
                     text(frame.municipality.name), "district", "", parent])  # fmt: skip
    municipality = frame.municipality
    parent = "" if municipality is None else ids.sourced("Municipality", municipality.id)
    school = frame.school
    rows.append([ids.school(school.id), *BULK, text(school.name), "school",
                 text(school.short_name), parent])  # fmt: skip
    return rows


def academic_sessions(frame: Frame) -> list[Row]:
    rows: list[Row] = []
    for year in frame.years:
        rows.append([ids.school_year(year.id), *BULK, text(year.name), "schoolYear",
                     day(year.starts_on), after(year.ends_on), "",
                     str(year.ends_on.year)])  # fmt: skip
        for period in frame.periods:
            if period.school_year_id == year.id:
                rows.append([ids.period(period.id), *BULK, text(period.name), "term",
                             day(period.starts_on), after(period.ends_on),
                             ids.school_year(year.id), str(year.ends_on.year)])  # fmt: skip
    return rows


def course(school_id: int, taught: TaughtClass) -> Row:
    c, subject = taught.school_class, taught.subject
    return [ids.course(c.school_year_id, subject.id, c.parallel), *BULK,
            ids.school_year(c.school_year_id), text(f"{subject.name}, {c.parallel} класс"),
            text(f"{subject.short_name}-{c.parallel}"), grade_level(c.parallel),
            ids.school(school_id), text(subject.name).replace(",", ""), ""]  # fmt: skip


def class_terms(frame: Frame, taught: TaughtClass) -> list[str]:
    """The reporting periods the class is graded in; its school year if it has none."""
    c = taught.school_class
    terms = [ids.period(p.id) for p in frame.periods
             if p.school_year_id == c.school_year_id and p.kind is c.period_kind]  # fmt: skip
    return terms or [ids.school_year(c.school_year_id)]


def class_title(taught: TaughtClass) -> str:
    c, group = taught.school_class, taught.group
    name = f"{c.parallel}{c.letter} {taught.subject.name}"
    return name if group.kind is m.GroupKind.WHOLE_CLASS else f"{name} ({group.name})"


def school_class(frame: Frame, taught: TaughtClass) -> Row:
    c, group = taught.school_class, taught.group
    code = f"{c.parallel}{c.letter}"
    if group.kind is m.GroupKind.SUBGROUP:
        code = f"{code}/{group.name}"
    return [ids.school_class(*taught.key), *BULK, text(class_title(taught)),
            grade_level(c.parallel), ids.course(c.school_year_id, taught.subject.id, c.parallel),
            text(code), "scheduled", "", ids.school(frame.school.id),
            listed(class_terms(frame, taught)), text(taught.subject.name).replace(",", ""),
            "", ""]  # fmt: skip


def user(school_id: int, person: Person, agents: Sequence[int], grades: Sequence[int]) -> Row:
    """A person; their e-mail and phone only where the caller reads their personal data
    (R-PD-1), the login only where the caller reads their account (else the sourcedId, as
    `username` is required)."""
    p = person.row
    sourced_id = ids.person(p.id)
    email = text(p.email) if person.personal else ""
    phone = text(p.phone) if person.personal else ""
    return [sourced_id, *BULK, "true" if person.active else "false",
            person.login or sourced_id, "{tabel:" + ids.api_id("Person", p.id) + "}",
            text(p.first_name), text(p.last_name), text(p.middle_name), "", email, "", phone,
            listed(ids.person(a) for a in sorted(agents)),
            listed(grade_level(g) for g in sorted(grades)), "", "", "", "", "", "",
            ids.school(school_id), ""]  # fmt: skip


def role(school_id: int, person_id: int, tabel_role: str, oneroster_role: str,
         primary: bool) -> Row:  # fmt: skip
    return [ids.joined(ids.person(person_id), ids.school(school_id), qualifier=tabel_role),
            *BULK, ids.person(person_id), "primary" if primary else "secondary",
            oneroster_role, "", "", ids.school(school_id), ""]  # fmt: skip


def enrollment(school_id: int, taught: TaughtClass, person_id: int, who: str, primary: str,
               begins: date | None, ends: date | None) -> Row:  # fmt: skip
    class_id = ids.school_class(*taught.key)
    return [ids.joined(class_id, ids.person(person_id), qualifier=who), *BULK, class_id,
            ids.school(school_id), ids.person(person_id), who, primary,
            "" if begins is None else day(begins), "" if ends is None else after(ends)]  # fmt: skip


def category(work_type: m.WorkType) -> Row:
    """A work type; its weight, which tabel gives each grade of the type in the weighted
    average, as a percentage of the weight 1 (1 → 100, 1.5 → 150): OneRoster's weight is an
    integer percent."""
    weight = str(int((work_type.weight * 100).to_integral_value()))
    return [ids.work_type(work_type.id), *BULK, text(work_type.name), weight]


def final_category(school_id: int) -> Row:
    return [ids.final_category(school_id), *BULK, FINAL_TITLE, ""]


def value_range(scale: Scale | None) -> tuple[str, str]:
    values = [v for _, v in scale.marks if v is not None] if scale is not None else []
    return ("", "") if not values else (number(min(values)), number(max(values)))


def scale_values(scale: Scale, final: bool) -> str:
    """`{mark:value}` per mark in the scale's order (a mark without a value maps to itself),
    and for final grades the special values too."""
    pairs = [(mark, mark if value is None else number(value)) for mark, value in scale.marks]
    if final:
        pairs += [(word, word) for word in SPECIAL.values()]
    return listed("{" + _clean(lhs) + ":" + _clean(rhs) + "}" for lhs, rhs in pairs)


def _clean(value: str) -> str:
    return "".join(ch for ch in value if ch not in ',:{}"')


def score_scale(school_id: int, taught: TaughtClass, scale: Scale, final: bool) -> Row:
    c = taught.school_class
    title = scale.scale.name + (" (итоговые отметки)" if final else "")
    kind = "points" if any(v is not None for _, v in scale.marks) else "text"
    return [ids.score_scale(*taught.key, scale.scale.id, final), *BULK, text(title), kind,
            ids.school(school_id), ids.course(c.school_year_id, taught.subject.id, c.parallel),
            ids.school_class(*taught.key), scale_values(scale, final)]  # fmt: skip


def scored_on(created: datetime, updated: datetime | None, zone: ZoneInfo) -> str:
    return (updated or created).astimezone(zone).date().isoformat()


def score(mark: str | None, scale: Scale | None) -> str:
    value = None if mark is None or scale is None else scale.values.get(mark)
    return "" if value is None else number(value)


def final_text(mark: str | None, special: m.FinalGradeSpecial | None) -> tuple[str, str]:
    """(scoreStatus, textScore) of a final grade."""
    if special is None:
        return "fully graded", mark or ""
    status = "exempt" if special is m.FinalGradeSpecial.EXEMPT else "fully graded"
    return status, SPECIAL[special]
