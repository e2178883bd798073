"""Fuzz every form and query parameter with hostile text: no 5xx, nothing unescaped, no stray rows.

Bounded here (make test); `make fuzz` runs the same properties with many more examples.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import clock
from app.db import connect

EXAMPLES = int(os.environ.get("BRO_FUZZ_EXAMPLES", "25"))
NASTY = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE users; --",
            "\u202eevil\u202c",  # right-to-left override
            "\u200b\u200c\u200d\ufeff",  # zero-width marks
            "a\x00b",
            "😀🇩🇰👨‍👩‍👧",
            "x" * 100_000,
            "%(name)s {{7*7}} ${7*7}",
            "العربية مع English 123",
            "../../etc/passwd",
            "",
        ]
    ),
)
# Dates people (and scripts) type: the far past and future, and impossible ones.
DATES = st.one_of(
    NASTY,
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "+10000-01-01", "1e9"]),
)
MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _signed_in(auth, csrf, login):
    client = auth(login)
    return client, csrf(client.get("/en/me", follow_redirects=True).get_data(as_text=True))


def _check(response):
    assert response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    for markup in MARKUP:
        assert markup not in body  # echoed input is always escaped


def _count(app, table):
    return connect(app.config["DATABASE"]).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@FUZZ
@given(query=NASTY, lang=st.sampled_from(["da", "ar", "ti", "xx"]), with_=NASTY)
def test_public_query_parameters(client, query, lang, with_):
    _check(client.get(f"/{lang}/search", query_string={"q": query}))
    _check(client.get(f"/{lang}/guides/decisions-and-appeals", query_string={"with": with_}))
    _check(client.get("/language/da", query_string={"next": query}))
    _check(client.get("/manifest.webmanifest", query_string={"lang": query}))


@FUZZ
@given(login=NASTY, password=NASTY)
def test_sign_in_form(app, login, password, csrf):
    client = app.test_client()
    token = csrf(client.get("/en/login").get_data(as_text=True))
    _check(
        client.post("/en/login", data={"login": login, "password": password, "csrf_token": token})
    )


@FUZZ
@given(code=NASTY, password=NASTY)
def test_activation_form(app, code, password, csrf):
    client = app.test_client()
    token = csrf(client.get("/en/activate").get_data(as_text=True))
    _check(
        client.post("/en/activate", data={"code": code, "password": password, "csrf_token": token})
    )


@FUZZ
@given(language=NASTY, contact=NASTY, key=NASTY)
def test_missing_language_form(app, language, contact, key, csrf):
    client = app.test_client()
    before = _count(app, "language_requests")
    token = csrf(client.get("/en/language/missing").get_data(as_text=True))
    response = client.post(
        "/en/language/missing",
        data={"language": language, "contact": contact, "key": key, "csrf_token": token},
    )
    _check(response)
    if response.status_code != 303:
        assert _count(app, "language_requests") == before  # nothing stored from an invalid form


@pytest.fixture
def citizen(auth, csrf):
    return _signed_in(auth, csrf, "citizen03")


@FUZZ
@given(fields=st.fixed_dictionaries(
    {"what": st.one_of(NASTY, st.just("dentist")), "day": DATES, "time": NASTY, "place": NASTY,
     "language": NASTY, "dialect": NASTY, "mode": NASTY, "gender": NASTY, "note": NASTY,
     "key": NASTY}
))  # fmt: skip
def test_interpreter_request_form(app, citizen, fields):
    client, token = citizen
    before = _count(app, "interpreter_requests")
    response = client.post("/en/me/interpreter/new", data={**fields, "csrf_token": token})
    _check(response)
    if response.status_code != 303:
        assert _count(app, "interpreter_requests") == before


@FUZZ
@given(item=NASTY, ticked=NASTY, period=NASTY, interpreter=NASTY)
def test_citizen_small_forms(app, citizen, item, ticked, period, interpreter):
    client, token = citizen
    db = connect(app.config["DATABASE"])
    meeting = db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id WHERE u.login = 'citizen03'"
    ).fetchone()[0]
    _check(
        client.post(
            f"/en/me/meetings/{meeting}/checklist",
            data={"item": item, "ticked": ticked, "csrf_token": token},
        )
    )
    before = _count(app, "activation_codes")
    response = client.post(
        "/en/me/helpers", data={"period": period, "interpreter": interpreter, "csrf_token": token}
    )
    _check(response)
    if period not in ("30", "90", "365"):
        assert _count(app, "activation_codes") == before


@FUZZ
@given(fields=st.fixed_dictionaries(
    {"understood": NASTY, "interpreting": NASTY, "next_known": NASTY, "free_text": NASTY}
))  # fmt: skip
def test_feedback_form(app, citizen, fields):
    client, token = citizen
    db = connect(app.config["DATABASE"])
    meeting = db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id WHERE u.login = 'citizen03' "
        "AND m.ends_at < ?",
        [clock.now_local().replace(tzinfo=None).isoformat()],
    ).fetchone()[0]
    before = _count(app, "meeting_feedback")
    response = client.post(
        f"/en/me/meetings/{meeting}/feedback", data={**fields, "csrf_token": token}
    )
    _check(response)
    if response.status_code != 303:
        assert _count(app, "meeting_feedback") == before


@pytest.fixture
def caseworker(auth, csrf):
    return _signed_in(auth, csrf, "caseworker3")


@FUZZ
@given(fields=st.fixed_dictionaries(
    {"name": NASTY, "lang": NASTY, "interpreter_language": NASTY, "interpreter_dialect": NASTY,
     "phone": NASTY, "caseworker": NASTY}
), q=NASTY, language=NASTY)  # fmt: skip
def test_staff_citizen_form_and_caseload_search(app, caseworker, fields, q, language):
    client, token = caseworker
    before = _count(app, "users")
    response = client.post("/en/staff/citizens/new", data={**fields, "csrf_token": token})
    _check(response)
    if response.status_code != 303:
        assert _count(app, "users") == before
    _check(client.get("/en/staff", query_string={"q": q, "language": language}))


@FUZZ
@given(fields=st.fixed_dictionaries(
    {"kind": NASTY, "day": DATES, "start": NASTY, "end": NASTY, "place": NASTY, "address": NASTY,
     "video_url": NASTY, "purpose": NASTY, "interpreter_needed": NASTY, "interpreter_language": NASTY}
), title=NASTY, decided=DATES)  # fmt: skip
def test_staff_meeting_and_decision_forms(app, caseworker, fields, title, decided):
    client, token = caseworker
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    meetings, decisions = _count(app, "meetings"), _count(app, "decisions")
    response = client.post(
        f"/en/staff/citizens/{citizen}/meetings/new", data={**fields, "csrf_token": token}
    )
    _check(response)
    if response.status_code != 303:
        assert _count(app, "meetings") == meetings
    response = client.post(
        f"/en/staff/citizens/{citizen}/decisions/new",
        data={"title": title, "decided_on": decided, "received_on": decided, "csrf_token": token},
    )
    _check(response)
    if response.status_code != 303:
        assert _count(app, "decisions") == decisions


@FUZZ
@given(reason=NASTY, interpreter=NASTY, video=NASTY)
def test_staff_interpreter_actions(app, caseworker, reason, interpreter, video):
    client, token = caseworker
    db = connect(app.config["DATABASE"])
    request_id = db.execute(
        "SELECT r.id FROM interpreter_requests r JOIN users u ON u.id = r.citizen_id WHERE u.login = 'citizen03'"
    ).fetchone()[0]
    _check(
        client.post(
            f"/en/staff/interpreters/{request_id}/book",
            data={"interpreter": interpreter, "video_url": video, "csrf_token": token},
        )
    )
    _check(
        client.post(
            f"/en/staff/interpreters/{request_id}/cancel",
            data={"reason": reason, "csrf_token": token},
        )
    )


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), NASTY),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
            ["id", "rawId", "type", "response", "clientDataJSON", "attestationObject",
             "authenticatorData", "signature", "userHandle", "transports"]), inner, max_size=6)
    ),
    max_leaves=12,
)  # fmt: skip


@FUZZ
@given(body=JSON)
def test_passkey_answers(app, citizen, body, csrf):
    """Whatever arrives as the phone's answer: a 4xx, no passkey stored, nobody signed in."""
    client, token = citizen
    headers = {"X-CSRFToken": token}
    client.post("/en/account/passkeys/options", json={}, headers=headers)
    _check(client.post("/en/account/passkeys/add", json=body, headers=headers))
    assert _count(app, "passkeys") == 0
    anonymous = app.test_client()
    anonymous_token = csrf(anonymous.get("/en/login").get_data(as_text=True))
    headers = {"X-CSRFToken": anonymous_token}
    anonymous.post("/en/login/passkey/options", json={}, headers=headers)
    _check(anonymous.post("/en/login/passkey", json=body, headers=headers))
    assert anonymous.get("/en/me").status_code == 302


BEYOND_SQLITE = ["9223372036854775808", "99999999999999999999999999", "-1", "0"]


@pytest.mark.parametrize("login", ["citizen03", "helper1", "caseworker3", "coordinator"])
def test_ids_beyond_sqlites_range_are_not_found(app, demo_logins, login, auth, csrf):
    """Every URL with an id, with ids SQLite cannot hold: 404 (or a redirect), never a 500."""
    client, token = _signed_in(auth, csrf, login)
    fill = {
        "lang": "en",
        "slug": "bring-a-companion",
        "action": "book",
        "code": "en",
        "period": "2026-Q1",
    }
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(rules) > 20
    for rule in rules:
        for number in BEYOND_SQLITE:
            path = re.sub(r"<int:\w+>", number, rule.rule)
            path = re.sub(r"<(\w+)>", lambda m: fill[m.group(1)], path)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = client.open(path, method=method, data={"csrf_token": token})
                assert response.status_code < 500, (method, path, response.status_code)
