"""Reading a school's people file, without the database: encodings, separators, the columns'
Russian names, and every bad cell and duplicate reported by row and column."""

from datetime import date

import pytest

import model as m
from resolvers.errors import BadUserInput
from resolvers.people.people_file import read_people
from resolvers.spreadsheet import csv_rows, decoded, workbook, xlsx_rows

HEADER = "Код;Фамилия;Имя;Отчество;Пол;Дата рождения;Роль;Класс;Дети;Родство;Согласие дал;Согласие;Дата согласия"  # noqa: E501
ROWS = [
    "s1;Иванов;Пётр;Сергеевич;м;04.03.2015;ученик;5А;;;p1;Заявление № 1;01.09.2026",
    "p1;Иванова;Анна;Петровна;ж;;родитель;;s1;мать;;;",
    "t1;Сидорова;Елена;;ж;;учитель, родитель;;;;;;",
]


def _file(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _problems(text: str) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in read_people(csv_rows(text)).problems]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_file(*ROWS).encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + _file(*ROWS).encode(), "UTF-8"),
        (_file(*ROWS).encode("cp1251"), "Windows-1251"),
    ],
)
def test_a_file_is_read_in_the_encoding_it_was_saved_in(data: bytes, encoding: str) -> None:
    # given a file in UTF-8, UTF-8 with its BOM, or Windows-1251; when it is decoded
    text, found = decoded(data)
    people = read_people(csv_rows(text))
    # then its people read the same
    assert found == encoding
    assert people.problems == []
    assert [p.last_name for p in people.people] == ["Иванов", "Иванова", "Сидорова"]


def test_utf16_is_refused_with_what_to_save_it_as() -> None:
    with pytest.raises(BadUserInput, match="UTF-8 or Windows-1251"):
        decoded(_file(*ROWS).encode("utf-16"))


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_separators(separator: str) -> None:
    text = _file(*ROWS).replace(";", separator).replace("учитель, родитель", "учитель/родитель")
    assert [p.code for p in read_people(csv_rows(text)).people] == ["s1", "p1", "t1"]


def test_the_rows_become_people_with_their_roles_class_children_and_consent() -> None:
    people = {p.code: p for p in read_people(csv_rows(_file(*ROWS))).people}
    student, parent, teacher = people["s1"], people["p1"], people["t1"]
    assert (student.row, student.sex, student.birth_date) == (2, m.Sex.MALE, date(2015, 3, 4))
    assert student.roles == (m.Role.STUDENT,)
    assert student.school_class == (5, "А")
    assert student.consent is not None
    assert student.consent.given_by == "p1"
    assert student.consent.given_on == date(2026, 9, 1)
    assert parent.children == ("s1",)
    assert parent.kinship is m.Kinship.MOTHER
    assert teacher.roles == (m.Role.TEACHER, m.Role.PARENT)
    assert teacher.middle_name is None


def test_english_column_names_in_any_order() -> None:
    text = "role,first name,last name,code\nteacher,Olga,Petrova,x9\n"
    [person] = read_people(csv_rows(text)).people
    assert (person.code, person.last_name, person.roles) == ("x9", "Petrova", (m.Role.TEACHER,))


def test_a_missing_column_is_named() -> None:
    assert _problems(_file(*ROWS, header=HEADER.replace("Фамилия", "Ф"))) == [(1, "фамилия")]


def test_every_bad_cell_is_reported_by_row_and_column() -> None:
    text = _file(
        ";Петров;Иван;;x;31.02.2015;ученик;5Ъ1;;;;;",
        "a2;;Иван;;м;;директор;;;;;;",
        "a3;Орлов;Илья;;м;;ученик;;;;;;",
        "a4;Орлова;Яна;;ж;;родитель;;a3, zz;тётя;;;",
        "a5;Лисин;Лев;;м;01.01.2015;ученик;;;;;;",
    )
    assert _problems(text) == [
        (2, "код"), (2, "пол"), (2, "дата рождения"), (2, "класс"),
        (3, "фамилия"), (3, "роль"),
        (5, "родство"),
        (6, "дата рождения"),
    ]  # fmt: skip


def test_a_child_code_not_in_the_file_is_reported() -> None:
    assert _problems(
        _file("a3;Орлов;Илья;;м;;ученик;;;;;;", "a4;Орлова;Яна;;ж;;родитель;;a3, zz;мать;;;")
    ) == [(3, "дети")]


def test_duplicates_by_code_name_and_birth_date_or_document() -> None:
    header = HEADER + ";Документ"
    consent = ";Заявление;01.09.2026"
    text = _file(
        f"a1;Орлов;Илья;;м;01.01.2015;ученик;;;;{consent};II-АБ 123",
        f"a1;Орлов;Лев;;м;;ученик;;;;{consent};",
        f"a3;орлов;илья;;м;01.01.2015;ученик;;;;{consent};",
        f"a4;Орлова;Яна;;ж;;ученик;;;;{consent};II-АБ 123",
        header=header,
    )
    assert _problems(text) == [(3, "код"), (4, "фамилия"), (5, "документ")]


def test_a_workbook_reads_as_its_csv_does_dates_included() -> None:
    data = workbook(
        [
            ["Код", "Фамилия", "Имя", "Роль", "Дата рождения", "Согласие", "Дата согласия"],
            [101, "Иванов", "Пётр", "ученик", date(2015, 3, 4), "Заявление", date(2026, 9, 1)],
        ]
    )
    [person] = read_people(xlsx_rows(data, limit=10, what="a list of people")).people
    assert (person.code, person.birth_date) == ("101", date(2015, 3, 4))


def test_a_broken_workbook_is_refused() -> None:
    data = workbook([["Код"]])
    with pytest.raises(BadUserInput, match="not an Excel workbook"):
        xlsx_rows(data[: len(data) // 2], limit=10, what="a list of people")
