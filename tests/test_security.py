"""The security baseline: headers on every response, CSRF, cookies, limits, secrets."""

import json

import pytest

from app import create_app
from app.demo import logins_path, seed_demo
from app.security import CONTENT_SECURITY_POLICY

URLS = [
    "/",
    "/da/",
    "/ar/",
    "/en/login",
    "/healthz",
    "/static/css/bro.css",
    "/nowhere",
    "/xx/",
    "/en/guides/",
    "/en/guides/decisions-and-appeals",
    "/en/search?q=klage",
    "/language/da",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Permissions-Policy"]


def test_post_and_error_responses_carry_csp_too(client):
    response = client.post("/en/login", data={})
    assert response.status_code == 400
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_post_without_csrf_token_gets_a_translated_400_page(client):
    response = client.post("/da/login", data={"login": "x", "password": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="da"' in html
    assert "We could not read that request" not in html  # Danish, not the English source
    assert "Traceback" not in html


def test_pages_have_no_inline_scripts_or_styles(client):
    for url in ["/da/", "/ar/guides/decisions-and-appeals", "/en/search?q=x", "/en/login"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert "onclick" not in html and "javascript:" not in html


def test_session_cookie_is_httponly_lax_and_secure_in_production(tmp_path, monkeypatch):
    monkeypatch.delenv("BRO_DEV", raising=False)
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "p.sqlite3")})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/en/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_the_signed_in_flag_is_secure_in_production_but_readable_by_the_page(
    tmp_path, monkeypatch, csrf
):
    monkeypatch.delenv("BRO_DEV", raising=False)
    app = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "p.sqlite3")})
    seed_demo(app)
    entry = next(e for e in json.loads(logins_path(app).read_text()) if e["role"] == "citizen")
    client = app.test_client()
    base = "https://bro.example.dk"
    token = csrf(client.get("/en/login", base_url=base).get_data(as_text=True))
    response = client.post(
        "/en/login",
        base_url=base,
        headers={"Referer": f"{base}/en/login"},  # HTTPS: the CSRF check wants a same-site referrer
        data={"login": entry["login"], "password": entry["password"], "csrf_token": token},
    )
    assert response.status_code == 303
    cookies = response.headers.getlist("Set-Cookie")
    flag = next(c for c in cookies if c.startswith("bro_signed_in="))
    session = next(c for c in cookies if c.startswith("bro_session="))
    assert "Secure" in flag and "SameSite=Lax" in flag and "HttpOnly" not in flag
    assert "Secure" in session and "HttpOnly" in session


def test_public_pages_set_no_cookie(client):
    """No session for anonymous readers: pages stay cacheable and nothing is tracked."""
    for url in ["/da/", "/ar/guides/decisions-and-appeals", "/en/glossary", "/en/search?q=klage"]:
        assert "Set-Cookie" not in client.get(url).headers, url


def test_missing_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("BRO_DEV", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE": str(tmp_path / "p.sqlite3")})


def test_dev_mode_generates_a_key_with_a_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BRO_DEV", "1")
    app = create_app({"DATABASE": str(tmp_path / "p.sqlite3")})
    assert len(app.config["SECRET_KEY"]) >= 32
    assert "WARNING" in capsys.readouterr().err
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_oversized_request_gets_a_413_page(client):
    response = client.post("/en/login", data={"login": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_htmx_is_configured_without_eval_and_indicator_styles(client):
    html = client.get("/en/").get_data(as_text=True)
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert '"selfRequestsOnly": true' in html
