"""GraphiQL in a real headless Chromium against `tabel serve --demo` (issue 10): the editor
renders, a demo role signs in, an example opens and runs and its answer shows, and no request
leaves the server. The screenshot is kept as var/graphiql.png (CI's artifact).

Chromium is Debian's (`apt-get install -y chromium`; .ci/run installs it), driven by
playwright's Python package. In CI a missing Chromium fails the test; elsewhere it is skipped."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.served import ROOT, Served, free_port

CHROMIUM = Path(os.environ.get("TABEL_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SCREENSHOT = ROOT / "var" / "graphiql.png"
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
# A small demo school, as the tests' `demo_school`; its journal filled up to this day.
DEMO = (
    "--seed=7", "--parallels=3", "--classes-per-parallel=2", "--students-per-class=10",
    "--teachers=14", "--today=2026-11-20",
)  # fmt: skip


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in requirements.lock: ./tabel --help)"
    return None


@pytest.fixture(scope="module")
def browser_ready() -> None:
    problem = _unavailable()
    if problem is not None:
        if REQUIRED:
            pytest.fail(f"{problem}; CI requires it", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def demo_server(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    # Its own SQLite file, never var/demo.sqlite3; the first start generates the school.
    folder = tmp_path_factory.mktemp("graphiql")
    port = free_port()
    environment = {**os.environ, "TABEL_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}"}
    command = [sys.executable, "-m", "server.cli", "serve", "--demo", "--port", str(port), *DEMO]
    log = folder / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
    served = Served(process, port, log)
    try:
        _wait_until_healthy(served, within=180)
        yield served
    finally:
        if process.poll() is None:
            served.stop()


def _wait_until_healthy(served: Served, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"tabel serve --demo exited:\n{served.log_text()}", pytrace=False)
        try:
            if b" 200 " in served.request(HEALTHZ):
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"tabel serve --demo did not start:\n{served.log_text()}", pytrace=False)


async def test_graphiql_signs_in_a_demo_role_and_runs_an_example_offline(
    demo_server: Served,
) -> None:
    from playwright.async_api import Request, async_playwright, expect

    expect.set_options(timeout=30_000)  # a loaded CI machine: each step waits up to 30 s
    origin = f"http://127.0.0.1:{demo_server.port}/"
    requests: list[Request] = []
    problems: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = await browser.new_page(viewport={"width": 1400, "height": 860})
            page.on("request", lambda request: requests.append(request))
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            # given the demo's GraphiQL, opened as a person would
            await page.goto(origin + "graphql")
            # then the editor renders, on the welcome tab
            await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
            await expect(page.locator(".graphiql-query-editor")).to_contain_text("query Me")
            # when the teacher's demo role is picked
            await page.select_option("#tabel-demo-role", "teacher")
            # then the bar says who signed in
            await expect(page.locator("#tabel-signed-in")).to_be_visible()
            await expect(page.locator("#tabel-roles")).to_have_text("login teacher · teacher")
            # when the teacher opens the grade grid example and runs it as it is
            await page.select_option("#tabel-examples", label="The grade grid of a group I teach")
            await expect(page.locator(".graphiql-tab-active")).to_contain_text("GradeGrid")
            await expect(page.locator(".graphiql-editor-tool")).to_contain_text('"group"')
            await page.click(".graphiql-execute-button")
            # then its answer shows the group's students, without errors
            answer = page.locator(".graphiql-response")
            await expect(answer).to_contain_text('"gradeGrid"')
            await expect(answer).to_contain_text('"shortName"')
            await expect(answer).not_to_contain_text('"errors"')
            SCREENSHOT.parent.mkdir(exist_ok=True)
            await page.screenshot(path=str(SCREENSHOT))
            # when the explorer is opened, then it lists the schema's root fields
            await page.click("button[aria-label='Show GraphiQL Explorer']")
            await expect(page.locator(".graphiql-explorer-root")).to_contain_text("gradeGrid")
            # when the teacher signs out, then the bar offers the sign-in again
            await page.click("#tabel-sign-out")
            await expect(page.locator("#tabel-signed-out")).to_be_visible()
            await expect(page.locator("#tabel-status")).to_have_text("Signed out.")
        finally:
            await browser.close()

    # and every request the page made went to the tabel server, none elsewhere
    assert requests
    elsewhere = [r.url for r in requests if not r.url.startswith((origin, "data:"))]
    assert elsewhere == []
    # and after the sign-in, the page's requests carried the teacher's token
    posts = [r for r in requests if r.method == "POST"]
    signed = [r for r in posts if r.headers.get("authorization", "").startswith("Bearer tbl_")]
    assert len(signed) >= 2  # the example's lookup and the example itself
    # and nothing was refused or broke: no script error, no blocked load (CSP), no failed file
    assert problems == []
