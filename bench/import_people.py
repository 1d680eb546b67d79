"""The people import's benchmark (issue 12): a 3,000-person school file — 1,650 students in
the demo school's 33 classes with their birth dates and consents, 1,250 parents linked to
them, 100 staff — checked (`peopleImportCheck`), imported (`peopleImport`) and imported
again (nothing entered twice), each through the GraphQL endpoint with the demo admin's token,
on PostgreSQL, in a database of the run's own that is dropped at the end.

    .venv/bin/python -m bench.import_people [--people 3000] [--format CSV|XLSX]
"""

import argparse
import asyncio
import base64
import os
import time
from datetime import date, timedelta

import httpx
import psycopg

from demo import DemoOptions, generate_demo
from model.db import make_engine
from resolvers.spreadsheet import workbook
from server.app import create_app
from server.migrate import upgrade
from server.settings import Settings

SERVER = "postgresql://postgres@127.0.0.1:5432"
HEADER = ["Код", "Фамилия", "Имя", "Отчество", "Пол", "Дата рождения", "Роль", "Класс", "Дети",
          "Родство", "Согласие дал", "Согласие", "Дата согласия"]  # fmt: skip
LETTERS = "АБВ"
REPORT = "rows created updated unchanged roles placements links consents "
REPORT += "problems { row column message }"


def rows(people: int) -> list[list[str]]:
    """Students (55 %), parents of one or two of them (42 %), staff (the rest)."""
    students, parents = people * 55 // 100, people * 42 // 100
    table = [HEADER]
    for n in range(students):
        parallel, letter = n % 11 + 1, LETTERS[n // 11 % 3]
        born = date(2020 - parallel, 1, 1) + timedelta(days=n % 360)
        day = born.strftime("%d.%m.%Y")
        table.append([f"У{n:05d}", f"Учеников{n}", "Иван", "Петрович", "м", day, "ученик",
                      f"{parallel}{letter}", "", "", f"Р{n % parents:05d}", f"Заявление № {n}",
                      "28.08.2026"])  # fmt: skip
    for n in range(parents):
        children = ", ".join(f"У{c:05d}" for c in range(n, students, parents))
        table.append([f"Р{n:05d}", f"Родителева{n}", "Анна", "Ивановна", "ж", "", "родитель",
                      "", children, "мать", "", "", ""])  # fmt: skip
    for n in range(people - students - parents):
        table.append([f"С{n:05d}", f"Сотрудникова{n}", "Ольга", "", "ж", "", "учитель", "", "",
                      "", "", "", ""])  # fmt: skip
    return table


def content(table: list[list[str]], file_format: str) -> str:
    if file_format == "CSV":
        return base64.b64encode(("\n".join(";".join(r) for r in table) + "\n").encode()).decode()
    return base64.b64encode(workbook(table)).decode()


async def measure(url: str, people: int, file_format: str) -> None:
    engine = make_engine(url)
    await generate_demo(engine, DemoOptions(schools=1, today=date(2026, 11, 28)))
    app = create_app(Settings(database_url=url, max_body_bytes=4_000_000), engine)
    file = content(rows(people), file_format)
    print(f"{people} people, {file_format}, {len(file) / 1e6:.2f} MB in base64")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=300
        ) as http:
            login = 'mutation { login(login: "admin", password: "demo") { token } }'
            token = (await http.post("/graphql", json={"query": login})).json()["data"]["login"][
                "token"
            ]
            school = "U2Nob29sOjE="
            for name, field in [("dry run", "peopleImportCheck"), ("import", "peopleImport"),
                                ("again", "peopleImport")]:  # fmt: skip
                document = (
                    f"mutation($i: PeopleImportInput!) {{ {field}(input: $i) {{ {REPORT} }} }}"
                )
                variables = {"i": {"schoolId": school, "format": file_format, "content": file}}
                started = time.perf_counter()
                reply = await http.post(
                    "/graphql",
                    json={"query": document, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"},
                )
                took = time.perf_counter() - started
                body = reply.json()
                if body.get("errors"):
                    raise SystemExit(f"{name}: {body['errors'][0]}")
                report = body["data"][field]
                problems = len(report.pop("problems"))
                print(f"  {name:<8} {took:6.2f} s  {report}  problems: {problems}")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3000, help="(default: 3000)")
    parser.add_argument("--format", choices=["CSV", "XLSX"], default="CSV", help="(default: CSV)")
    args = parser.parse_args()
    name = f"tabel_bench_import_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        upgrade(f"{SERVER}/{name}")
        asyncio.run(measure(f"{SERVER}/{name}", args.people, args.format))
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
