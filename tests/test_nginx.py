"""The production recipe: Debian's nginx with deploy/nginx.conf in front of Bro.

nginx is started with the repository's own file (placeholders swapped for loopback, a
self-signed certificate and temporary folders: scripts/nginx_local.py); `make test` installs
Debian's nginx when it is missing.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import logins_path, seed_demo
from scripts import nginx_local


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Bro (trusting one proxy, as the README says) behind nginx with the production file."""
    folder = tmp_path_factory.mktemp("nginx")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(folder / "bro.sqlite3"),
            "TRUSTED_PROXIES": 1,
        }
    )
    seed_demo(app)
    logins = json.loads(logins_path(app).read_text())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    nginx = nginx_local.start(folder / "front", f"127.0.0.1:{server.server_port}")
    try:
        yield {"nginx": nginx, "logins": logins}
    finally:
        nginx_local.stop(nginx)
        server.shutdown()
        thread.join(timeout=5)


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(stack, jar: http.cookiejar.CookieJar | None = None):
    """A client of the https front door with its own cookies, that does not follow redirects."""
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=nginx_local.tls_context(stack["nginx"])),
        urllib.request.HTTPCookieProcessor(jar if jar is not None else http.cookiejar.CookieJar()),
        _Keep,
    )


def _get(opener, url: str, **headers):
    try:
        response = opener.open(urllib.request.Request(url, headers=headers), timeout=20)
    except urllib.error.HTTPError as answer:  # 3xx/4xx come back as errors without redirects
        response = answer
    return response.status, response.headers, response.read()


def _post(url: str, data: str) -> urllib.request.Request:
    """A form post as a browser sends it over https (Flask-WTF checks the Referer there)."""
    return urllib.request.Request(url, data=data.encode(), headers={"Referer": url})


def _sign_in(stack, login: str):
    base = stack["nginx"]["base"]
    opener = _browser(stack)
    password = next(e["password"] for e in stack["logins"] if e["login"] == login)
    _status, _headers, page = _get(opener, f"{base}/en/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    data = urllib.parse.urlencode({"login": login, "password": password, "csrf_token": token})
    try:
        opener.open(_post(f"{base}/en/login", data), timeout=20)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303, answer.code
    return opener


def test_public_pages_come_from_the_shared_cache(stack):
    base = stack["nginx"]["base"]
    url = f"{base}/ar/guides/decisions-and-appeals"
    anonymous, citizen = _browser(stack), _sign_in(stack, "citizen03")
    first = _get(anonymous, url, **{"Accept-Encoding": "gzip"})
    second = _get(citizen, url, **{"Accept-Encoding": "gzip"})
    assert first[0] == second[0] == 200
    assert second[1]["X-Cache"] == "HIT" and first[2] == second[2]
    assert second[1]["Content-Encoding"] == "gzip"
    assert b'lang="ar"' in gzip.decompress(second[2])
    # A browser without gzip gets the same page, unpacked.
    plain = _get(anonymous, url)
    assert plain[0] == 200 and plain[2] == gzip.decompress(second[2])
    # The browser's copy is still good: 304 with no body.
    again = _get(anonymous, url, **{"Accept-Encoding": "gzip", "If-None-Match": first[1]["ETag"]})
    assert again[0] == 304 and again[2] == b""


def test_a_personal_page_is_never_served_from_the_cache(stack):
    base = stack["nginx"]["base"]
    people = {"citizen02": _sign_in(stack, "citizen02"), "citizen03": _sign_in(stack, "citizen03")}
    names = {e["login"]: e["name"] for e in stack["logins"]}
    for _round in range(2):
        for login, opener in people.items():
            for path in ("/en/me", "/en/me/data"):  # my page; everything Bro holds about me
                status, headers, body = _get(opener, f"{base}{path}")
                assert status == 200
                assert headers["X-Cache"] != "HIT" and headers["Cache-Control"] == "no-store"
            data = body.decode()
            assert names[login] in data
            assert not any(names[other] in data for other in people if other != login)
    # Nobody signed in asking the same address gets the sign-in page, never a stored copy.
    status, headers, _body = _get(_browser(stack), f"{base}/en/me")
    assert status == 302 and "/en/login" in headers["Location"]


def test_a_message_after_sign_out_passes_the_cache_by(stack):
    base = stack["nginx"]["base"]
    _get(_browser(stack), f"{base}/en/")  # the home page is stored
    opener = _sign_in(stack, "citizen04")
    _status, _headers, page = _get(opener, f"{base}/en/me")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    try:
        opener.open(_post(f"{base}/en/logout", f"csrf_token={token}"), timeout=20)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
    status, headers, body = _get(opener, f"{base}/en/")
    assert status == 200 and "You are signed out." in body.decode()
    assert headers["X-Cache"] == "BYPASS" and headers["Cache-Control"] == "no-store"
    status, headers, body = _get(opener, f"{base}/en/")
    assert headers["X-Cache"] == "HIT" and "You are signed out." not in body.decode()


def test_static_files_come_from_disk_precompressed(stack):
    nginx = stack["nginx"]
    status, headers, body = _get(
        _browser(stack), f"{nginx['base']}/static/css/bro.css?v=1", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert (
        body == (nginx["static"] / "css" / "bro.css.gz").read_bytes()
    )  # the file, not gzip on the fly
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_bro_sees_the_visitors_scheme_through_the_proxy(stack):
    base = stack["nginx"]["base"]
    _status, headers, _body = _get(_browser(stack), f"{base}/healthz")
    # X-Forwarded-Proto reached Bro and was trusted: the answer says "always use https".
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    status, headers, _body = _get(_browser(stack), f"{stack['nginx']['http']}/en/")
    assert status == 301 and headers["Location"].startswith("https://")
