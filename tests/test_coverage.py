"""Language coverage page and "my language is missing" requests."""

import re

from app.content import GUIDES
from app.db import connect


def test_coverage_page_lists_every_language(client):
    html = client.get("/en/about/languages").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><span lang="([a-z]+)"', html)
    assert rows == ["da", "en", "ar", "fa", "prs", "ps", "ckb", "kmr", "so", "ti", "tr", "uk"]
    # guides present for the languages that have them all
    assert f"{len(GUIDES)} of {len(GUIDES)}" in html


def test_coverage_is_linked_from_the_footer(client):
    assert 'href="/so/about/languages"' in client.get("/so/").get_data(as_text=True)


def test_missing_language_link_on_picker_and_missing_notice(client):
    assert 'href="/en/language/missing"' in client.get("/en/language").get_data(as_text=True)
    assert 'href="/en/language/missing"' in client.get("/en/").get_data(as_text=True)


def _form(csrf, client, lang="en"):
    html = client.get(f"/{lang}/language/missing").get_data(as_text=True)
    key = re.search(r'name="key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="key"', html)
    return csrf(html), next(group for group in key.groups() if group)


def _rows(app):
    return list(connect(app.config["DATABASE"]).query("SELECT * FROM language_requests"))


def test_request_is_stored_once_even_when_sent_twice(app, client, csrf):
    token, key = _form(csrf, client)
    data = {"language": "Amharic", "contact": "", "key": key, "csrf_token": token}
    first = client.post("/en/language/missing", data=data)
    second = client.post("/en/language/missing", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == "/en/language/missing/thanks"
    rows = _rows(app)
    assert len(rows) == 1
    assert rows[0]["language"] == "Amharic" and rows[0]["contact"] is None
    assert rows[0]["asked_from"] == "en"


def test_empty_language_is_a_422_with_the_input_kept(app, client, csrf):
    token, key = _form(csrf, client, "ar")
    response = client.post(
        "/ar/language/missing",
        data={"language": "", "contact": "+45 1234", "key": key, "csrf_token": token},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'href="#language"' in html
    assert 'value="+45 1234"' in html
    assert '<html lang="ar" dir="rtl">' in html
    assert _rows(app) == []


def test_requests_are_rate_limited(client, csrf):
    codes = []
    for number in range(7):
        token, key = _form(csrf, client)
        codes.append(
            client.post(
                "/en/language/missing",
                data={"language": f"L{number}", "key": key, "csrf_token": token},
            ).status_code
        )
    assert codes[:5] == [303] * 5 and codes[-1] == 429


def test_only_the_coordinator_sees_the_requests(app, client, demo_logins, login_as, csrf):
    token, key = _form(csrf, client)
    client.post(
        "/en/language/missing", data={"language": "Lingala", "key": key, "csrf_token": token}
    )
    login_as(client, demo_logins, "caseworker")
    assert client.get("/en/staff/language-requests").status_code == 404
    other = app.test_client()
    login_as(other, demo_logins, "coordinator")
    html = other.get("/en/staff/language-requests").get_data(as_text=True)
    assert "<bdi>Lingala</bdi>" in html
