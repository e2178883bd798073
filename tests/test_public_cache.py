"""Public pages are one set of bytes for everyone, so nginx or a CDN may keep them; personal
pages never are."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import brotli
import pytest
from babel.messages.mofile import read_mo, write_mo

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = [
    "/en/",
    "/ar/",
    "/ti/help/interpreter",
    "/en/help/contacts",
    "/en/help/read-aloud",
    "/ar/guides/",
    "/ar/guides/decisions-and-appeals",
    "/ar/guides/decisions-and-appeals?with=da",
    "/so/glossary",
    "/fa/search?q=tolk",
    "/en/language",
    "/en/about/languages",
    "/en/about/privacy",
    "/en/about/accessibility",
    "/uk/offline",
    "/manifest.webmanifest?lang=ckb",
]
PERSONAL = ["/en/me", "/en/me/meetings", "/en/me/decisions", "/en/me/helpers", "/da/staff"]


def _app(tmp_path: Path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "bro.sqlite3"),
            **config,
        }
    )


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_are_the_same_bytes_for_every_visitor(app, auth, url):
    anonymous = app.test_client()
    citizen = auth("citizen03", "ar")
    caseworker = auth("caseworker1", "da")
    answers = [anonymous.get(url), citizen.get(url), caseworker.get(url), anonymous.get(url)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.get_data() for a in answers}) == 1
    for answer in answers:
        assert (
            answer.headers["Cache-Control"] == "public, max-age=300, stale-while-revalidate=86400"
        )
        assert "Cookie" not in answer.headers.get("Vary", "")
        assert "Set-Cookie" not in answer.headers
        assert answer.headers["ETag"].startswith('"') and "W/" not in answer.headers["ETag"]
    html = answers[1].get_data(as_text=True)
    assert "csrf" not in html.lower() and "Sign out" not in html  # no token, no personal header


@pytest.mark.parametrize("url", ["/en/", "/ar/guides/decisions-and-appeals", "/fa/search?q=tolk"])
def test_a_public_page_answers_304_to_its_etag_in_every_coding(client, url):
    plain = client.get(url)
    assert client.get(url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    for coding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = client.get(url, headers={"Accept-Encoding": f"{coding}, identity;q=0.5"})
        assert packed.headers["Content-Encoding"] == coding
        assert decode(packed.get_data()) == plain.get_data()
        assert packed.headers["ETag"] != plain.headers["ETag"]  # another representation
        assert "Accept-Encoding" in packed.headers["Vary"]
        again = client.get(
            url, headers={"Accept-Encoding": coding, "If-None-Match": packed.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == packed.headers["ETag"]


def test_the_etag_changes_when_a_guide_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    url = "/da/guides/decisions-and-appeals"
    before = _app(tmp_path, CONTENT_DIR=str(content)).test_client().get(url)
    guide = content / "da" / "decisions-and-appeals.md"
    guide.write_text(guide.read_text().replace("klage", "klage", 1) + "\nEt nyt afsnit.\n")
    after = _app(tmp_path, CONTENT_DIR=str(content)).test_client().get(url)
    assert "Et nyt afsnit." in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    conditional = _app(tmp_path, CONTENT_DIR=str(content)).test_client()
    assert (
        conditional.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    )


def test_the_etag_changes_when_a_catalog_changes_even_where_the_page_does_not(tmp_path):
    catalogs = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", catalogs)
    url = "/da/guides/decisions-and-appeals"
    before = _app(tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(catalogs)).test_client().get(url)
    mo = catalogs / "so" / "LC_MESSAGES" / "messages.mo"  # Somali: not on a Danish page
    with mo.open("rb") as file:
        catalog = read_mo(file)
    message = next(m for m in catalog if m.id and m.string)
    message.string = f"{message.string} (ny)"
    with mo.open("wb") as file:
        write_mo(file, catalog)
    after = _app(tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(catalogs)).test_client().get(url)
    assert after.get_data() == before.get_data()
    assert after.headers["ETag"] != before.headers["ETag"]


def test_arguments_a_page_does_not_use_change_nothing(client):
    url = "/ar/guides/decisions-and-appeals"
    plain = client.get(url)
    tagged = client.get(f"{url}?utm_source=news&fbclid=x")
    assert tagged.get_data() == plain.get_data() and tagged.headers["ETag"] == plain.headers["ETag"]
    side = client.get(f"{url}?with=da&x=1").get_data(as_text=True)
    assert 'next=/guides/decisions-and-appeals?with%3Dda"' in side  # the picker keeps `with`


def test_search_is_rendered_once_per_normalised_query(app, client):
    search = app.extensions["bro_pages"]["caches"]["search"]
    first = client.get("/en/search?q=interpreter")
    for query in ["interpreter", "  interpreter ", "interpreter\t"]:
        again = client.get("/en/search", query_string={"q": query})
        assert again.get_data() == first.get_data()
    assert len(search) == 1 and search.hits == 3
    fragment = client.get("/en/search?q=interpreter", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and len(search) == 2


def test_the_page_cache_is_bounded(app, client):
    pages = app.extensions["bro_pages"]["caches"]["pages"]
    pages.max_bytes = 200_000
    for lang in ("da", "en", "ar", "fa", "prs", "ps", "ckb", "so", "ti", "tr", "uk"):
        assert client.get(f"/{lang}/guides/decisions-and-appeals").status_code == 200
    assert 0 < pages.bytes <= 200_000 and len(pages) < 11


@pytest.mark.parametrize("url", PERSONAL)
def test_a_personal_page_is_never_cacheable(auth, url):
    who = "caseworker1" if "/staff" in url else "citizen02"
    client = auth(who, "en")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    assert "public" not in response.headers["Cache-Control"]


def test_signing_out_shows_its_message_once_on_a_page_nobody_else_gets(auth, csrf):
    client = auth("citizen02", "en")
    token = csrf(client.get("/en/me").get_data(as_text=True))
    out = client.post("/en/logout", data={"csrf_token": token})
    assert any(c.startswith("bro_notice=") for c in out.headers.getlist("Set-Cookie"))
    home = client.get(out.headers["Location"])
    assert "You are signed out." in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"
    gone = [c for c in home.headers.getlist("Set-Cookie") if c.startswith("bro_notice=")]
    assert gone and "Expires=Thu, 01 Jan 1970" in gone[0]
    later = client.get("/en/")
    assert "You are signed out." not in later.get_data(as_text=True)
    assert later.headers["Cache-Control"].startswith("public")


def test_a_vote_without_javascript_is_thanked_on_the_guide(client):
    url = "/en/guides/decisions-and-appeals"
    client.get(url)  # stored for everyone
    vote = client.post(f"{url}/feedback", data={"helpful": "yes"})
    assert vote.status_code == 303
    thanked = client.get(url)
    assert "Thank you for your answer." in thanked.get_data(as_text=True)
    assert thanked.headers["Cache-Control"] == "no-store"
    assert "Thank you for your answer." not in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    ["/ar/guides/decisions-and-appeals?with=da", "/en/search?q=tolk", "/manifest.webmanifest"],
)
@pytest.mark.parametrize("coding", ["gzip", "br", ""])
def test_a_stored_page_is_answered_before_flask_starts_with_the_same_bytes(
    app, client, url, coding
):
    from flask import request_started

    started = []
    request_started.connect(lambda sender, **extra: started.append(1), app, weak=False)
    headers = {"Accept-Encoding": coding} if coding else {}
    first, second = client.get(url, headers=headers), client.get(url, headers=headers)
    assert len(started) == 1  # the second never reached Flask
    assert second.get_data() == first.get_data()
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    again = client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(started) == 1
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    # Anything else still goes to Flask: a signed-out message, a POST, a personal page.
    client.set_cookie("bro_notice", "1")
    assert client.get(url, headers=headers).headers["Cache-Control"] == "no-store"
    assert len(started) == 2


def test_without_a_page_cache_every_request_renders(tmp_path):
    app = _app(tmp_path, PAGE_CACHE_BYTES=0)
    client = app.test_client()
    first, second = client.get("/da/"), client.get("/da/")
    assert first.get_data() == second.get_data() and first.headers["ETag"] == second.headers["ETag"]
    assert len(app.extensions["bro_pages"]["caches"]["pages"]) == 0
