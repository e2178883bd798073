"""Signing in and out."""

import re


def _form(csrf, client, lang="en"):
    return csrf(client.get(f"/{lang}/login").get_data(as_text=True))


def test_citizen_signs_in_and_sees_their_page(client, demo_logins, login_as):
    login_as(client, demo_logins, "citizen", "ar")
    html = client.get("/en/me").get_data(as_text=True)
    assert 'id="caseworker-title"' in html and 'id="next-title"' in html


def test_staff_lands_on_the_staff_page(client, demo_logins, login_as):
    login_as(client, demo_logins, "caseworker")
    me = client.get("/en/me")
    assert me.status_code == 303 and me.headers["Location"] == "/en/staff"
    response = client.get("/en/login")
    assert response.status_code == 303 and response.headers["Location"] == "/en/staff"


def test_wrong_password_keeps_the_login_and_explains(client, demo_logins, csrf):
    token = _form(csrf, client)
    response = client.post(
        "/en/login", data={"login": "citizen01", "password": "wrong-password", "csrf_token": token}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in html
    assert 'class="error-summary"' in html and 'href="#login"' in html
    assert 'value="citizen01"' in html
    assert "wrong-password" not in html  # never echo a password


def test_empty_form_lists_both_errors(client, demo_logins, csrf):
    response = client.post("/en/login", data={"csrf_token": _form(csrf, client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your login id" in html and "Enter your password" in html


def test_sign_in_is_rate_limited_per_address(client, demo_logins, csrf):
    """A flood from one address: the 101st try within 10 minutes is refused, politely."""
    token = _form(csrf, client)
    codes = [
        client.post(
            "/en/login", data={"login": f"nobody{n}", "password": "nope-nope", "csrf_token": token}
        ).status_code
        for n in range(101)
    ]
    assert codes[:100] == [422] * 100
    assert codes[-1] == 429
    response = client.post(
        "/en/login", data={"login": "citizen02", "password": "x", "csrf_token": token}
    )
    assert "Too many tries" in response.get_data(as_text=True)


def test_personal_pages_need_sign_in(client):
    response = client.get("/da/me")
    assert response.status_code == 302 and "/da/login" in response.headers["Location"]


def test_sign_out_clears_the_session(client, demo_logins, csrf, login_as):
    login_as(client, demo_logins, "citizen")
    html = client.get("/en/me").get_data(as_text=True)
    response = client.post("/en/logout", data={"csrf_token": csrf(html)})
    assert response.status_code == 303
    assert "Clear-Site-Data" in response.headers
    assert client.get("/en/me").status_code == 302


def test_sign_in_and_out_are_audited(app, client, demo_logins, login_as):
    login_as(client, demo_logins, "coordinator")
    from app.db import connect

    db = connect(app.config["DATABASE"])
    actions = [row["action"] for row in db.query("SELECT action FROM audit_log")]
    assert actions == ["sign-in"]


def test_a_script_readable_flag_says_only_that_someone_is_signed_in(app, demo_logins, csrf):
    entry = next(e for e in demo_logins if e["login"] == "citizen03")
    client = app.test_client()
    token = csrf(client.get("/en/login").get_data(as_text=True))
    signed = client.post(
        "/en/login", data={"login": "citizen03", "password": entry["password"], "csrf_token": token}
    )
    flag = [c for c in signed.headers.getlist("Set-Cookie") if c.startswith("bro_signed_in=")]
    assert flag and re.match(r"bro_signed_in=[0-9a-f]{24};", flag[0])  # opaque, not the id
    assert "HttpOnly" not in flag[0] and "SameSite=Lax" in flag[0]
    assert entry["name"] not in flag[0] and "citizen03" not in flag[0]
    # Later pages do not set it again; signing out takes it away.
    assert not any(
        c.startswith("bro_signed_in=") for c in client.get("/en/me").headers.getlist("Set-Cookie")
    )
    token = csrf(client.get("/en/me").get_data(as_text=True))
    out = client.post("/en/logout", data={"csrf_token": token})
    gone = [c for c in out.headers.getlist("Set-Cookie") if c.startswith("bro_signed_in=")]
    assert gone and "Expires=Thu, 01 Jan 1970" in gone[0]


def test_json_and_file_requests_never_rewrite_the_session(app, demo_logins, csrf, login_as):
    """A slow answer to a background request must not bring back an older session cookie.

    The service worker fetches /precache/<lang>.json while the person signs out and opens the
    next page; if that answer wrote the session, it could undo the newer one (and its CSRF token).
    """
    client = app.test_client()
    login_as(client, demo_logins, "citizen")
    token = csrf(client.get("/en/me").get_data(as_text=True))
    client.post("/en/logout", data={"csrf_token": token})
    signed_out = client.get_cookie("bro_session").value  # holds "You are signed out."
    other = app.test_client()
    other.set_cookie("bro_session", signed_out)
    for url in ["/precache/en.json", "/sw.js", "/manifest.webmanifest?lang=en", "/healthz"]:
        cookies = other.get(url).headers.getlist("Set-Cookie")
        assert not any(c.startswith("bro_session=") for c in cookies), url


def test_production_hashes_passwords_with_strong_parameters(tmp_path):
    """Tests use cheap argon2 parameters; an app that is not TESTING never does."""
    from app import create_app
    from app.passwords import current_hasher

    app = create_app({"SECRET_KEY": "x", "DATABASE": str(tmp_path / "p.sqlite3")})
    with app.app_context():
        hasher = current_hasher()
        assert hasher.time_cost >= 2 and hasher.memory_cost >= 19 * 1024  # OWASP's floor
        assert "m=65536" in hasher.hash("a long good passphrase")
