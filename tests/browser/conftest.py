"""Browser tests: the real app on a live server, driven by Playwright with Debian's Chromium.

Never lets Playwright download a browser: Chromium comes from /usr/bin/chromium (the
Makefile installs the Debian package when it is missing); axe-core comes from the npm
package (the Makefile puts axe.min.js in .cache/).
"""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from flask import request
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from wijkfonds import create_app
from wijkfonds.demo.load import DEMO_PASSWORD
from wijkfonds.extensions import db
from wijkfonds.models import Phase, Round, User

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WIJKFONDS_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / ".cache" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CONTEXT: dict[str, Any] = {"locale": "nl-NL", "viewport": {"width": 1200, "height": 900}}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No network but this machine: every other host name fails to resolve (guard_network below
    # also fails the test that tried).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
# Any URL with a scheme and a host other than 127.0.0.1 or localhost (data: and blob: have none).
NON_LOCAL = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:[/?#]|$))[a-z][a-z0-9+.-]*://")
# Map tiles come from the app's own tile route (the default MAP_TILE_URL), which fetches them
# from a tile server of these tests on 127.0.0.1 (MAP_TILE_UPSTREAM), never from the network.
TILE_ROUTE = "/kaart/tegels/"


def tile_png(size: int = 256) -> bytes:
    """A light grey PNG tile with a darker top and left edge (so a map of them shows a grid)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((200, 200, 200) if x == 0 or y == 0 else (236, 236, 236)) for x in range(size))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def guard_network(context: Any, blocked: list[str] | None = None) -> list[str]:
    """Refuse every request of ``context`` that would leave this machine, and list them (in ``blocked``)."""
    blocked = [] if blocked is None else blocked

    def refuse(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(NON_LOCAL, refuse)
    return blocked


def fail_on_blocked(blocked: list[str]) -> None:
    """Fail the test when its pages asked for anything beyond this machine."""
    if blocked:
        pytest.fail("requests beyond 127.0.0.1 (blocked): " + ", ".join(sorted(set(blocked))[:10]))


@contextmanager
def tile_upstream(tile: bytes) -> Iterator[tuple[str, list[str]]]:
    """A tile server on 127.0.0.1 that answers every tile with ``tile``: its URL template, the paths it was asked."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: Any) -> None:
            """No access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png", asked
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(WSGIRequestHandler):
    """Leaves out the access log line of every request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log."""


@contextmanager
def serve_demo(directory: Path) -> Iterator[dict]:
    """Run the app with demo data on 127.0.0.1:<free port> in a background thread, with its tile server."""
    with tile_upstream(tile_png()) as (upstream_url, upstream), _serve_demo(directory, upstream_url, upstream) as srv:
        yield srv


@contextmanager
def _serve_demo(directory: Path, upstream_url: str, upstream: list[str]) -> Iterator[dict]:
    from flask_migrate import upgrade

    from wijkfonds.demo.load import load_demo

    path = directory / "live.sqlite3"
    database, queue = f"sqlite:///{path}", f"sqlite:///{directory / 'queue.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "QUEUE_URL": queue,
            "SECRET_KEY": "browser-tests",
            # Staff close voting and compute at once in these walks: no grace before the commitment.
            "BALLOT_COMMIT_GRACE": 0,
            "AUDIT_KEY_FILE": str(directory / "audit-anchor-key.pem"),
            "MAIL_DIR": str(directory / "mail"),
            "UPLOAD_DIR": str(directory / "uploads"),
            "MAP_TILE_UPSTREAM": upstream_url,
            "MAP_TILE_CACHE_DIR": str(directory / "tiles"),
        }
    )
    tiles: list[str] = []  # the tiles browsers asked the app for

    @app.after_request
    def count_tiles(response: Any) -> Any:
        if request.path.startswith(TILE_ROUTE):
            tiles.append(request.path[len(TILE_ROUTE) :])
        return response

    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
    # The background worker, as `make demo` starts it beside the web server.
    env = {**os.environ, "WIJKFONDS_DATABASE_URL": database, "WIJKFONDS_QUEUE_URL": queue}
    with (directory / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "wijkfonds.tasks.worker"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "tiles": tiles, "upstream": upstream}
    finally:
        server.shutdown()
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=60)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The app with demo data on 127.0.0.1:<free port>, in a background thread."""
    with serve_demo(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test-browser` (installs the Debian package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh browser context (own cookies) and page."""
    context = browser.new_context(**CONTEXT)
    blocked = guard_network(context)
    p = context.new_page()
    yield p
    context.close()
    fail_on_blocked(blocked)


@pytest.fixture()
def new_page(browser) -> Iterator[Callable[..., Any]]:
    """Factory for more pages, each in its own context (own cookies); keyword arguments go to
    ``browser.new_context`` (e.g. ``java_script_enabled=False``). All are closed afterwards."""
    contexts: list[Any] = []
    blocked: list[str] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**{**CONTEXT, **options})
        guard_network(context, blocked)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    fail_on_blocked(blocked)


def login(page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait until the menu shows the account."""
    from playwright.sync_api import expect

    page.goto(base + "/account/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".nav-user")).to_be_visible()


def shot(page, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def scripts_run(page) -> bool:
    """Whether the page runs scripts: with scripting off, the HTML parser reads <noscript> as markup."""
    return not page.evaluate(
        "() => { const d = document.createElement('div'); d.innerHTML = '<noscript><i></i></noscript>';"
        " return d.querySelector('noscript i') !== null; }"
    )


def axe_violations(page, timeout_ms: int = 30_000) -> list[dict]:
    """Run axe-core on the current page; serious and critical violations only."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test-browser` (fetches the axe-core npm package)")
    # axe.run waits on timers, which never fire with JavaScript off: an awaited page.evaluate has
    # no timeout and would hang the test for good. Refuse such a page, and wait with a timeout.
    if not scripts_run(page):
        pytest.fail("axe-core needs JavaScript: run it on a page of a context with JavaScript on")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate(
        "() => { window.__axeRun = null; axe.run(document, {resultTypes: ['violations']})"
        ".then(r => { window.__axeRun = {result: r}; }, e => { window.__axeRun = {error: String(e)}; }); }"
    )
    page.wait_for_function("() => window.__axeRun !== null", timeout=timeout_ms)
    run = page.evaluate("() => window.__axeRun")
    if "error" in run:
        pytest.fail("axe-core failed: " + run["error"])
    result = run["result"]
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- for the modules that walk many pages on a live server of their own -----------------
# Such a module defines the module-scoped fixtures ``server`` (serve_demo) and ``ids`` (the
# ids its page paths need, with "sub" and "vote" the demo's submission and voting rounds).

T = TypeVar("T")


def in_app(server: dict, fn: Callable[[], T]) -> T:
    """fn() in an app context of the server, committed."""
    with server["app"].app_context():
        out = fn()
        db.session.commit()
        return out


def visit(page: Page, server: dict, path: str, ids: dict[str, Any], status: int = 200) -> None:
    """Open a path (with {placeholders} from ids) and check the response status."""
    response = page.goto(server["url"] + path.format(**ids))
    assert response is not None and response.status == status, (path, response and response.status)


def slug(text: str) -> str:
    """A file-name-friendly name for a path template."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "home"


@pytest.fixture(scope="module")
def review_phase(server, ids) -> dict[str, Any]:
    """The submission round moved to its review phase, with its plans in review."""
    from wijkfonds.services.rounds.admin import advance_phase
    from wijkfonds.services.rounds.review import start_review

    def start() -> None:
        staff = db.session.scalars(select(User).where(User.email == "medewerker@wijkfonds.nl")).one()
        rnd = db.session.get(Round, ids["sub"])
        advance_phase(rnd, Phase.REVIEW, actor=staff)
        assert start_review(rnd, actor=staff) > 0

    in_app(server, start)
    return ids


@pytest.fixture(scope="module")
def results(server, ids) -> dict[str, Any]:
    """Close voting of the voting round, compute greedy and the ILP, publish greedy."""
    from wijkfonds.services.results import runner
    from wijkfonds.services.results.publication import publish
    from wijkfonds.services.rounds.admin import advance_phase

    def close() -> dict[str, Any]:
        staff = db.session.scalars(select(User).where(User.email == "medewerker@wijkfonds.nl")).one()
        rnd = db.session.get(Round, ids["vote"])
        advance_phase(rnd, Phase.RESULTS, actor=staff)
        runs = [
            runner.create_run(rnd, rule=rule, completion="none", time_limit=None, actor=staff)
            for rule in ("greedy", "ilp")
        ]
        db.session.commit()
        for run in runs:
            runner.execute(run.id)
        assert [r.status for r in runs] == ["done", "done"]
        publish(runs[0], reason="", actor=staff)
        return {"greedy": runs[0].id, "ilp": runs[1].id}

    return {**ids, **in_app(server, close)}
