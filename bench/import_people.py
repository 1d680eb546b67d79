"""The people import's benchmark (issue 12): a school's file — for 3,000 people 1,650
students in the demo school's 33 classes with their birth dates and consents, 1,250 parents
linked to them, 100 staff — checked, imported and imported again (nothing entered twice),
each through the GraphQL endpoint with the demo admin's token, on PostgreSQL, in a database
of the run's own (one a size) that is dropped at the end. Files the synchronous mutations
take (`peopleImportCheck`, `peopleImport`: up to 2,000 people) are sent to them; every file
is also sent as a job (`peopleImportStart`, polled with `peopleImportJob` until it ends), and
the seconds each phase took (read, validate, write, and the write phase's six bulk steps:
people, roles, families, classes, consents, the audit trail) are printed from the job's row.

    .venv/bin/python -m bench.import_people [--people 3000 5000] [--format CSV|XLSX]
"""

import argparse
import asyncio
import base64
import os
import time
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from demo import DemoOptions, generate_demo
from model.db import make_engine
from resolvers.spreadsheet import workbook
from schema.people.people_import import SYNC_PEOPLE
from server.app import create_app
from server.migrate import upgrade
from server.settings import Settings

SERVER = "postgresql://postgres@127.0.0.1:5432"
HEADER = ["Код", "Фамилия", "Имя", "Отчество", "Пол", "Дата рождения", "Роль", "Класс", "Дети",
          "Родство", "Согласие дал", "Согласие", "Дата согласия"]  # fmt: skip
LETTERS = "АБВ"
REPORT = "rows created updated unchanged roles placements links consents "
REPORT += "problems { row column message }"
START = "mutation($i: PeopleImportStartInput!) { peopleImportStart(input: $i) { id } }"
JOB = f"query($id: ID!) {{ peopleImportJob(id: $id) {{ status message report {{ {REPORT} }} }} }}"


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
    app = create_app(Settings(database_url=url), engine)
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
            bench = Bench(http, token, engine)
            school = "U2Nob29sOjE="
            if people <= SYNC_PEOPLE:
                for name, field in [("dry run", "peopleImportCheck"), ("import", "peopleImport"),
                                    ("again", "peopleImport")]:  # fmt: skip
                    await bench.sync(name, field, school, file_format, file)
            else:
                print(f"  (more than {SYNC_PEOPLE}: the synchronous mutations refuse it)")
            for name, commit in [("job, dry", False), ("job", True), ("job again", True)]:
                await bench.job(name, school, file, commit=commit)
    await engine.dispose()


class Bench:
    def __init__(self, http: httpx.AsyncClient, token: str, engine: AsyncEngine) -> None:
        self.http, self.engine = http, engine
        self.headers = {"Authorization": f"Bearer {token}"}

    async def ask(self, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        reply = await self.http.post(
            "/graphql", json={"query": document, "variables": variables}, headers=self.headers
        )
        body: dict[str, Any] = reply.json()
        if body.get("errors"):
            raise SystemExit(f"{body['errors'][0]}")
        return body

    async def sync(self, name: str, field: str, school: str, file_format: str, file: str) -> None:
        document = f"mutation($i: PeopleImportInput!) {{ {field}(input: $i) {{ {REPORT} }} }}"
        variables = {"i": {"schoolId": school, "format": file_format, "content": file}}
        started = time.perf_counter()
        report = (await self.ask(document, variables))["data"][field]
        took = time.perf_counter() - started
        problems = len(report.pop("problems"))
        print(f"  {name:<10} {took:6.2f} s  {report}  problems: {problems}")

    async def job(self, name: str, school: str, file: str, *, commit: bool) -> None:
        variables = {"i": {"schoolId": school, "fileName": "people.csv", "content": file,
                           "commit": commit}}  # fmt: skip
        started = time.perf_counter()
        job_id = (await self.ask(START, variables))["data"]["peopleImportStart"]["id"]
        answered = time.perf_counter() - started
        while True:
            now = (await self.ask(JOB, {"id": job_id}))["data"]["peopleImportJob"]
            if now["status"] in {"SUCCEEDED", "FAILED"}:
                break
            await asyncio.sleep(0.05)
        took = time.perf_counter() - started
        if now["status"] == "FAILED":
            raise SystemExit(f"{name}: {now['message']}")
        report = now["report"]
        problems = len(report.pop("problems"))
        async with self.engine.connect() as connection:
            row = await connection.scalar(
                select(m.ImportJob.report).order_by(m.ImportJob.id.desc()).limit(1)
            )
        seconds = (row or {}).get("seconds", {})
        steps = " ".join(f"{s:.2f}" for s in seconds.get("writeSteps", []))
        print(f"  {name:<10} {took:6.2f} s (answered in {answered * 1000:.0f} ms)  {report}  "
              f"problems: {problems}")  # fmt: skip
        print(f"  {'':<10} read {seconds.get('read', 0):.2f} s, validate "
              f"{seconds.get('validate', 0):.2f} s, write {seconds.get('write', 0):.2f} s "
              f"(steps: {steps})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people", type=int, nargs="+", default=[3000, 5000], help="(default: 3000 5000)"
    )
    parser.add_argument("--format", choices=["CSV", "XLSX"], default="CSV", help="(default: CSV)")
    args = parser.parse_args()
    for people in args.people:
        name = f"tabel_bench_import_{os.getpid()}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            upgrade(f"{SERVER}/{name}")
            asyncio.run(measure(f"{SERVER}/{name}", people, args.format))
        finally:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
