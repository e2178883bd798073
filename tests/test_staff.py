"""The caseworker's workspace and the coordinator's tools."""

import datetime
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from app import clock
from app.db import connect
from app.meeting_catalogue import PURPOSES


def _token(csrf, client) -> str:
    return csrf(client.get("/da/staff").get_data(as_text=True))


def _ids(app):
    db = connect(app.config["DATABASE"])
    return {row["login"]: row["id"] for row in db.query("SELECT id, login FROM users")}


def _caseworker_of(app, citizen_id: int) -> str:
    db = connect(app.config["DATABASE"])
    return db.execute(
        "SELECT u.login FROM assignments a JOIN users u ON u.id = a.caseworker_id "
        "WHERE a.citizen_id = ? AND a.valid_to IS NULL",
        [citizen_id],
    ).fetchone()[0]


# --- authorisation ---------------------------------------------------------------------------


@pytest.fixture
def staff_world(app, demo_logins):
    """No one is away, so substitutes play no part unless a test sets them."""
    db = connect(app.config["DATABASE"])
    db.execute(
        "UPDATE staff_profiles SET substitute_id = NULL, absent_from = NULL, absent_to = NULL"
    )
    ids = _ids(app)
    citizen = ids["citizen01"]  # caseworker1's citizen
    meeting = db.execute("SELECT id FROM meetings WHERE citizen_id = ?", [citizen]).fetchone()[0]
    decision = db.execute("SELECT id FROM decisions WHERE citizen_id = ?", [citizen]).fetchone()[0]
    return {"citizen": citizen, "meeting": meeting, "decision": decision, "ids": ids}


def _routes(world):
    c, m = world["citizen"], world["meeting"]
    record = [
        f"/da/staff/citizens/{c}",
        f"/da/staff/citizens/{c}/letter",
        f"/da/staff/citizens/{c}/meetings/new",
        f"/da/staff/meetings/{m}/edit",
        f"/da/staff/citizens/{c}/decisions/new",
        f"/da/staff/citizens/{c}/handover",
    ]
    general = ["/da/staff", "/da/staff/citizens/new", "/da/staff/absence"]
    coordinator = [
        "/da/staff/accounts",
        "/da/staff/move-caseload",
        "/da/staff/audit",
        f"/da/staff/citizens/{c}/erase",
        "/da/staff/language-requests",
    ]
    return record, general, coordinator


@pytest.mark.parametrize(
    ("who", "record", "general", "coordinator"),
    [
        (None, 302, 302, 302),
        ("citizen01", 404, 404, 404),
        ("helper1", 404, 404, 404),
        ("caseworker1", 200, 200, 404),  # the citizen's own caseworker
        ("caseworker2", 404, 200, 404),  # another caseload
        ("coordinator", 200, 200, 200),
    ],
)
def test_staff_route_matrix(app, demo_logins, staff_world, who, record, general, coordinator, auth):
    assert _caseworker_of(app, staff_world["citizen"]) == "caseworker1"
    client = auth(who, "da") if who else app.test_client()
    records_, generals, coordinators = _routes(staff_world)
    for url in records_:
        assert client.get(url).status_code == record, (who, url)
    for url in generals:
        assert client.get(url).status_code == general, (who, url)
    for url in coordinators:
        assert client.get(url).status_code == coordinator, (who, url)


def test_another_caseworker_cannot_write_to_a_record(app, demo_logins, staff_world, auth, csrf):
    client = auth("caseworker2", "da")
    token = _token(csrf, client)
    m, d, c = staff_world["meeting"], staff_world["decision"], staff_world["citizen"]
    for url, data in [
        (f"/da/staff/meetings/{m}/cancel", {}),
        (f"/da/staff/decisions/{d}/status", {"status": "closed"}),
        (f"/da/staff/citizens/{c}/code", {}),
        (f"/da/staff/citizens/{c}/handover", {"caseworker": "3", "reason_id": "team"}),
    ]:
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 404, url
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT status FROM meetings WHERE id = ?", [m]).fetchone()[0] == "scheduled"


def test_substitute_opens_records_only_during_the_absence(app, demo_logins, staff_world, auth):
    db = connect(app.config["DATABASE"])
    ids = staff_world["ids"]
    client = auth("caseworker2", "da")
    url = f"/da/staff/citizens/{staff_world['citizen']}"
    assert client.get(url).status_code == 404
    today = clock.today()
    db.execute(
        "UPDATE staff_profiles SET substitute_id = ?, absent_from = ?, absent_to = ? WHERE user_id = ?",
        [ids["caseworker2"], today.isoformat(), today.isoformat(), ids["caseworker1"]],
    )
    assert client.get(url).status_code == 200
    db.execute(
        "UPDATE staff_profiles SET absent_to = ? WHERE user_id = ?",
        [(today - datetime.timedelta(days=1)).isoformat(), ids["caseworker1"]],
    )
    assert client.get(url).status_code == 404


def test_other_prefixes_get_the_english_staff_screen(app, demo_logins, auth):
    client = auth("caseworker1", "da")
    response = client.get("/ar/staff")
    assert response.status_code == 303 and response.headers["Location"] == "/en/staff"
    assert '<html lang="en" dir="ltr">' in client.get("/en/staff").get_data(as_text=True)


def test_every_staff_look_is_audited(app, demo_logins, staff_world, auth):
    client = auth("caseworker1", "da")
    client.get(f"/da/staff/citizens/{staff_world['citizen']}")
    db = connect(app.config["DATABASE"])
    rows = list(
        db.query(
            "SELECT a.action FROM audit_log a JOIN users u ON u.audit_id = a.subject_id "
            "WHERE u.id = ? AND a.action LIKE 'staff-view%'",
            [staff_world["citizen"]],
        )
    )
    assert rows == [{"action": "staff-view staff.citizen"}]


def test_staff_sessions_are_never_remembered(app, demo_logins, csrf):
    client = app.test_client()
    entry = next(e for e in demo_logins if e["login"] == "caseworker1")
    token = csrf(client.get("/da/login").get_data(as_text=True))
    response = client.post(
        "/da/login",
        data={
            "login": "caseworker1",
            "password": entry["password"],
            "remember": "y",
            "csrf_token": token,
        },
    )
    assert not any(c.startswith("remember_token") for c in response.headers.getlist("Set-Cookie"))


# --- workspace ------------------------------------------------------------------------------


def test_caseload_lists_my_citizens_with_search_and_filter(app, demo_logins, staff_world, auth):
    client = auth("caseworker1", "da")
    html = client.get("/da/staff").get_data(as_text=True)
    names = re.findall(r'/da/staff/citizens/\d+"><bdi>([^<]+)</bdi>', html)
    assert sorted(names) == ["Lars Demo", "Selam Demo", "Shilan Demo", "Shirin Demo"]
    filtered = client.get("/da/staff?language=ti").get_data(as_text=True)
    assert re.findall(r"<bdi>([^<]+)</bdi></a>", filtered) == ["Selam Demo"]
    searched = client.get("/da/staff?q=citizen07").get_data(as_text=True)
    assert re.findall(r"<bdi>([^<]+)</bdi></a>", searched) == ["Shilan Demo"]
    odd = client.get("/da/staff?q=%25_%5C").get_data(as_text=True)
    assert "Lars Demo" not in odd  # % and _ are matched literally, not as wildcards


def test_new_citizen_gets_a_letter_and_reissue_voids_the_code(app, demo_logins, auth, csrf):
    client = auth("caseworker1", "da")
    page = client.get("/da/staff/citizens/new").get_data(as_text=True)
    response = client.post(
        "/da/staff/citizens/new",
        data={
            "name": "Faadumo Eksempel",
            "lang": "so",
            "interpreter_language": "so",
            "interpreter_dialect": "",
            "phone": "+45 11 22 33 44",
            "caseworker": str(_ids(app)["caseworker1"]),
            "csrf_token": csrf(page),
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/letter")
    letter = client.get(response.headers["Location"]).get_data(as_text=True)
    first = re.search(
        r'class="code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<', letter
    ).group(1)
    assert 'lang="so"' in letter and 'lang="da"' in letter and "<svg" in letter
    citizen_id = re.search(r"/staff/citizens/(\d+)/letter", response.headers["Location"]).group(1)
    again = client.post(f"/da/staff/citizens/{citizen_id}/code", data={"csrf_token": csrf(letter)})
    second_letter = client.get(again.headers["Location"]).get_data(as_text=True)
    second = re.search(
        r'class="code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<', second_letter
    ).group(1)
    assert second != first
    citizen = app.test_client()
    form = citizen.get("/so/activate").get_data(as_text=True)
    old = citizen.post(
        "/so/activate",
        data={"code": first, "password": "a long good passphrase", "csrf_token": csrf(form)},
    )
    assert old.status_code == 422


def test_bad_citizen_form_is_a_422_with_input_kept(app, demo_logins, auth, csrf):
    client = auth("caseworker1", "da")
    page = client.get("/da/staff/citizens/new").get_data(as_text=True)
    response = client.post(
        "/da/staff/citizens/new",
        data={
            "name": "",
            "lang": "xx",
            "phone": "not a phone",
            "caseworker": "2",
            "csrf_token": csrf(page),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'value="not a phone"' in html


def test_meeting_form_rejects_bad_input_and_saves_good(app, demo_logins, staff_world, auth, csrf):
    client = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{staff_world['citizen']}/meetings/new"
    token = csrf(client.get(url).get_data(as_text=True))
    db = connect(app.config["DATABASE"])
    before = db.execute("SELECT count(*) FROM meetings").fetchone()[0]
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    bad = [
        {"kind": "jobcenter-meeting", "day": "2020-01-01", "start": "10:00", "end": "11:00"},
        {"kind": "jobcenter-meeting", "day": tomorrow, "start": "10:00", "end": "09:00"},
        {"kind": "no-such-kind", "day": tomorrow, "start": "10:00", "end": "11:00"},
        {
            "kind": "jobcenter-meeting",
            "day": tomorrow,
            "start": "10:00",
            "end": "11:00",
            "purpose": "x" * 5000,
        },
        {
            "kind": "jobcenter-meeting",
            "day": tomorrow,
            "start": "10:00",
            "end": "11:00",
            "video_url": "javascript:alert(1)",
        },
        {
            "kind": "jobcenter-meeting",
            "day": tomorrow,
            "start": "10:00",
            "end": "11:00",
            "interpreter_needed": "y",
        },
    ]
    for data in bad:
        response = client.post(url, data={**data, "csrf_token": token})
        assert response.status_code == 422, data
        assert 'class="error-summary"' in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM meetings").fetchone()[0] == before
    good = client.post(
        url,
        data={
            "kind": "jobcenter-meeting",
            "day": tomorrow,
            "start": "10:00",
            "end": "11:00",
            "purpose": "Vi taler om din plan.",
            "purposes": ["jobcenter.plan"],
            "csrf_token": token,
        },
    )
    assert good.status_code == 303
    assert db.execute("SELECT count(*) FROM meetings").fetchone()[0] == before + 1


def test_a_meeting_without_a_purpose_is_refused_and_keeps_what_was_typed(
    app, demo_logins, staff_world, auth, csrf
):
    client = auth("caseworker1", "en")
    url = f"/en/staff/citizens/{staff_world['citizen']}/meetings/new"
    token = csrf(client.get(url).get_data(as_text=True))
    db = connect(app.config["DATABASE"])
    before = db.execute("SELECT count(*) FROM meetings").fetchone()[0]
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    typed = {
        "kind": "jobcenter-meeting",
        "day": tomorrow,
        "start": "10:00",
        "end": "11:00",
        "place": "Jobcenter Aarhus, lokale 4",
        "purpose": "Husk dit sygefravær.",
        "csrf_token": token,
    }
    refused = client.post(url, data=typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'class="error-summary"' in page and 'href="#purposes"' in page
    assert "Choose at least one purpose" in page
    assert "Jobcenter Aarhus, lokale 4" in page and "Husk dit sygefravær." in page
    # A purpose from another kind of meeting is refused too; the ticked boxes stay ticked.
    wrong = client.post(url, data={**typed, "purposes": ["jobcenter.plan", "school.how"]})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Choose purposes for this kind of meeting" in page
    assert re.search(r'value="jobcenter.plan" checked', page)
    assert re.search(r'value="school.how" checked', page)
    assert db.execute("SELECT count(*) FROM meetings").fetchone()[0] == before


def test_purposes_reach_the_citizen_in_tigrinya_and_free_text_stays_danish(
    app, demo_logins, auth, csrf
):
    ids = _ids(app)
    citizen = ids["citizen10"]  # Tigrinya, caseworker1's citizen
    staff = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{citizen}/meetings/new"
    token = csrf(staff.get(url).get_data(as_text=True))
    day = (clock.today() + datetime.timedelta(days=1)).isoformat()
    saved = staff.post(
        url,
        data={"kind": "jobcenter-meeting", "day": day, "start": "08:00", "end": "08:30",
              "purposes": ["jobcenter.plan", "jobcenter.offer"],
              "purpose": "Tag dit CV med.", "csrf_token": token},
    )  # fmt: skip
    assert saved.status_code == 303
    db = connect(app.config["DATABASE"])
    meeting = db.execute("SELECT max(id) FROM meetings").fetchone()[0]
    stored = {r[0] for r in db.execute(
        "SELECT purpose_id FROM meeting_purposes WHERE meeting_id = ?", [meeting])}  # fmt: skip
    assert stored == {"jobcenter.plan", "jobcenter.offer"}

    with app.test_request_context("/ti/"), force_locale("ti"):
        wanted = [str(PURPOSES[key].text) for key in ("jobcenter.plan", "jobcenter.offer")]
    with app.test_request_context("/en/"), force_locale("en"):
        english = [str(PURPOSES[key].text) for key in ("jobcenter.plan", "jobcenter.offer")]
    assert wanted != english  # the Tigrinya catalog has them

    me = auth("citizen10", "ti")
    page = me.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    for text in wanted:
        assert text in page
    assert 'href="/ti/guides/jobcenter-meeting#why"' in page
    assert re.search(r'<span lang="da" dir="auto">Tag dit CV med\.</span>', page)
    assert page.count("Tag dit CV med.") == 1
    home = me.get("/ti/me").get_data(as_text=True)
    assert wanted[0] in home  # it is the next meeting


def test_decision_deadline_is_computed(app, demo_logins, staff_world, auth, csrf):
    client = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{staff_world['citizen']}/decisions/new"
    token = csrf(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "title": "Afgørelse om ydelse",
            "area": "benefit",
            "outcome": "reduced",
            "decided_on": "2026-11-03",
            "received_on": "2026-11-05",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    db = connect(app.config["DATABASE"])
    row = db.execute(
        "SELECT appeal_deadline FROM decisions WHERE title = 'Afgørelse om ydelse'"
    ).fetchone()
    assert row[0] == "2026-12-03"
    future = client.post(
        url,
        data={
            "title": "X",
            "area": "benefit",
            "outcome": "reduced",
            "decided_on": "2026-11-03",
            "received_on": "2099-01-01",
            "csrf_token": token,
        },
    )
    assert future.status_code == 422


def test_a_decision_without_an_outcome_is_refused_and_keeps_what_was_typed(
    app, demo_logins, staff_world, auth, csrf
):
    client = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{staff_world['citizen']}/decisions/new"
    token = csrf(client.get(url).get_data(as_text=True))
    db = connect(app.config["DATABASE"])
    before = db.execute("SELECT count(*) FROM decisions").fetchone()[0]
    response = client.post(
        url,
        data={
            "title": "Afgørelse om hjælp til briller",
            "area": "health-aid",
            "outcome": "",
            "decided_on": "2026-11-03",
            "received_on": "2026-11-05",
            "csrf_token": token,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in page and 'href="#outcome"' in page
    assert 'value="Afgørelse om hjælp til briller"' in page
    assert re.search(
        r'<option selected value="health-aid">|<option value="health-aid" selected', page
    )
    assert 'value="2026-11-05"' in page
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == before
    only_children = client.post(
        url,
        data={
            "title": "Afgørelse",
            "area": "benefit",
            "outcome": "refused",
            "committee": "y",
            "decided_on": "2026-11-03",
            "received_on": "2026-11-05",
            "csrf_token": token,
        },
    )
    assert only_children.status_code == 422


def test_a_recorded_decision_is_headed_in_tigrinya_with_the_danish_title_kept(
    app, demo_logins, staff_world, auth, csrf
):
    """Caseworker records area + outcome; the Tigrinya citizen reads the heading in Tigrinya."""
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen10'").fetchone()[0]
    assert db.execute("SELECT lang FROM users WHERE id = ?", [citizen]).fetchone()[0] == "ti"
    staff = auth(_caseworker_of(app, citizen), "da")
    url = f"/da/staff/citizens/{citizen}/decisions/new"
    token = csrf(staff.get(url).get_data(as_text=True))
    title = "Afgørelse om tilskud til briller efter aktivloven"
    response = staff.post(
        url,
        data={
            "title": title,
            "area": "health-aid",
            "outcome": "refused",
            "decided_on": "2026-11-03",
            "received_on": "2026-11-05",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    decision_id = db.execute("SELECT id FROM decisions WHERE title = ?", [title]).fetchone()[0]

    citizen_client = auth("citizen10", "ti")
    page = citizen_client.get(f"/ti/me/decisions/{decision_id}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
    assert heading == "ሕቶኹም ተነጺጉ"  # "Your application is refused", in Tigrinya
    assert title not in heading
    # The Danish title appears only inside an element marked Danish.
    assert re.search(r'lang="da">' + re.escape(title) + "<", page)
    assert page.count(title) == 1
    assert "ኣርእስቲ እቲ ደብዳበ፣ ብዴንማርክኛ" in page  # "The letter's title, in Danish"
    assert 'href="/ti/guides/decisions-and-appeals#how-to-appeal"' in page
    assert "genvurdering" in page  # the complaint goes to the municipality first


def test_a_committee_decision_on_a_weekend_deadline(app, demo_logins, staff_world, auth, csrf):
    """Received on a Saturday: 4 weeks end on a Saturday, so the last day is the Monday after;
    a children and young people committee decision goes straight to Ankestyrelsen."""
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen02'").fetchone()[0]
    staff = auth(_caseworker_of(app, citizen), "da")
    url = f"/da/staff/citizens/{citizen}/decisions/new"
    token = csrf(staff.get(url).get_data(as_text=True))
    response = staff.post(
        url,
        data={
            "title": "Afgørelse om anbringelse uden for hjemmet",
            "area": "children-family",
            "outcome": "changed",
            "committee": "y",
            "decided_on": "2026-10-09",
            "received_on": "2026-10-10",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    row = db.execute(
        "SELECT id, appeal_deadline, committee FROM decisions WHERE title = ?",
        ["Afgørelse om anbringelse uden for hjemmet"],
    ).fetchone()
    assert row[1] == "2026-11-09" and row[2] == 1
    page = auth("citizen02", "en").get(f"/en/me/decisions/{row[0]}")
    text = page.get_data(as_text=True)
    assert "Monday, November 9, 2026" in text
    assert "4 weeks after you received it is Saturday, November 7, 2026." in text
    assert "Your complaint goes straight to Ankestyrelsen" in text
    assert "genvurdering" not in text


def test_hand_over_keeps_history_and_the_citizen_sees_it(app, demo_logins, staff_world, auth, csrf):
    client = auth("caseworker1", "da")
    citizen_id = staff_world["citizen"]
    url = f"/da/staff/citizens/{citizen_id}/handover"
    token = csrf(client.get(url).get_data(as_text=True))
    new_id = staff_world["ids"]["caseworker2"]
    response = client.post(
        url,
        data={
            "caseworker": str(new_id),
            "reason_id": "team",
            "reason": "Ny afdeling",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    assert client.get(f"/da/staff/citizens/{citizen_id}").status_code == 404  # no longer mine
    newcomer = auth("caseworker2", "da")
    record = newcomer.get(f"/da/staff/citizens/{citizen_id}").get_data(as_text=True)
    assert "Ny afdeling" in record and "Mette Demo" in record  # the history stays
    assert record.count('class="card"') >= 6  # past meetings and decisions are there
    citizen = auth("citizen01", "da")
    page = citizen.get("/da/me").get_data(as_text=True)
    assert "Jonas Eksempel" in page and "Ny afdeling" in page and "Mette Demo" in page
    assert "Din sag er flyttet til et andet team." in page  # the reason, in the citizen's words


def test_hand_over_needs_a_reason_from_the_list(auth, csrf, staff_world):
    client = auth("caseworker1", "en")
    url = f"/en/staff/citizens/{staff_world['citizen']}/handover"
    token = csrf(client.get(url).get_data(as_text=True))
    new_id = staff_world["ids"]["caseworker2"]
    response = client.post(
        url, data={"caseworker": str(new_id), "reason": "Ny afdeling", "csrf_token": token}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a reason" in page and 'value="Ny afdeling"' in page  # what was typed stays


def test_move_a_whole_caseload(app, demo_logins, staff_world, auth, csrf):
    client = auth("coordinator", "da")
    ids = staff_world["ids"]
    token = csrf(client.get("/da/staff/move-caseload").get_data(as_text=True))
    response = client.post(
        "/da/staff/move-caseload",
        data={
            "source": str(ids["caseworker1"]),
            "target": str(ids["caseworker3"]),
            "reason_id": "workload",
            "reason": "Omlægning",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    db = connect(app.config["DATABASE"])
    assert (
        db.execute(
            "SELECT count(*) FROM assignments WHERE caseworker_id = ? AND valid_to IS NULL",
            [ids["caseworker1"]],
        ).fetchone()[0]
        == 0
    )


def test_coordinator_resets_a_password_and_deactivates(app, demo_logins, staff_world, auth, csrf):
    client = auth("coordinator", "da")
    target = staff_world["ids"]["caseworker2"]
    token = csrf(client.get("/da/staff/accounts").get_data(as_text=True))
    reset = client.post(f"/da/staff/accounts/{target}/reset", data={"csrf_token": token})
    code = re.search(r'class="code" dir="ltr">([^<]+)<', reset.get_data(as_text=True)).group(1)
    fresh = app.test_client()
    form = fresh.get("/en/activate").get_data(as_text=True)
    done = fresh.post(
        "/en/activate",
        data={"code": code, "password": "brand new staff pass", "csrf_token": csrf(form)},
    )
    assert done.status_code == 303 and done.headers["Location"] == "/en/staff"
    client.post(f"/da/staff/accounts/{target}/deactivate", data={"csrf_token": token})
    assert fresh.get("/en/staff").status_code == 302  # signed out at once


def test_audit_log_viewer_filters(app, demo_logins, staff_world, auth):
    caseworker = auth("caseworker1", "da")
    caseworker.get(f"/da/staff/citizens/{staff_world['citizen']}")
    coordinator = auth("coordinator", "da")
    html = coordinator.get("/da/staff/audit?actor=caseworker1&subject=citizen01").get_data(
        as_text=True
    )
    assert "staff-view staff.citizen" in html and "<bdi>Lars Demo</bdi>" in html
    none = coordinator.get("/da/staff/audit?actor=nobody-at-all").get_data(as_text=True)
    assert "staff-view" not in none


def test_erasure_leaves_no_trace_but_keeps_the_audit_rows(
    app, demo_logins, staff_world, auth, csrf
):
    citizen_id = staff_world["citizen"]
    db = connect(app.config["DATABASE"])
    person = db.execute("SELECT name, login FROM users WHERE id = ?", [citizen_id]).fetchone()
    citizen = auth(person["login"], "da")
    citizen.get("/da/me")
    coordinator = auth("coordinator", "da")
    page = coordinator.get(f"/da/staff/citizens/{citizen_id}/erase").get_data(as_text=True)
    assert "meetings: 3" in page and "decisions: 3" in page
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    wrong = coordinator.post(
        f"/da/staff/citizens/{citizen_id}/erase",
        data={"confirm": "nope", "csrf_token": csrf(page)},
    )
    assert wrong.status_code == 422
    done = coordinator.post(
        f"/da/staff/citizens/{citizen_id}/erase",
        data={"confirm": person["login"], "csrf_token": csrf(page)},
    )
    assert done.status_code == 303
    assert (
        db.execute("SELECT count(*) FROM audit_log").fetchone()[0] > audit_before
    )  # kept, plus one
    # No column of any table holds the name, the login id or the user id any more.
    id_columns = (
        "id",
        "user_id",
        "citizen_id",
        "helper_id",
        "requested_by",
        "actor_id",
        "subject_id",
    )
    for table in db.table_names():
        if table.startswith("search_index"):
            continue
        for column in db[table].columns:
            for value in (person["name"], person["login"]):
                hit = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column.name}" = ?', [value]
                ).fetchone()[0]
                assert hit == 0, (table, column.name, value)
            if column.name in id_columns and table in (
                "users",
                "citizens",
                "meetings",
                "decisions",
                "helpers",
                "assignments",
                "activation_codes",
            ):
                hit = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column.name}" = ?', [citizen_id]
                ).fetchone()[0]
                assert hit == 0 or column.name == "id", (table, column.name)
    assert db.execute("SELECT count(*) FROM users WHERE id = ?", [citizen_id]).fetchone()[0] == 0
    # And not in the bytes of the database file either (secure_delete + checkpoint).
    db.close()
    raw = Path(app.config["DATABASE"]).read_bytes()
    wal = Path(app.config["DATABASE"] + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert person["name"].encode() not in raw
    assert person["login"].encode() not in raw


def test_agreements_are_recorded_and_reach_the_citizen_in_tigrinya(app, demo_logins, auth, csrf):
    from icalendar import Calendar

    from app.meeting_catalogue import WHO, step

    ids = _ids(app)
    citizen = ids["citizen10"]  # Tigrinya, caseworker1's citizen
    staff = auth("caseworker1", "en")
    new = f"/en/staff/citizens/{citizen}/meetings/new"
    token = csrf(staff.get(new).get_data(as_text=True))
    day = clock.today() + datetime.timedelta(days=1)
    staff.post(
        new,
        data={"kind": "jobcenter-meeting", "day": day.isoformat(), "start": "08:00",
              "end": "08:30", "purposes": ["jobcenter.plan", "jobcenter.offer"],
              "csrf_token": token},
    )  # fmt: skip
    db = connect(app.config["DATABASE"])
    meeting = db.execute("SELECT max(id) FROM meetings").fetchone()[0]
    url = f"/en/staff/meetings/{meeting}/agreements"
    form = staff.get(url)
    assert form.status_code == 200 and "Start the offer we talked about" in form.get_data(True)

    empty = staff.post(url, data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Choose at least one next step" in empty.get_data(as_text=True)
    no_who = staff.post(url, data={"rows-0-step": "jobcenter.start-offer", "csrf_token": token})
    page = no_who.get_data(as_text=True)
    assert no_who.status_code == 422 and "Choose who does this step" in page
    assert 'href="#rows-0-who"' in page
    assert re.search(r'<option selected value="jobcenter.start-offer">', page)
    foreign = staff.post(
        url, data={"rows-0-step": "school.home", "rows-0-who": "you", "csrf_token": token}
    )
    # A step of another kind of meeting is not a choice.
    assert foreign.status_code == 422 and 'href="#rows-0-step"' in foreign.get_data(as_text=True)

    due = day + datetime.timedelta(days=14)
    saved = staff.post(
        url,
        data={"rows-0-step": "jobcenter.start-offer", "rows-0-who": "you",
              "rows-0-due": due.isoformat(), "rows-1-step": "common.decision",
              "rows-1-who": "we", "note": "Husk dine lønsedler.", "csrf_token": token},
    )  # fmt: skip
    assert saved.status_code == 303
    rows = db.execute(
        "SELECT step_id, who, due_on FROM meeting_agreements WHERE meeting_id = ? "
        "ORDER BY position",
        [meeting],
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("jobcenter.start-offer", "you", due.isoformat()),
        ("common.decision", "we", None),
    ]

    with app.test_request_context("/ti/"), force_locale("ti"):
        wanted = [
            str(step("jobcenter-meeting", "jobcenter.start-offer").text),
            str(step("jobcenter-meeting", "common.decision").text),
            str(WHO["you"]),
            str(WHO["we"]),
            str(PURPOSES["jobcenter.plan"].text),
            str(PURPOSES["jobcenter.offer"].text),
        ]
        heading = gettext("What we agreed")
    me = auth("citizen10", "ti")
    page = me.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    for text in [*wanted, heading]:
        assert text in page, text
    assert "Start the offer" not in page  # no English left in the Tigrinya page
    assert re.search(r'<span lang="da" dir="auto">Husk dine lønsedler\.</span>', page)
    assert page.count("Husk dine lønsedler.") == 1

    # The next meeting after it carries what was agreed in its calendar file, in Tigrinya.
    later = db.execute(
        "SELECT id FROM meetings WHERE citizen_id = ? AND starts_at > ? AND status = 'scheduled' "
        "ORDER BY starts_at LIMIT 1",
        [citizen, f"{day.isoformat()}T08:00:00"],
    ).fetchone()[0]
    ics = me.get(f"/ti/me/meetings/{later}.ics")
    event = next(c for c in Calendar.from_ical(ics.data).walk() if c.name == "VEVENT")
    description = str(event["description"])
    assert heading in description and wanted[0] in description and wanted[1] in description
    assert "Husk dine lønsedler." in description

    download = me.get("/ti/me/data").get_json(force=True)
    assert {a["step_id"] for a in download["meeting_agreements"]} >= {
        "jobcenter.start-offer",
        "common.decision",
    }
