"""GraphiQL's page in the demo (issue 10): every file it loads is served by tabel itself, as the
published build, cached; the demo roles are offered only where demo sign-ins work."""

import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from demo.credentials import revoke_demo_credentials
from server.app import create_app
from server.graphiql import ASSETS, url
from server.settings import Settings
from tests.factories import head_of_school

HTML = {"Accept": "text/html"}
LINKED = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"([^>]*)>')


@asynccontextmanager
async def _browser(
    engine: AsyncEngine, *, development: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url="sqlite://", development=development), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield http


def _config(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="tabel-config" type="application/json">(.*?)</script>', page)
    assert found, page
    config: dict[str, Any] = json.loads(found[1])
    return config


async def test_every_file_the_page_loads_is_tabels_own_published_and_cached(
    engine: AsyncEngine,
) -> None:
    # given the demo's GraphiQL page
    async with _browser(engine) as http:
        page = await http.get("/graphql", headers=HTML)
        assert page.status_code == 200
        linked = LINKED.findall(page.text)
        # then it links its scripts and styles on this server only
        assert len(linked) == len(ASSETS) + 1  # and the icon, inlined
        for address, attributes in linked:
            if address.startswith("data:"):
                continue
            assert address.startswith("/graphiql/"), address
            # and each is served, compressed, cached for a year under a URL naming its content
            served = await http.get(address, headers={"Accept-Encoding": "gzip"})
            assert served.status_code == 200, address
            assert served.headers["content-encoding"] == "gzip"
            assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert served.headers["content-type"].startswith(("text/javascript", "text/css"))
            # and the vendored builds are byte for byte those whose hashes upstream publishes
            integrity = re.search(r'integrity="sha384-([^"]+)"', attributes)
            if integrity:
                digest = base64.b64encode(hashlib.sha384(served.content).digest()).decode()
                assert digest == integrity[1], address
        assert sum('integrity="' in attributes for _, attributes in linked) == 6
        # and nothing else under /graphiql/ is served
        first = next(iter(ASSETS.values()))
        assert (await http.get(url(first).replace(first.name, "README.md"))).status_code == 404
        stale = "/graphiql/0000000000000000/" + first.name
        assert (await http.get(stale)).status_code == 404


async def test_production_serves_neither_the_page_nor_its_files(engine: AsyncEngine) -> None:
    # given production settings
    async with _browser(engine, development=False) as http:
        # when a browser asks for the page and one of its files, then neither is there
        page = await http.get("/graphql", headers=HTML)
        assert "tabel-config" not in page.text
        assert (await http.get(url(ASSETS["graphiql.min.js"]))).status_code == 404


async def test_demo_roles_are_offered_only_while_demo_sign_ins_work(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    # given the demo school: its demo accounts sign in with the published password
    async with _browser(engine) as http:
        page = (await http.get("/graphql", headers=HTML)).text
    # then the page offers each demo role, and the password it signs them in with
    roles = re.findall(r'<option value="([a-z_]+)">', page)
    assert roles == list(demo_school)
    assert _config(page)["demoPassword"] == "demo"
    # when the demo sign-ins are revoked (as before serving real schools)
    await revoke_demo_credentials(engine)
    async with _browser(engine) as http:
        page = (await http.get("/graphql", headers=HTML)).text
    # then no demo role is offered, only the sign-in with a login and password
    assert 'id="tabel-demo-role"' not in page
    assert 'id="tabel-login"' in page
    assert _config(page)["demoPassword"] is None


async def test_a_real_school_with_a_login_named_head_offers_no_demo_role(
    engine: AsyncEngine,
) -> None:
    # given a school whose head's login is «head», an account that is no demo's
    await head_of_school(engine)
    # when GraphiQL is served for it (development settings)
    async with _browser(engine) as http:
        page = (await http.get("/graphql", headers=HTML)).text
    # then it offers no demo role
    assert 'id="tabel-demo-role"' not in page
    assert "password: demo" not in _config(page)["welcome"]
