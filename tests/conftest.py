"""Fixtures: a fresh app on a real SQLite file per test, clients, a live server for the browser.

The demo town is seeded once per test session into a template database; each test that asks
for it (`demo_logins`, `auth`) gets its own copy (SQLite's backup API) with the app clock
stopped at `FROZEN_NOW`, the "today" the demo data is placed around. Helpers come as fixtures
(`auth`, `login_as`, `post_form`, `csrf`, `sign_in_browser`); test modules never import this file.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import clock, create_app
from app import search as search_index
from app.db import connect
from app.demo import logins_path, seed_demo

# Demo data is placed relative to today (meetings in 2–6 days, deadlines in 3 and 20 days…), so
# every test of the demo town runs at one fixed moment: a Wednesday that is no Danish public
# holiday, at 10:00 in Copenhagen. Nothing then depends on the hour, weekday or holidays of the
# run. The moment lies before any real run, so rows SQLite stamps with its own (real) 'now'
# in column defaults never look older to the frozen app than they are. Tests compare with
# clock.today() / clock.now_local(), never the real date.
FROZEN_NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=clock.TZ)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "RATELIMIT_STORAGE_URI": "memory://",
}


def _copy_database(template: Path, target: Path) -> None:
    """Give `target` the template's content with SQLite's backup API: a WAL file of its own."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(template)
    copy = connect(str(target))  # Bro's own pragmas: WAL, so the copy is a file like the real one
    try:
        source.backup(copy.conn)
    finally:
        copy.close()
        source.close()


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    """A migrated database with the search index of content/, built once per session."""
    path = tmp_path_factory.mktemp("template-empty") / "bro.sqlite3"
    create_app({**TEST_CONFIG, "DATABASE": str(path)})
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo town seeded once per session (at FROZEN_NOW); its folder holds the database
    and demo-logins.json."""
    folder = tmp_path_factory.mktemp("template-demo")
    app = create_app({**TEST_CONFIG, "DATABASE": str(folder / "bro.sqlite3")})
    with clock.frozen(FROZEN_NOW):
        # Without the demo's three quarters of evaluation answers: tests that count answers
        # seed their own.
        seed_demo(app, evaluation=False)
    return folder


@pytest.fixture
def app(tmp_path, empty_template):
    """The app on its own database file in this test's folder (a copy of the migrated and
    indexed template, so the app's start finds nothing to do)."""
    database = tmp_path / "bro.sqlite3"
    _copy_database(empty_template, database)
    app = create_app({**TEST_CONFIG, "DATABASE": str(database)})
    yield app


@pytest.fixture
def partial_client(tmp_path):
    """A client of an app whose content lacks the Tigrinya appeals guide and Somali glossary."""
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    (content / "ti" / "decisions-and-appeals.md").unlink(missing_ok=True)
    (content / "so" / "glossary.md").unlink(missing_ok=True)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "partial.sqlite3"),
            "CONTENT_DIR": str(content),
        }
    )
    return app.test_client()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def frozen_clock():
    """The app clock stopped at FROZEN_NOW for the whole test (the live server's thread too:
    clock.frozen sets the module's moment, which every thread reads)."""
    with clock.frozen(FROZEN_NOW):
        yield FROZEN_NOW


@pytest.fixture
def demo_logins(app, demo_template, frozen_clock) -> list[dict]:
    """The demo municipality in this test's own database, and its logins; the clock frozen.

    A copy of the session's seeded template (backup API) and its demo-logins.json beside this
    app's database. The search index is brought up to this app's content (a no-op for the
    usual content/). An app outside TESTING is seeded itself, so its hashes stay production."""
    if not app.testing:
        seed_demo(app, evaluation=False)
        return json.loads(logins_path(app).read_text())
    _copy_database(demo_template / "bro.sqlite3", Path(app.config["DATABASE"]))
    db = connect(app.config["DATABASE"])
    try:
        search_index.rebuild_index(db, app.extensions["bro_library"])
    finally:
        db.close()
    logins = logins_path(app)
    shutil.copyfile(demo_template / "demo-logins.json", logins)
    logins.chmod(0o600)
    return json.loads(logins.read_text())


@pytest.fixture
def auth(app, demo_logins):
    """Sign in as a demo user through the real form: `auth("citizen03", "so")` → a test client."""

    def sign_in(login: str, lang: str = "en"):
        return _signed_in(app, demo_logins, login, lang)

    return sign_in


@pytest.fixture
def login_as():
    """Sign a client in as the first user of a role (and language) in these logins:
    `login_as(client, demo_logins, "citizen", "so")` → that login's entry."""
    return _login_as


@pytest.fixture
def csrf():
    """The CSRF token of the first form on a page: `csrf(html)`."""
    return _csrf_from


@pytest.fixture
def post_form():
    """Post a form as a browser does: open the page for its CSRF token, then send the fields.

    `post_form(client, "/en/me/helpers", {"period": "30"})`; `page=` names another page to take
    the token from when the form's address has no page of its own."""

    def post(client, url: str, data: dict, page: str | None = None, **options):
        token = _csrf_from(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={**data, "csrf_token": token}, **options)

    return post


def _login_as(client, logins: list[dict], role: str, lang: str | None = None) -> dict:
    entry = next(e for e in logins if e["role"] == role and (lang is None or e["lang"] == lang))
    page = client.get("/en/login")
    token = _csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/en/login",
        data={"login": entry["login"], "password": entry["password"], "csrf_token": token},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return entry


def _signed_in(app, logins: list[dict], login: str, lang: str = "en"):
    """A test client signed in as the demo user with this login id."""
    client = app.test_client()
    entry = next(e for e in logins if e["login"] == login)
    token = _csrf_from(client.get(f"/{lang}/login").get_data(as_text=True))
    response = client.post(
        f"/{lang}/login", data={"login": login, "password": entry["password"], "csrf_token": token}
    )
    assert response.status_code == 303, response.status_code
    return client


def _csrf_from(html: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert match, "no CSRF token on the page"
    return re.search(r'value="([^"]+)"', match.group()).group(1)


# --- browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser; no calls home from the test machine."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def sign_in_browser():
    """Sign in through the real form, as a person would:
    `sign_in_browser(page, live_server, entry, "da")`."""

    def sign_in(page, base_url: str, entry: dict, lang: str = "en") -> None:
        page.goto(f"{base_url}/{lang}/login")
        page.locator("#login").fill(entry["login"])
        page.locator("#password").fill(entry["password"])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
