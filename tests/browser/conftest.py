"""Browser tests: the real app on a live server, driven by Playwright with Debian's Chromium.

Never lets Playwright download a browser: Chromium comes from /usr/bin/chromium (the
Makefile installs the Debian package when it is missing); axe-core comes from the npm
package (the Makefile puts axe.min.js in .cache/).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from wijkfonds import create_app
from wijkfonds.demo.load import DEMO_PASSWORD
from wijkfonds.extensions import db

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
]


class QuietHandler(WSGIRequestHandler):
    """Leaves out the access log line of every request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log."""


@contextmanager
def serve_demo(directory: Path) -> Iterator[dict]:
    """Run the app with demo data on 127.0.0.1:<free port> in a background thread."""
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
        }
    )
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
        yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
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
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture()
def new_page(browser) -> Iterator[Callable[..., Any]]:
    """Factory for more pages, each in its own context (own cookies); keyword arguments go to
    ``browser.new_context`` (e.g. ``java_script_enabled=False``). All are closed afterwards."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**{**CONTEXT, **options})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


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


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page; serious and critical violations only."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test-browser` (fetches the axe-core npm package)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
