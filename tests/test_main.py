"""Home page, top tasks and the health check."""

import re

from app.languages import LANGUAGES


def test_home_offers_the_four_top_tasks(client):
    html = client.get("/en/").get_data(as_text=True)
    for task in ("prepare", "decision", "interpreter", "caseworker"):
        assert f'href="/en/help/{task}"' in html
    assert 'href="/en/login"' in html


def test_no_link_on_home_or_task_pages_is_dead(client):
    """Follow every local link from the home page and the task pages, in two languages."""
    for lang in ("da", "ar"):
        seen, queue = set(), [f"/{lang}/"]
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            signs_in = response.status_code == 302 and "/login" in response.headers["Location"]
            assert response.status_code in (200, 303) or signs_in, (url, response.status_code)
            if url.startswith(f"/{lang}/help/") or url == f"/{lang}/":
                html = response.get_data(as_text=True)
                for href in re.findall(r'href="(/[^"#]*)', html):
                    if not href.startswith("/static/") and not href.startswith("/language/"):
                        queue.append(href.replace("&amp;", "&"))
        assert len(seen) > 10


def test_help_pages_tell_what_bro_does_now_and_lead_there(client, demo_logins, login_as):
    for task, target in (("interpreter", "/en/me/interpreter/new"), ("caseworker", "/en/me")):
        html = client.get(f"/en/help/{task}").get_data(as_text=True)
        assert "Soon" not in html and f'href="{target}"' in html
    assert 'href="/en/guides/interpreter-rights"' in client.get("/en/help/interpreter").get_data(
        True
    )
    # Signed in, the link goes straight to the form; signed out, through the sign-in page.
    assert client.get("/en/me/interpreter/new").status_code == 302
    login_as(client, demo_logins, "citizen", "en")
    assert client.get("/en/me/interpreter/new").status_code == 200


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    data = response.get_json()
    assert response.status_code == 200
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["database"]["journal_mode"] == "wal"
    assert data["database"]["schema_version"] == data["database"]["schema_expected"]


def test_healthz_fails_when_the_database_is_gone(app, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "no-such-dir" / "x" / "db.sqlite3")
    import os

    os.makedirs(tmp_path / "no-such-dir", exist_ok=True)
    os.chmod(tmp_path / "no-such-dir", 0o500)
    try:
        response = app.test_client().get("/healthz")
    finally:
        os.chmod(tmp_path / "no-such-dir", 0o700)
    if os.geteuid() == 0:
        # root ignores directory permissions; point at a directory instead of a file
        app.config["DATABASE"] = str(tmp_path)
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_every_home_page_is_small(client):
    for lang in LANGUAGES:
        assert len(client.get(f"/{lang.code}/").data) < 20_000
