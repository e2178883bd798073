"""Activation letters' codes, passwords, lock-outs and sessions that really end."""

import datetime
import re

import pytest

from app import accounts, clock
from app.db import connect


def _issue(app, login: str, days: int = 30) -> str:
    with app.test_request_context("/en/"):
        user_id = (
            connect(app.config["DATABASE"])
            .execute("SELECT id FROM users WHERE login = ?", [login])
            .fetchone()[0]
        )
        return accounts.issue_code(user_id, "activate", days=days)


def _activate(csrf, client, code: str, password: str, lang: str = "en"):
    page = client.get(f"/{lang}/activate?code={code}").get_data(as_text=True)
    return client.post(
        f"/{lang}/activate",
        data={"code": code, "password": password, "csrf_token": csrf(page)},
    )


def test_codes_have_80_bits_and_are_stored_hashed(app, demo_logins):
    code = _issue(app, "citizen10")
    assert len(accounts.normalise_code(code)) == 16  # 16 × 5 bits
    db = connect(app.config["DATABASE"])
    stored = [row["code_hash"] for row in db.query("SELECT code_hash FROM activation_codes")]
    assert accounts.normalise_code(code) not in stored
    assert accounts.hash_code(code) in stored


def test_activation_sets_the_password_and_signs_in(app, client, demo_logins, login_as, csrf):
    code = _issue(app, "citizen10")
    response = _activate(
        csrf, client, code.lower().replace("-", " "), "tre ord sammen i aarhus", "ti"
    )
    assert response.status_code == 303 and response.headers["Location"] == "/ti/me"
    assert client.get("/ti/me").status_code == 200
    fresh = app.test_client()
    login_as(
        fresh,
        [
            {
                "role": "citizen",
                "login": "citizen10",
                "password": "tre ord sammen i aarhus",
                "lang": "ti",
            }
        ],
        "citizen",
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10"),
        ("password123", "easy to guess"),
        ("aaaaaaaaaaaa", "easy to guess"),
        ("mycitizen10pass", "login id"),
    ],
)
def test_weak_passwords_get_a_clear_422(app, client, demo_logins, password, message, csrf):
    code = _issue(app, "citizen10")
    response = _activate(csrf, client, code, password)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'href="#password"' in html
    assert f'value="{code}"' in html  # the code is kept, the password is not echoed
    assert "Traceback" not in html


def test_used_wrong_and_expired_codes(app, demo_logins, csrf):
    code = _issue(app, "citizen11")
    assert _activate(csrf, app.test_client(), code, "a long good passphrase").status_code == 303
    used = _activate(csrf, app.test_client(), code, "another long passphrase")
    assert used.status_code == 422 and "already been used" in used.get_data(as_text=True)
    wrong = _activate(csrf, app.test_client(), "AAAA-BBBB-CCCC-DDDD", "another long passphrase")
    assert wrong.status_code == 422 and "do not know this code" in wrong.get_data(as_text=True)
    old = _issue(app, "citizen12", days=-1)
    expired = _activate(csrf, app.test_client(), old, "another long passphrase")
    assert expired.status_code == 422 and "too old" in expired.get_data(as_text=True)


def test_reissuing_voids_the_old_code(app, demo_logins, csrf):
    first = _issue(app, "citizen09")
    _issue(app, "citizen09")
    response = _activate(csrf, app.test_client(), first, "a long good passphrase")
    assert response.status_code == 422


def test_guessing_codes_is_rate_limited(app, demo_logins, csrf):
    client = app.test_client()
    codes = [
        _activate(csrf, client, f"AAAA-BBBB-CCCC-{n:04d}", "whatever long pass").status_code
        for n in range(61)
    ]
    assert codes[:60] == [422] * 60 and codes[60] == 429


def test_lockout_grows_after_repeated_failures(app, client, demo_logins, csrf):
    token = csrf(client.get("/en/login").get_data(as_text=True))
    right = next(e for e in demo_logins if e["login"] == "citizen05")["password"]
    statuses = []
    for _ in range(5):
        statuses.append(
            client.post(
                "/en/login", data={"login": "citizen05", "password": "wrong", "csrf_token": token}
            ).status_code
        )
    assert statuses == [422] * 5
    # Locked now: even the right password waits, and the page says for how long.
    locked = client.post(
        "/en/login", data={"login": "citizen05", "password": right, "csrf_token": token}
    )
    assert locked.status_code == 429
    assert re.search(r"Wait \d+ minutes", locked.get_data(as_text=True))
    db = connect(app.config["DATABASE"])
    until = db.execute("SELECT locked_until FROM login_failures").fetchone()[0]
    assert datetime.datetime.fromisoformat(until) > clock.now()


def test_sign_out_ends_every_copy_of_the_session(app, demo_logins, csrf, login_as):
    client = app.test_client()
    login_as(client, demo_logins, "citizen", "da")
    cookie = client.get_cookie("bro_session")
    thief = app.test_client()
    thief.set_cookie("bro_session", cookie.value)
    assert thief.get("/da/me").status_code == 200
    token = csrf(client.get("/da/me", follow_redirects=True).get_data(as_text=True))
    client.post("/da/logout", data={"csrf_token": token})
    assert thief.get("/da/me").status_code == 302  # the copied cookie no longer works


def test_sign_in_starts_a_new_session(app, demo_logins, login_as):
    client = app.test_client()
    client.get("/en/login")
    before = client.get_cookie("bro_session").value
    login_as(client, demo_logins, "citizen", "da")
    assert client.get_cookie("bro_session").value != before


def test_remember_this_phone_sets_a_30_day_cookie(app, demo_logins, csrf):
    client = app.test_client()
    entry = next(e for e in demo_logins if e["login"] == "citizen02")
    token = csrf(client.get("/en/login").get_data(as_text=True))
    response = client.post(
        "/en/login",
        data={
            "login": "citizen02",
            "password": entry["password"],
            "remember": "y",
            "csrf_token": token,
        },
    )
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token")
    )
    assert "HttpOnly" in cookie
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    when = datetime.datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT")
    assert 29 <= (when - datetime.datetime.utcnow()).days <= 30
