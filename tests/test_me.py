"""The citizen's pages and helpers: authorisation, deadlines, checklists, forms, data."""

import datetime
import json
import re

import pytest

from app import clock
from app.db import connect
from app.passwords import hasher
from app.records import appeal_deadline, days_left, four_weeks_after

# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        ("2026-11-05", "2026-12-03"),  # a Thursday → the Thursday 4 weeks later
        ("2026-01-15", "2026-02-12"),  # across a month end
        ("2026-12-17", "2027-01-14"),  # across a year end
        ("2028-02-10", "2028-03-09"),  # across a leap day (29 February 2028)
        ("2027-02-10", "2027-03-10"),  # the same dates in a common year
        ("2026-03-10", "2026-04-07"),  # across the spring change to summer time (29 March)
        ("2026-10-10", "2026-11-07"),  # across the autumn change back (25 October)
        ("2028-02-29", "2028-03-28"),  # received on a leap day
    ],
)
def test_4_weeks_end_on_the_same_weekday_4_weeks_later(received, deadline):
    got = four_weeks_after(datetime.date.fromisoformat(received))
    assert got.isoformat() == deadline
    assert got.weekday() == datetime.date.fromisoformat(received).weekday()


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        ("2026-11-05", "2026-12-03"),  # a Thursday 4 weeks later is a working day: no change
        ("2026-10-10", "2026-11-09"),  # received on a Saturday → Saturday 7 Nov → Monday 9 Nov
        ("2026-10-11", "2026-11-09"),  # a Sunday → Monday
        ("2026-03-06", "2026-04-07"),  # Good Friday 3 April 2026 → past Easter Monday → Tuesday
        ("2026-04-16", "2026-05-15"),  # Ascension Day, Thursday 14 May 2026 → Friday 15 May
        ("2026-11-27", "2026-12-28"),  # Friday 25 December → Monday 28 December
        ("2026-11-28", "2026-12-28"),  # Saturday 26 December (Boxing Day too) → Monday 28
        ("2027-05-08", "2027-06-07"),  # Saturday 5 June (grundlovsdag) → Monday 7 June
        ("2027-12-03", "2027-12-31"),  # New Year's Eve is not a public holiday: no change
    ],
)
def test_a_deadline_on_a_weekend_or_public_holiday_moves_to_the_next_working_day(
    received, deadline
):
    assert appeal_deadline(datetime.date.fromisoformat(received)).isoformat() == deadline


def test_days_left_counts_danish_days():
    deadline = datetime.date(2026, 12, 3)
    assert days_left(deadline, datetime.date(2026, 11, 30)) == 3
    assert days_left(deadline, datetime.date(2026, 12, 3)) == 0
    assert days_left(deadline, datetime.date(2026, 12, 4)) == -1


# --- authorisation matrix -----------------------------------------------------------------


@pytest.fixture
def world(app, demo_logins):
    """Demo data plus helpers whose access was revoked or has expired."""
    db = connect(app.config["DATABASE"])
    ids = {row["login"]: row["id"] for row in db.query("SELECT id, login FROM users")}
    citizen_a, citizen_b = ids["citizen03"], ids["citizen01"]
    today = clock.today()
    extra = {}
    for login, revoked, expires in (
        ("helper-revoked", "2026-01-01T00:00:00Z", today + datetime.timedelta(days=30)),
        ("helper-expired", None, today - datetime.timedelta(days=1)),
    ):
        user_id = (
            db["users"]
            .insert(
                {
                    "login": login,
                    "name": login,
                    "role": "helper",
                    "lang": "en",
                    "password_hash": hasher.hash("a good long password"),
                }
            )
            .last_pk
        )
        db["helpers"].insert(
            {
                "citizen_id": citizen_a,
                "helper_id": user_id,
                "expires_on": expires.isoformat(),
                "revoked_at": revoked,
            }
        )
        extra[login] = "a good long password"
    meeting = db.execute("SELECT id FROM meetings WHERE citizen_id = ?", [citizen_a]).fetchone()[0]
    decision = db.execute("SELECT id FROM decisions WHERE citizen_id = ?", [citizen_a]).fetchone()[
        0
    ]
    link = db.execute("SELECT id FROM helpers WHERE citizen_id = ?", [citizen_a]).fetchone()[0]
    caseworker_a = db.execute(
        "SELECT u.login FROM assignments a JOIN users u ON u.id = a.caseworker_id "
        "WHERE a.citizen_id = ? AND a.valid_to IS NULL",
        [citizen_a],
    ).fetchone()[0]
    other_caseworker = next(f"caseworker{n}" for n in (1, 2, 3) if f"caseworker{n}" != caseworker_a)
    passwords = {e["login"]: e["password"] for e in demo_logins} | extra
    return {
        "a": citizen_a,
        "b": citizen_b,
        "meeting": meeting,
        "decision": decision,
        "link": link,
        "passwords": passwords,
        "actors": {
            "anonymous": None,
            "citizen A": "citizen03",
            "citizen B": "citizen01",
            "helper of A": "helper1",
            "revoked helper": "helper-revoked",
            "expired helper": "helper-expired",
            "caseworker of A": caseworker_a,
            "another caseworker": other_caseworker,
            "coordinator": "coordinator",
        },
    }


def _client_for(csrf, app, world, actor):
    client = app.test_client()
    login = world["actors"][actor]
    if login:
        token = csrf(client.get("/en/login").get_data(as_text=True))
        response = client.post(
            "/en/login",
            data={"login": login, "password": world["passwords"][login], "csrf_token": token},
        )
        assert response.status_code == 303, (actor, response.status_code)
    return client


# What each actor gets for A's things under /me (their own pages) and /helping/<A>.
ME = {
    "anonymous": 302,
    "citizen A": 200,
    "citizen B": 404,
    "helper of A": 303,
    "revoked helper": 303,
    "expired helper": 303,
    "caseworker of A": 303,
    "another caseworker": 303,
    "coordinator": 303,
}
HELPING = {actor: 404 for actor in ME} | {"anonymous": 302, "helper of A": 200}


def _routes(world):
    m, d = world["meeting"], world["decision"]
    a = world["a"]
    own = [f"/en/me/meetings/{m}", f"/en/me/meetings/{m}.ics", f"/en/me/decisions/{d}"]
    helping = [
        f"/en/helping/{a}",
        f"/en/helping/{a}/meetings",
        f"/en/helping/{a}/meetings/{m}",
        f"/en/helping/{a}/meetings/{m}.ics",
        f"/en/helping/{a}/decisions",
        f"/en/helping/{a}/decisions/{d}",
    ]
    return own, helping


@pytest.mark.parametrize("actor", list(ME))
def test_authorisation_matrix_for_reading(app, world, actor, csrf):
    client = _client_for(csrf, app, world, actor)
    own, helping = _routes(world)
    for url in own:
        expected = ME[actor]
        if actor == "citizen B":
            expected = 404  # A's ids under B's own pages
        assert client.get(url).status_code == expected, (actor, url)
    for url in helping:
        assert client.get(url).status_code == HELPING[actor], (actor, url)
    # Pages of one's own without an id: a citizen sees theirs, others are sent home.
    for url in ("/en/me", "/en/me/meetings", "/en/me/decisions", "/en/me/helpers", "/en/me/data"):
        expected = 200 if actor.startswith("citizen") else ME[actor]
        assert client.get(url).status_code == expected, (actor, url)


@pytest.mark.parametrize("actor", list(ME))
def test_authorisation_matrix_for_writing(app, world, actor, csrf):
    client = _client_for(csrf, app, world, actor)
    # Signed in, the sign-out form of one's own page carries the token (public pages are the
    # same bytes for everyone, so they carry none); anonymous, the login form.
    page = "/en/login" if actor == "anonymous" else "/en/me"
    token = csrf(client.get(page, follow_redirects=True).get_data(as_text=True))
    m, d, a, link = world["meeting"], world["decision"], world["a"], world["link"]
    posts = {
        f"/en/me/meetings/{m}/checklist": {"item": "1", "ticked": "y"},
        f"/en/me/decisions/{d}/explain": {},
        f"/en/me/helpers/{link}/revoke": {},
        f"/en/helping/{a}/meetings/{m}/checklist": {"item": "1", "ticked": "y"},
        f"/en/helping/{a}/decisions/{d}/explain": {},
        f"/en/helping/{a}/helpers/{link}/revoke": {},
    }
    for url, data in posts.items():
        status = client.post(url, data={**data, "csrf_token": token}).status_code
        if actor == "anonymous":
            expected = 302
        elif actor == "citizen A" and url.startswith("/en/me/"):
            expected = 303
        elif url.startswith("/en/me/") and not actor.startswith("citizen"):
            expected = 303
        else:
            expected = 404  # B on A's ids; helpers may only read; staff are not helpers
        assert status == expected, (actor, url, status)


# --- pages --------------------------------------------------------------------------------


def test_my_page_shows_caseworker_meeting_and_deadlines(client, demo_logins, login_as):
    login_as(client, demo_logins, "citizen", "ar")
    response = client.get("/ar/me")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    assert 'href="tel:' in html
    assert "Mette Demo" in html  # the substitute while Sara Demo is away
    assert "Jonas Eksempel" in html  # the previous caseworker, with the reason for the change
    assert (
        html.count('class="deadline') == 2
    )  # deadlines in 3 and 20 days; the passed one is not open


def test_checklist_tick_is_saved_both_ways(app, client, demo_logins, csrf, login_as):
    login_as(client, demo_logins, "citizen", "da")
    meetings = client.get("/da/me/meetings").get_data(as_text=True)
    meeting_id = re.findall(r'href="/da/me/meetings/(\d+)"', meetings)[0]
    page = client.get(f"/da/me/meetings/{meeting_id}").get_data(as_text=True)
    token = csrf(page)
    plain = client.post(
        f"/da/me/meetings/{meeting_id}/checklist",
        data={"item": "2", "ticked": "y", "csrf_token": token},
    )
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#checklist")
    htmx = client.post(
        f"/da/me/meetings/{meeting_id}/checklist",
        data={"item": "1", "ticked": "y", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    fragment = htmx.get_data(as_text=True)
    assert "<html" not in fragment and 'aria-pressed="true"' in fragment
    again = client.get(f"/da/me/meetings/{meeting_id}").get_data(as_text=True)
    assert again.count('aria-pressed="true"') == 2
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM checklist_ticks").fetchone()[0] == 2
    client.post(f"/da/me/meetings/{meeting_id}/checklist", data={"item": "2", "csrf_token": token})
    assert db.execute("SELECT count(*) FROM checklist_ticks").fetchone()[0] == 1


def test_checklist_rejects_an_unknown_item(client, demo_logins, csrf, login_as):
    login_as(client, demo_logins, "citizen", "da")
    meetings = client.get("/da/me/meetings").get_data(as_text=True)
    meeting_id = re.findall(r'href="/da/me/meetings/(\d+)"', meetings)[0]
    token = csrf(client.get(f"/da/me/meetings/{meeting_id}").get_data(as_text=True))
    response = client.post(
        f"/da/me/meetings/{meeting_id}/checklist", data={"item": "99", "csrf_token": token}
    )
    assert response.status_code == 400


def test_ics_has_the_meeting_and_a_reminder(client, demo_logins, login_as):
    login_as(client, demo_logins, "citizen", "uk")
    meetings = client.get("/uk/me/meetings").get_data(as_text=True)
    meeting_id = re.findall(r'href="/uk/me/meetings/(\d+)"', meetings)[0]
    response = client.get(f"/uk/me/meetings/{meeting_id}.ics")
    body = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "TZID=Europe/Copenhagen" in body
    assert "BEGIN:VALARM" in body and "TRIGGER:-P1D" in body
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Copenhagen" in body


def test_the_calendar_file_reads_the_same_in_two_independent_parsers(client, demo_logins, login_as):
    """icalendar and vobject both read the file, with the same start in the same zone."""
    import icalendar
    import vobject

    login_as(client, demo_logins, "citizen", "ti")
    meetings = client.get("/ti/me/meetings").get_data(as_text=True)
    meeting_id = re.findall(r'href="/ti/me/meetings/(\d+)"', meetings)[0]
    body = client.get(f"/ti/me/meetings/{meeting_id}.ics").get_data(as_text=True)
    first = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    second = vobject.readOne(body).vevent
    assert first.decoded("dtstart") == second.dtstart.value
    assert first.decoded("dtstart").utcoffset() == second.dtstart.value.utcoffset()
    assert str(first["summary"]) == second.summary.value  # the Tigrinya title, in both
    assert any("\u1200" <= ch <= "\u137f" for ch in second.summary.value)  # Ethiopic script


def test_explanation_request_is_stored_once(app, client, demo_logins, csrf, login_as):
    login_as(client, demo_logins, "citizen", "so")
    decisions = client.get("/so/me/decisions").get_data(as_text=True)
    decision_id = re.findall(r'href="/so/me/decisions/(\d+)"', decisions)[0]
    token = csrf(client.get(f"/so/me/decisions/{decision_id}").get_data(as_text=True))
    for _ in range(2):
        response = client.post(
            f"/so/me/decisions/{decision_id}/explain", data={"csrf_token": token}
        )
        assert response.status_code == 303
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM explanation_requests").fetchone()[0] == 1


def test_my_data_download_holds_my_records_only(client, demo_logins, login_as):
    me = login_as(client, demo_logins, "citizen", "fa")
    response = client.get("/fa/me/data")
    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert data["person"]["login"] == me["login"]
    assert len(data["meetings"]) == 3 and len(data["decisions"]) == 3
    assert {m["citizen_id"] for m in data["meetings"]} == {data["person"]["id"]}
    assert any(entry["action"] == "sign-in" for entry in data["access_log"])
    # The purposes are in the download, with their words in the language of the download.
    mine = {m["id"] for m in data["meetings"]}
    assert data["meeting_purposes"] and {p["meeting_id"] for p in data["meeting_purposes"]} == mine
    assert all(p["purpose"] and p["purpose_id"] for p in data["meeting_purposes"])


def test_helper_invitation_revocation_and_audit(app, demo_logins, csrf, login_as):
    citizen = app.test_client()
    login_as(citizen, demo_logins, "citizen", "tr")
    page = citizen.get("/tr/me/helpers").get_data(as_text=True)
    response = citizen.post(
        "/tr/me/helpers",
        data={"period": "30", "interpreter": "y", "csrf_token": csrf(page)},
    )
    code = re.search(r'class="code" dir="ltr">([^<]+)<', response.get_data(as_text=True)).group(1)

    helper = app.test_client()
    join = helper.get(f"/tr/helper/join?code={code.lower()}").get_data(as_text=True)
    assert f'value="{code.lower()}"' in join
    joined = helper.post(
        "/tr/helper/join",
        data={
            "code": code.lower().replace("-", " "),
            "name": "Deniz Yardımcı",
            "login": "deniz.helper",
            "password": "three words together",
            "csrf_token": csrf(join),
        },
    )
    assert joined.status_code == 303 and joined.headers["Location"] == "/tr/helping"
    people = helper.get("/tr/helping").get_data(as_text=True)
    citizen_id = re.search(r'href="/tr/helping/(\d+)"', people).group(1)
    assert helper.get(f"/tr/helping/{citizen_id}/meetings").status_code == 200

    # The code works once.
    again = app.test_client()
    form = again.get("/tr/helper/join").get_data(as_text=True)
    reused = again.post(
        "/tr/helper/join",
        data={
            "code": code,
            "name": "X",
            "login": "someone.else",
            "password": "three words together",
            "csrf_token": csrf(form),
        },
    )
    assert reused.status_code == 422

    helpers_page = citizen.get("/tr/me/helpers").get_data(as_text=True)
    link_id = re.search(r'action="/tr/me/helpers/(\d+)/revoke"', helpers_page).group(1)
    revoked = citizen.post(
        f"/tr/me/helpers/{link_id}/revoke", data={"csrf_token": csrf(helpers_page)}
    )
    assert revoked.status_code == 303
    assert helper.get(f"/tr/helping/{citizen_id}/meetings").status_code == 404

    db = connect(app.config["DATABASE"])
    views = db.execute(
        "SELECT count(*) FROM audit_log WHERE action LIKE 'helper-view%' AND subject_id = "
        "(SELECT audit_id FROM users WHERE id = ?)",
        [citizen_id],
    ).fetchone()[0]
    assert views == 1  # the one look before the revocation


def test_invite_form_without_a_period_is_a_422(client, demo_logins, csrf, login_as):
    login_as(client, demo_logins, "citizen", "en")
    page = client.get("/en/me/helpers").get_data(as_text=True)
    response = client.post("/en/me/helpers", data={"period": "7", "csrf_token": csrf(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'href="#period' in html


# --- new since your last visit ------------------------------------------------------------


def test_new_since_your_last_visit_lasts_the_whole_visit_and_is_written_once(
    app, demo_logins, login_as
):
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen01'").fetchone()[0]
    db.execute("UPDATE users SET last_seen_at = '2026-01-01T00:00:00Z' WHERE id = ?", [citizen])
    client = app.test_client()
    login_as(client, [e for e in demo_logins if e["login"] == "citizen01"], "citizen")

    def last_seen():
        return db.execute("SELECT last_seen_at FROM users WHERE id = ?", [citizen]).fetchone()[0]

    first = client.get("/en/me").get_data(as_text=True)
    assert "New since your last visit" in first  # the demo's meetings came after 1 January
    assert last_seen() > "2026-01-01T00:00:00Z"  # this visit is recorded

    # Back on my page within the visit: the same news, and no second write.
    db.execute("UPDATE users SET last_seen_at = '2999-01-01T00:00:00Z' WHERE id = ?", [citizen])
    again = client.get("/en/me").get_data(as_text=True)
    assert "New since your last visit" in again
    assert last_seen() == "2999-01-01T00:00:00Z"

    # Half an hour later a new visit begins: it counts from the stored visit and records itself.
    with client.session_transaction() as session:
        session["visit"] = {**session["visit"], "at": session["visit"]["at"] - 31 * 60}
    later = client.get("/en/me").get_data(as_text=True)
    assert "New since your last visit" not in later
    assert last_seen() < "2999-01-01T00:00:00Z"


# --- the stand-in first -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "da", "en", "so", "ti", "uk", "kmr", "ps"])
def test_while_the_caseworker_is_away_the_card_leads_with_the_stand_in(
    app, demo_logins, lang, auth
):
    """Amal (citizen03) has Sara Demo, who is away this week; Mette Demo stands in."""
    client = auth("citizen03", lang)
    page = client.get(f"/{lang}/me").get_data(as_text=True)
    card = page[page.index('id="caseworker-title"') :]
    card = card[: card.index("</section>")]
    names = re.findall(r'class="person-name"><bdi>([^<]+)</bdi>', card)
    assert names == ["Mette Demo"]  # the person to contact today comes first
    stand_in = card.index("Mette Demo")
    assert card.index("+45 11 11 11 01") > stand_in  # the stand-in's phone, not the caseworker's
    assert "+45 11 11 11 03" not in card
    assert card.index("caseworker1@") > stand_in
    assert card.index("Sara Demo") > card.index("caseworker1@")  # then: Sara is away until …
    assert 'class="notice away"' in card


def test_the_away_sentence_assumes_no_gender_in_arabic(app, demo_logins, auth):
    client = auth("citizen03", "ar")
    page = client.get("/ar/me").get_data(as_text=True)
    assert "في إجازة حتى" in page
    assert "غائب" not in page and "غائبة" not in page


def test_ics_speaks_the_account_language_whatever_the_page_language(
    app, client, demo_logins, login_as
):
    from flask_babel import force_locale, gettext
    from icalendar import Calendar

    from app.content import library
    from app.meeting_catalogue import PURPOSES

    me = login_as(client, demo_logins, "citizen", "so")
    db = connect(app.config["DATABASE"])
    meeting_id, kind = db.execute(
        "SELECT m.id, m.kind FROM meetings m JOIN users u ON u.id = m.citizen_id "
        "WHERE u.login = ? AND m.purpose != '' ORDER BY m.id LIMIT 1",
        [me["login"]],
    ).fetchone()
    ids = [r[0] for r in db.execute(
        "SELECT purpose_id FROM meeting_purposes WHERE meeting_id = ?", [meeting_id])]  # fmt: skip
    assert len(ids) == 2
    with app.test_request_context("/so/"), force_locale("so"):
        somali = [str(PURPOSES[key].text) for key in ids]
        danish_label = gettext("Your caseworker wrote this in Danish:")
        title = library().guide_or_fallback("so", kind).title
    # Opened from the English page, the file still speaks Somali (the account's language).
    response = client.get(f"/en/me/meetings/{meeting_id}.ics")
    event = next(c for c in Calendar.from_ical(response.data).walk() if c.name == "VEVENT")
    description = str(event["description"])
    for text in somali:
        assert f"- {text}" in description
    assert danish_label in description
    summary = str(event["summary"])
    assert summary == title
    alarm = next(c for c in event.walk() if c.name == "VALARM")
    assert somali[0] in str(alarm["description"])


def test_the_last_day_says_so_instead_of_zero_days_left(app, demo_logins, login_as):
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen09'").fetchone()[0]
    today = clock.today().isoformat()
    with db.conn:
        decision = db["decisions"].insert(
            {"citizen_id": citizen, "title": "Afgørelse", "area": "benefit", "outcome": "refused",
             "decided_on": today, "received_on": today, "appeal_deadline": today}
        ).last_pk  # fmt: skip
    client = app.test_client()
    login_as(client, demo_logins, "citizen", "so")
    entry = next(e for e in demo_logins if e["login"] == "citizen09")
    assert entry["lang"] == "so"
    page = client.get(f"/so/me/decisions/{decision}").get_data(as_text=True)
    assert "Maanta waa maalinta ugu dambaysa" in page
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/so/"), force_locale("so"):
        zero_left = ngettext("%(num)d day left", "%(num)d days left", 0)
    assert zero_left not in page
