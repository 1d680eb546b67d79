"""Finding people by name (issue 10): the words of a full name in any order, each the start or a
part of the surname, the name or the patronymic, whatever the case, «ё» and «е» alike."""

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build

SEARCH = """query($q: String!) {
  people(filter: {search: $q, role: "student"}, first: 50) { totalCount nodes { fullName } } }"""

STUDENTS = [
    ("Алексеева", "Ирина", "Петровна"),
    ("Алексеева", "Мария", "Ивановна"),
    ("Алексеев", "Иван", "Сергеевич"),
    ("Фёдорова", "Ирина", "Алексеевна"),
    ("Федоров", "Пётр", None),
    ("Иринина", "Анна", "Олеговна"),
    ("Ёлкина", "Алёна", "Юрьевна"),
]


async def _school(engine: AsyncEngine) -> None:
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Директорова", m.Role.HEAD), "head")
        for last, first, middle in STUDENTS:
            person = await f.add(
                m.Person(
                    region_id=setup.region_id,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                )
            )
            await f.add(
                m.SchoolRole(person_id=person.id, school_id=setup.school.id, role=m.Role.STUDENT)
            )

    await build(engine, recipe)


FOUND = [
    # a surname and a name, either way round, with the patronymic or without
    ("Алексеева Ирина", ["Алексеева Ирина Петровна"]),
    ("Ирина Алексеева", ["Алексеева Ирина Петровна"]),
    ("ирина петровна АЛЕКСЕЕВА", ["Алексеева Ирина Петровна"]),
    ("  Алексеева   Ирина  ", ["Алексеева Ирина Петровна"]),
    # starts and parts of words: «алекс» is in a surname and in a patronymic
    ("Алекс Ир", ["Алексеева Ирина Петровна", "Фёдорова Ирина Алексеевна"]),
    ("алексеев", ["Алексеев Иван Сергеевич", "Алексеева Ирина Петровна",
                  "Алексеева Мария Ивановна", "Фёдорова Ирина Алексеевна"]),
    # «ё» and «е» alike, both ways
    ("Федорова", ["Фёдорова Ирина Алексеевна"]),
    ("фёдоров", ["Федоров Пётр", "Фёдорова Ирина Алексеевна"]),
    ("Федоров Петр", ["Федоров Пётр"]),
    ("ЕЛКИНА АЛЕНА", ["Ёлкина Алёна Юрьевна"]),
    # every word must be found: others are not
    ("Алексеева Анна", []),
    ("Ирина Сергеевич", []),
    ("Алексеева%", []),
    ("_", []),
]  # fmt: skip


@pytest.mark.parametrize(("search", "expected"), FOUND)
async def test_people_are_found_by_the_words_of_their_full_name(
    engine: AsyncEngine, api: GraphQLClient, search: str, expected: list[str]
) -> None:
    # given a school's students, some with alike names
    await _school(engine)
    token = await api.login("head", PASSWORD)
    # when the head searches
    found = (await api(SEARCH, {"q": search}, token=token)).data["people"]
    # then exactly those whose names hold every word are found
    assert sorted(n["fullName"] for n in found["nodes"]) == sorted(expected)
    assert found["totalCount"] == len(expected)


async def test_a_search_of_more_words_than_a_name_has_is_refused(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given the head of a school
    await _school(engine)
    token = await api.login("head", PASSWORD)
    # when they search by six words, then it runs; by seven, it is refused before it runs
    six = "Алексеева-Петрова Ирина-Мария Петровна а б в"
    assert (await api(SEARCH, {"q": six}, token=token)).data["people"]["totalCount"] == 0
    refused = await api(SEARCH, {"q": six + " г"}, token=token)
    assert refused.error_code == "BAD_USER_INPUT"
    assert refused.body["errors"][0]["extensions"]["field"] == "search"
