"""GraphiQL for the demo and development, served by tabel itself: every script and style comes
from `server/static` (no request leaves the server), with a sign-in bar and example documents
per role (`server/graphiql_examples.py`)."""

import asyncio
import gzip
import hashlib
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

import model as m
from demo.accounts import DEMO_PASSWORD, DEMO_ROLES
from server.graphiql_examples import EXAMPLES, SIGN_IN, WELCOME, WELCOME_DEMO, WHO

STATIC = Path(__file__).parent / "static"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
# The page loads only what it is served from here; fonts and icons are inlined as data: URLs.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
IMMUTABLE = "public, max-age=31536000, immutable"  # each URL names its content's digest


@dataclass(frozen=True)
class Asset:
    path: str  # under server/static
    media_type: str
    # Upstream's published Subresource Integrity hash (server/static/vendor/README.md): the
    # browser refuses a file that is not the published build. Our own files have none.
    integrity: str | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name


STYLES = (
    Asset(
        "vendor/graphiql.min.css",
        CSS,
        "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    ),
    Asset(
        "vendor/plugin-explorer.css",
        CSS,
        "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
    ),
    Asset("tabel-graphiql.css", CSS),
)
SCRIPTS = (
    Asset(
        "vendor/react.production.min.js",
        JS,
        "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    ),
    Asset(
        "vendor/react-dom.production.min.js",
        JS,
        "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    ),
    Asset(
        "vendor/graphiql.min.js",
        JS,
        "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    ),
    Asset(
        "vendor/plugin-explorer.umd.js",
        JS,
        "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
    ),
    Asset("tabel-graphiql.js", JS),
)
ASSETS = {asset.name: asset for asset in (*STYLES, *SCRIPTS)}


@dataclass(frozen=True)
class Content:
    body: bytes
    gzipped: bytes
    digest: str


@cache
def content(asset: Asset) -> Content:
    body = (STATIC / asset.path).read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:16]
    return Content(body, gzip.compress(body, compresslevel=6, mtime=0), digest)


def url(asset: Asset) -> str:
    return f"/graphiql/{content(asset).digest}/{asset.name}"


async def asset_response(request: Request) -> Response:
    """One of the page's files, cached for a year: its URL changes with its content."""
    asset = ASSETS.get(request.path_params["name"])
    if asset is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    served = await asyncio.to_thread(content, asset)  # read and compressed once per process
    if request.path_params["digest"] != served.digest:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(served.gzipped, media_type=asset.media_type, headers=headers)
    return Response(served.body, media_type=asset.media_type, headers=headers)


async def demo_roles(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """The demo roles whose published sign-ins work here: none on a real school's database."""
    query = select(m.Account.login).where(
        m.Account.is_demo, m.Account.is_active, m.Account.login.in_(DEMO_ROLES)
    )
    async with sessions() as session:
        found = set((await session.scalars(query)).all())
    return [role for role in DEMO_ROLES if role in found]


def _tag(asset: Asset) -> str:
    integrity = f' integrity="{asset.integrity}"' if asset.integrity else ""
    if asset.media_type == CSS:
        return f'<link rel="stylesheet" href="{url(asset)}"{integrity}>'
    return f'<script src="{url(asset)}"{integrity}></script>'


def _config(roles: Sequence[str]) -> str:
    config = {
        "endpoint": "/graphql",
        "signIn": SIGN_IN,
        "who": WHO,
        "welcome": WELCOME_DEMO if roles else WELCOME,
        "demoPassword": DEMO_PASSWORD if roles else None,
        "examples": [example.as_json() for example in EXAMPLES],
    }
    # Inside <script>: no "</script>" nor "<!--" may appear, so every "<" is escaped.
    return json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")


def _demo_picker(roles: Sequence[str]) -> str:
    if not roles:
        return ""
    options = "".join(f'<option value="{html.escape(r)}">{html.escape(r)}</option>' for r in roles)
    return (
        '<select id="tabel-demo-role" aria-label="Sign in as a demo role">'
        f'<option value="">Demo role…</option>{options}</select> or '
    )


def page(roles: Sequence[str]) -> str:
    styles = "\n".join(_tag(asset) for asset in STYLES)
    scripts = "\n".join(_tag(asset) for asset in SCRIPTS)
    return PAGE.format(
        styles=styles, scripts=scripts, demo=_demo_picker(roles), config=_config(roles)
    )


async def page_response(sessions: async_sessionmaker[AsyncSession]) -> HTMLResponse:
    roles = await demo_roles(sessions)
    # Off the event loop: the first page of a process reads and compresses its files (4 MB).
    text = await asyncio.to_thread(page, roles)
    return HTMLResponse(text, headers={"Content-Security-Policy": PAGE_POLICY})


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tabel · GraphiQL</title>
<link rel="icon" href="data:,">
{styles}
</head>
<body>
<header class="tabel-bar">
  <span class="tabel-brand">tabel</span>
  <span id="tabel-signed-out">
    <form id="tabel-sign-in">
      {demo}<input id="tabel-login" placeholder="login" autocomplete="username" required>
      <input id="tabel-password" type="password" placeholder="password"
        autocomplete="current-password" required>
      <button type="submit">Sign in</button>
    </form>
  </span>
  <span id="tabel-signed-in" hidden>
    Signed in as <b id="tabel-who"></b> <span id="tabel-roles"></span>
    <button id="tabel-sign-out" type="button">Sign out</button>
  </span>
  <select id="tabel-examples" aria-label="Open an example in a new tab"></select>
  <span id="tabel-status" role="status"></span>
</header>
<main id="graphiql">Loading…</main>
<script id="tabel-config" type="application/json">{config}</script>
{scripts}
</body>
</html>
"""
