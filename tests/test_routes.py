"""Every route of the app × every role, from one table.

The table is checked against the app's URL map: a new route without an entry fails
`test_every_route_has_an_entry`, so nobody can add a page and forget who may open it.
"""

from __future__ import annotations

import pytest

from app import clock, create_app
from app.db import connect
from app.passwords import hasher

ROLES = ("anonymous", "citizen", "helper", "caseworker", "other caseworker", "coordinator")
LOGINS = {
    "citizen": "citizen03",
    "helper": "helper1",
    "caseworker": "caseworker3",  # citizen03's caseworker
    "other caseworker": "caseworker1",
    "coordinator": "coordinator",
}


def public(status=200):
    return dict.fromkeys(ROLES, status)


def me(ok=200):
    return {"anonymous": 302, "citizen": ok} | dict.fromkeys(ROLES[2:], 303)


def helping(helper=200):
    return {"anonymous": 302, "helper": helper} | dict.fromkeys(("citizen", *ROLES[3:]), 404)


def staff_record(ok=200):
    return {
        "anonymous": 302,
        "citizen": 404,
        "helper": 404,
        "caseworker": ok,
        "other caseworker": 404,
        "coordinator": ok,
    }


def staff(ok=200):
    return {
        "anonymous": 302,
        "citizen": 404,
        "helper": 404,
        "caseworker": ok,
        "other caseworker": ok,
        "coordinator": ok,
    }


def own_account(ok=200):
    return {"anonymous": 302, "citizen": ok, "helper": ok} | dict.fromkeys(ROLES[3:], 404)


def coordinator(ok=200):
    return {
        "anonymous": 302,
        "citizen": 404,
        "helper": 404,
        "caseworker": 404,
        "other caseworker": 404,
        "coordinator": ok,
    }


# rule → (method, path with {placeholders}, form data, expected status per role)
TABLE = {
    "/": ("GET", "/", None, public(303)),
    "/healthz": ("GET", "/healthz", None, public()),
    "/language/<code>": ("GET", "/language/ar?next=/guides/", None, public(303)),
    "/manifest.webmanifest": ("GET", "/manifest.webmanifest?lang=ar", None, public()),
    "/sw.js": ("GET", "/sw.js", None, public()),
    "/precache/<code>.json": ("GET", "/precache/so.json", None, public()),
    "/static/<path:filename>": ("GET", "/static/css/bro.css", None, public()),
    "/<lang>/": ("GET", "/en/", None, public()),
    "/<lang>/language": ("GET", "/en/language", None, public()),
    "/<lang>/help/<task>": ("GET", "/en/help/decision", None, public()),
    "/<lang>/guides/": ("GET", "/en/guides/", None, public()),
    "/<lang>/guides/<slug>": ("GET", "/en/guides/bring-a-companion", None, public()),
    "/<lang>/guides/<slug>/feedback": (
        "POST",
        "/en/guides/bring-a-companion/feedback",
        {"helpful": "yes"},
        public(303),
    ),
    "/<lang>/glossary": ("GET", "/en/glossary", None, public()),
    "/<lang>/search": ("GET", "/en/search?q=klage", None, public()),
    "/<lang>/help/read-aloud": ("GET", "/en/help/read-aloud", None, public()),
    "/<lang>/help/contacts": ("GET", "/en/help/contacts", None, public()),
    "/<lang>/offline": ("GET", "/en/offline", None, public()),
    "/<lang>/about/languages": ("GET", "/en/about/languages", None, public()),
    "/was": ("GET", "/was", None, public(303)),
    "/<lang>/about/privacy": ("GET", "/en/about/privacy", None, public()),
    "/<lang>/about/evaluation": ("GET", "/ar/about/evaluation", None, public()),
    "/<lang>/about/evaluation.csv": ("GET", "/en/about/evaluation.csv", None, public()),
    "/<lang>/about/evaluation/data": ("GET", "/ti/about/evaluation/data", None, public()),
    "/<lang>/about/accessibility": ("GET", "/ar/about/accessibility", None, public()),
    "/<lang>/language/missing": ("GET", "/en/language/missing", None, public()),
    "/<lang>/language/missing/thanks": ("GET", "/en/language/missing/thanks", None, public()),
    "/<lang>/about/accessibility/report": ("GET", "/en/about/accessibility/report", None, public()),
    "/<lang>/about/accessibility/report/thanks": (
        "GET",
        "/en/about/accessibility/report/thanks",
        None,
        public(),
    ),
    "/<lang>/activate": ("GET", "/en/activate", None, public()),
    "/<lang>/helper/join": ("GET", "/en/helper/join", None, public()),
    "/<lang>/login": ("GET", "/en/login", None, {"anonymous": 200} | dict.fromkeys(ROLES[1:], 303)),
    "/<lang>/logout": ("POST", "/en/logout", {}, public(303)),
    # The citizen's own pages.
    "/<lang>/me": ("GET", "/en/me", None, me()),
    "/<lang>/me/meetings": ("GET", "/en/me/meetings", None, me()),
    "/<lang>/me/meetings/<int:meeting_id>": ("GET", "/en/me/meetings/{meeting}", None, me()),
    "/<lang>/me/meetings/<int:meeting_id>.ics": (
        "GET",
        "/en/me/meetings/{meeting}.ics",
        None,
        me(),
    ),
    "/<lang>/me/meetings/<int:meeting_id>/checklist": (
        "POST",
        "/en/me/meetings/{meeting}/checklist",
        {"item": "1", "ticked": "y"},
        me(303),
    ),
    "/<lang>/me/meetings/<int:meeting_id>/feedback": (
        "GET",
        "/en/me/meetings/{past_meeting}/feedback",
        None,
        me(),
    ),
    "/<lang>/me/checkin": ("GET", "/en/me/checkin", None, me()),
    "/<lang>/me/decisions": ("GET", "/en/me/decisions", None, me()),
    "/<lang>/me/decisions/<int:decision_id>": ("GET", "/en/me/decisions/{decision}", None, me()),
    "/<lang>/me/decisions/<int:decision_id>/explain": (
        "POST",
        "/en/me/decisions/{decision}/explain",
        {},
        me(303),
    ),
    "/<lang>/me/interpreter": ("GET", "/en/me/interpreter", None, me()),
    "/<lang>/me/interpreter/new": ("GET", "/en/me/interpreter/new", None, me()),
    "/<lang>/me/interpreter/<int:request_id>": ("GET", "/en/me/interpreter/{request}", None, me()),
    "/<lang>/me/helpers": ("GET", "/en/me/helpers", None, me()),
    "/<lang>/me/helpers/<int:link_id>/revoke": (
        "POST",
        "/en/me/helpers/{spare_link}/revoke",
        {},
        me(303),
    ),
    "/<lang>/me/data": ("GET", "/en/me/data", None, me()),
    "/<lang>/me/data/print": ("GET", "/en/me/data/print", None, me()),
    # Without a record named: refused (the form is incomplete).
    "/<lang>/me/translations": ("POST", "/en/me/translations", {}, me(400)),
    # The same pages for a helper acting for the citizen.
    "/<lang>/helping": (
        "GET",
        "/en/helping",
        None,
        {"anonymous": 302, "citizen": 303, "helper": 200} | dict.fromkeys(ROLES[3:], 303),
    ),
    "/<lang>/helping/<int:citizen_id>": ("GET", "/en/helping/{citizen}", None, helping()),
    "/<lang>/helping/<int:citizen_id>/meetings": (
        "GET",
        "/en/helping/{citizen}/meetings",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/meetings/<int:meeting_id>": (
        "GET",
        "/en/helping/{citizen}/meetings/{meeting}",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/meetings/<int:meeting_id>.ics": (
        "GET",
        "/en/helping/{citizen}/meetings/{meeting}.ics",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/meetings/<int:meeting_id>/checklist": (
        "POST",
        "/en/helping/{citizen}/meetings/{meeting}/checklist",
        {"item": "1", "ticked": "y"},
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/checkin": (
        "GET",
        "/en/helping/{citizen}/checkin",
        None,
        helping(404),  # the check-in is the citizen's own voice
    ),
    "/<lang>/helping/<int:citizen_id>/decisions": (
        "GET",
        "/en/helping/{citizen}/decisions",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/decisions/<int:decision_id>": (
        "GET",
        "/en/helping/{citizen}/decisions/{decision}",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/decisions/<int:decision_id>/explain": (
        "POST",
        "/en/helping/{citizen}/decisions/{decision}/explain",
        {},
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/interpreter": (
        "GET",
        "/en/helping/{citizen}/interpreter",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/interpreter/new": (
        "GET",
        "/en/helping/{citizen}/interpreter/new",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/interpreter/<int:request_id>": (
        "GET",
        "/en/helping/{citizen}/interpreter/{request}",
        None,
        helping(),
    ),
    "/<lang>/helping/<int:citizen_id>/helpers": (
        "GET",
        "/en/helping/{citizen}/helpers",
        None,
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/helpers/<int:link_id>/revoke": (
        "POST",
        "/en/helping/{citizen}/helpers/{spare_link}/revoke",
        {},
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/data": (
        "GET",
        "/en/helping/{citizen}/data",
        None,
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/data/print": (
        "GET",
        "/en/helping/{citizen}/data/print",
        None,
        helping(404),
    ),
    "/<lang>/helping/<int:citizen_id>/translations": (
        "POST",
        "/en/helping/{citizen}/translations",
        {},
        helping(404),
    ),
    # Passkeys: for citizens and helpers; staff sign in with a password only.
    "/<lang>/account/passkeys": ("GET", "/en/account/passkeys", None, own_account()),
    "/<lang>/account/passkeys/options": (
        "POST",
        "/en/account/passkeys/options",
        {},
        own_account(),
    ),
    # Without the challenge from the options (and a signed answer): refused.
    "/<lang>/account/passkeys/add": ("POST", "/en/account/passkeys/add", {}, own_account(400)),
    "/<lang>/account/passkeys/<int:passkey_id>/remove": (
        "POST",
        "/en/account/passkeys/{passkey}/remove",
        {},
        own_account(303) | {"helper": 404},  # citizen03's passkey
    ),
    "/<lang>/login/passkey/options": ("POST", "/en/login/passkey/options", {}, public()),
    "/<lang>/login/passkey": ("POST", "/en/login/passkey", {}, public(400)),
    # Staff.
    "/<lang>/staff": ("GET", "/en/staff", None, staff()),
    "/<lang>/staff/citizens/new": ("GET", "/en/staff/citizens/new", None, staff()),
    "/<lang>/staff/absence": ("GET", "/en/staff/absence", None, staff()),
    "/<lang>/staff/interpreters": ("GET", "/en/staff/interpreters", None, staff()),
    "/<lang>/staff/feedback": ("GET", "/en/staff/feedback", None, staff()),
    "/<lang>/staff/citizens/<int:citizen_id>": (
        "GET",
        "/en/staff/citizens/{citizen}",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/letter": (
        "GET",
        "/en/staff/citizens/{citizen}/letter",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/code": (
        "POST",
        "/en/staff/citizens/{citizen}/code",
        {},
        staff_record(303),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/reset-access": (
        "GET",
        "/en/staff/citizens/{citizen}/reset-access",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/meetings/new": (
        "GET",
        "/en/staff/citizens/{citizen}/meetings/new",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/decisions/new": (
        "GET",
        "/en/staff/citizens/{citizen}/decisions/new",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/handover": (
        "GET",
        "/en/staff/citizens/{citizen}/handover",
        None,
        staff_record(),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/explanations/<int:request_id>/read": (
        "POST",
        "/en/staff/citizens/{citizen}/explanations/{explanation}/read",
        {},
        staff_record(303),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/checkins/<period>": (
        "GET",
        "/en/staff/citizens/{citizen}/checkins/2026-Q1",
        None,
        staff_record(),
    ),
    "/<lang>/staff/meetings/<int:meeting_id>/edit": (
        "GET",
        "/en/staff/meetings/{meeting}/edit",
        None,
        staff_record(),
    ),
    "/<lang>/staff/meetings/<int:meeting_id>/agreements": (
        "GET",
        "/en/staff/meetings/{meeting}/agreements",
        None,
        staff_record(),
    ),
    "/<lang>/staff/translations": ("GET", "/en/staff/translations", None, staff()),
    "/<lang>/staff/translations/<int:request_id>": (
        "GET",
        "/en/staff/translations/{translation}",
        None,
        staff_record(),
    ),
    "/<lang>/staff/meetings/<int:meeting_id>/cancel": (
        "POST",
        "/en/staff/meetings/{spare_meeting}/cancel",
        {},
        staff_record(303),
    ),
    "/<lang>/staff/decisions/<int:decision_id>/status": (
        "POST",
        "/en/staff/decisions/{decision}/status",
        {"status": "appealed"},
        staff_record(303),
    ),
    "/<lang>/staff/interpreters/<int:request_id>/book": (
        "POST",
        "/en/staff/interpreters/{request}/book",
        {"interpreter": "0"},
        staff_record(303),
    ),
    "/<lang>/staff/interpreters/<int:request_id>/<action>": (
        "POST",
        "/en/staff/interpreters/{spare_request}/done",
        {},
        staff_record(303),
    ),
    "/<lang>/staff/citizens/<int:citizen_id>/erase": (
        "GET",
        "/en/staff/citizens/{citizen}/erase",
        None,
        coordinator(),
    ),
    "/<lang>/staff/accounts": ("GET", "/en/staff/accounts", None, coordinator()),
    "/<lang>/staff/accounts/<int:user_id>/<action>": (
        "POST",
        "/en/staff/accounts/{staff_member}/reset",
        {},
        coordinator(),
    ),
    "/<lang>/staff/move-caseload": ("GET", "/en/staff/move-caseload", None, coordinator()),
    "/<lang>/staff/audit": ("GET", "/en/staff/audit", None, coordinator()),
    "/<lang>/staff/register": ("GET", "/en/staff/register", None, coordinator()),
    "/<lang>/staff/register/<int:interpreter_id>": (
        "GET",
        "/en/staff/register/1",
        None,
        coordinator(),
    ),
    "/<lang>/staff/register/import": ("GET", "/en/staff/register/import", None, coordinator()),
    "/<lang>/staff/report": ("GET", "/en/staff/report", None, coordinator()),
    "/<lang>/staff/report.csv": ("GET", "/en/staff/report.csv", None, coordinator()),
    "/<lang>/staff/report/changes": ("GET", "/en/staff/report/changes", None, coordinator()),
    "/<lang>/staff/report/changes/<int:change_id>/delete": (
        "POST",
        "/en/staff/report/changes/{change}/delete",
        {},
        coordinator(303),
    ),
    "/<lang>/staff/language-requests": ("GET", "/en/staff/language-requests", None, coordinator()),
    "/<lang>/staff/retention": ("GET", "/en/staff/retention", None, coordinator()),
    "/<lang>/staff/accessibility-reports": (
        "GET",
        "/en/staff/accessibility-reports",
        None,
        coordinator(),
    ),
}


def missing_entries(app) -> set[str]:
    """Rules of the app that the table does not cover."""
    return {rule.rule for rule in app.url_map.iter_rules()} - set(TABLE)


def test_every_route_has_an_entry(app):
    assert missing_entries(app) == set()
    assert set(TABLE) <= {rule.rule for rule in app.url_map.iter_rules()}  # no stale entries


def test_a_new_route_without_an_entry_is_caught(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "x.sqlite3")})

    @app.get("/<lang>/brand-new-page")
    def brand_new_page():
        return "new"

    assert missing_entries(app) == {"/<lang>/brand-new-page"}


@pytest.fixture
def ids(app, demo_logins):
    """The citizen's things (citizen03), plus spares that POSTs may change."""
    db = connect(app.config["DATABASE"])
    db.execute(
        "UPDATE staff_profiles SET substitute_id = NULL, absent_from = NULL, absent_to = NULL"
    )
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    now = clock.now_local().replace(tzinfo=None).isoformat()
    upcoming = db.execute(
        "SELECT id FROM meetings WHERE citizen_id = ? AND starts_at > ? ORDER BY starts_at",
        [citizen, now],
    ).fetchall()
    past = db.execute(
        "SELECT id FROM meetings WHERE citizen_id = ? AND ends_at < ?", [citizen, now]
    ).fetchone()[0]
    decision = db.execute("SELECT id FROM decisions WHERE citizen_id = ?", [citizen]).fetchone()[0]
    requests = db.execute(
        "SELECT id FROM interpreter_requests WHERE citizen_id = ? ORDER BY id", [citizen]
    ).fetchall()
    spare_helper = (
        db["users"]
        .insert(
            {
                "login": "spare-helper",
                "name": "Spare",
                "role": "helper",
                "password_hash": hasher.hash("x" * 12),
            }
        )
        .last_pk
    )
    spare_link = (
        db["helpers"]
        .insert({"citizen_id": citizen, "helper_id": spare_helper, "expires_on": "2099-01-01"})
        .last_pk
    )
    explanation = db["explanation_requests"].insert({"decision_id": decision}).last_pk
    passkey = (
        db["passkeys"]
        .insert({"user_id": citizen, "credential_id": b"route-table-key", "public_key": b"-"})
        .last_pk
    )
    change = (
        db["evaluation_changes"]
        .insert({"period": "2026-Q1", "tag": "meetings", "text_da": "Kortere ventetid."})
        .last_pk
    )
    return {
        "change": change,
        "citizen": citizen,
        "meeting": upcoming[0][0],
        "spare_meeting": upcoming[1][0],
        "past_meeting": past,
        "decision": decision,
        "request": requests[0][0],
        "spare_request": requests[1][0],
        "spare_link": spare_link,
        "explanation": explanation,
        "passkey": passkey,
        "translation": db.execute(
            "SELECT id FROM translation_requests WHERE citizen_id = ?", [citizen]
        ).fetchone()[0],
        "staff_member": db.execute("SELECT id FROM users WHERE login = 'caseworker2'").fetchone()[
            0
        ],
    }


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(app, demo_logins, ids, role, csrf):
    client = app.test_client()
    token = csrf(client.get("/en/login").get_data(as_text=True))
    if role != "anonymous":
        login = LOGINS[role]
        password = next(e["password"] for e in demo_logins if e["login"] == login)
        client.post("/en/login", data={"login": login, "password": password, "csrf_token": token})
        token = csrf(client.get("/en/me", follow_redirects=True).get_data(as_text=True))
    failures = []
    # POSTs that change things run last, so they cannot change what a GET sees.
    ordered = sorted(
        TABLE.items(), key=lambda item: (item[1][0] == "POST", item[0] == "/<lang>/logout")
    )
    for rule, (method, path, data, expected) in ordered:
        url = path.format(**ids)
        if method == "GET":
            status = client.get(url).status_code
        else:
            status = client.post(url, data={**(data or {}), "csrf_token": token}).status_code
        if status != expected[role]:
            failures.append(f"{method} {url} ({rule}): {status}, expected {expected[role]}")
    assert failures == []
