"""Fixtures: a fresh app on a real SQLite file per test, clients, a live server for the browser."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import logins_path, seed_demo


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "bro.sqlite3"),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
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
def demo_logins(app) -> list[dict]:
    """Seed the demo municipality and return its logins."""
    seed_demo(app)
    return json.loads(logins_path(app).read_text())


@pytest.fixture
def auth(app, demo_logins):
    """Sign in as a demo user through the real form: `auth("citizen03", "so")` → a test client."""

    def sign_in(login: str, lang: str = "en"):
        return signed_in(app, demo_logins, login, lang)

    return sign_in


@pytest.fixture
def post_form():
    """Post a form as a browser does: open the page for its CSRF token, then send the fields.

    `post_form(client, "/en/me/helpers", {"period": "30"})`; `page=` names another page to take
    the token from when the form's address has no page of its own."""

    def post(client, url: str, data: dict, page: str | None = None, **options):
        token = _csrf_from(client.get(page or url).get_data(as_text=True))
        return client.post(url, data={**data, "csrf_token": token}, **options)

    return post


def login_as(client, logins: list[dict], role: str, lang: str | None = None) -> dict:
    """Sign in the first demo user of a role (and language); returns that login."""
    entry = next(e for e in logins if e["role"] == role and (lang is None or e["lang"] == lang))
    page = client.get("/en/login")
    token = _csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/en/login",
        data={"login": entry["login"], "password": entry["password"], "csrf_token": token},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return entry


def signed_in(app, logins: list[dict], login: str, lang: str = "en"):
    """A test client signed in as the demo user with this login id."""
    client = app.test_client()
    entry = next(e for e in logins if e["login"] == login)
    token = _csrf_from(client.get(f"/{lang}/login").get_data(as_text=True))
    response = client.post(
        f"/{lang}/login", data={"login": login, "password": entry["password"], "csrf_token": token}
    )
    assert response.status_code == 303, response.status_code
    return client


def browser_sign_in(page, live_server: str, entry: dict, lang: str = "en") -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#login").fill(entry["login"])
    page.locator("#password").fill(entry["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert match, "no CSRF token on the page"
    return re.search(r'value="([^"]+)"', match.group()).group(1)


csrf_from = _csrf_from


def signed_in_token(client) -> str:
    """The CSRF token of a signed-in person: from the sign-out form on their own start page
    (public pages are the same bytes for everyone, so they carry no token)."""
    return _csrf_from(client.get("/en/me", follow_redirects=True).get_data(as_text=True))


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
