"""Interpreter requests, the caseworker's queue, booking without double bookings, the register."""

import datetime
import io
import re
import threading

import pytest

from app import clock, interpreting
from app.db import connect


def _form(csrf, client, url):
    html = client.get(url).get_data(as_text=True)
    key_input = re.search(r'<input[^>]*name="key"[^>]*>', html).group()
    return html, csrf(html), re.search(r'value="([^"]+)"', key_input).group(1)


def _visit(token, key, **changes):
    day = (clock.today() + datetime.timedelta(days=5)).isoformat()
    data = {
        "what": "gp",
        "day": day,
        "time": "09:30",
        "place": "Lægehuset Demo, Aarhus",
        "language": "ar",
        "dialect": "levantine",
        "mode": "in-person",
        "gender": "",
        "note": "",
        "key": key,
        "csrf_token": token,
    }
    return {**data, **changes}


def _count(app, sql="SELECT count(*) FROM interpreter_requests WHERE visit != 'meeting'"):
    return connect(app.config["DATABASE"]).execute(sql).fetchone()[0]


def test_the_form_states_the_right_and_the_ban_on_children(app, demo_logins, auth, csrf):
    client = auth("citizen03", "ar")
    html, _token, _key = _form(csrf, client, "/ar/me/interpreter/new")
    en = auth("citizen02").get("/en/me/interpreter/new").get_data(as_text=True)
    assert "right to a professional interpreter" in en and "Children must not interpret" in en
    assert '<option selected value="ar">' in html  # language pre-filled from the profile


def test_a_request_sent_twice_is_stored_once(app, demo_logins, auth, csrf):
    client = auth("citizen03")
    _html, token, key = _form(csrf, client, "/en/me/interpreter/new")
    first = client.post("/en/me/interpreter/new", data=_visit(token, key))
    second = client.post("/en/me/interpreter/new", data=_visit(token, key))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app) == 1
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert re.search(r'class="code" dir="ltr">T-[0-9A-Z]{6}<', page)  # the reference number
    assert "What happens next" in page and 'href="tel:' in page


def test_a_request_for_a_meeting(app, demo_logins, auth, csrf):
    client = auth("citizen02")  # English: no interpreter planned yet
    html, token, key = _form(csrf, client, "/en/me/interpreter/new")
    meeting = re.search(r'value="(meeting:\d+)"', html).group(1)
    response = client.post(
        "/en/me/interpreter/new",
        data=_visit(token, key, what=meeting, day="", time="", place="", language="so", dialect=""),
    )
    assert response.status_code == 303
    db = connect(app.config["DATABASE"])
    row = db.execute(
        "SELECT * FROM interpreter_requests WHERE meeting_id = ?", [int(meeting[8:])]
    ).fetchone()
    assert row["language"] == "so" and row["status"] == "requested"


def test_a_meeting_request_replayed_by_the_outbox_is_already_received(app, demo_logins, auth, csrf):
    """The phone sends a kept form again after the first one arrived: "got it", not a 422,
    so the outbox clears; still one request."""
    client = auth("citizen02")
    html, token, key = _form(csrf, client, "/en/me/interpreter/new")
    meeting = re.search(r'value="(meeting:\d+)"', html).group(1)
    form = _visit(token, key, what=meeting, day="", time="", place="", language="so", dialect="")
    first = client.post("/en/me/interpreter/new", data=form)
    again = client.post("/en/me/interpreter/new", data=form)
    other_key = client.post("/en/me/interpreter/new", data=form | {"key": "another-tap"})
    assert first.status_code == again.status_code == other_key.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert again.headers["Location"].split("?")[0] == other_key.headers["Location"]
    db = connect(app.config["DATABASE"])
    rows = db.execute(
        "SELECT count(*) FROM interpreter_requests WHERE meeting_id = ?", [int(meeting[8:])]
    ).fetchone()[0]
    assert rows == 1
    assert "We already have this request" in client.get(other_key.headers["Location"]).get_data(
        True
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"language": "xx"},
        {"day": "2020-01-01"},
        {"note": "x" * 5000},
        {"mode": ""},
        {"dialect": "levantine", "language": "fa"},
        {"place": ""},
        {"what": "meeting:999999"},
    ],
)
def test_bad_input_is_a_422_with_the_input_kept_and_nothing_stored(
    app, demo_logins, changes, auth, csrf
):
    client = auth("citizen03")
    _html, token, key = _form(csrf, client, "/en/me/interpreter/new")
    response = client.post("/en/me/interpreter/new", data=_visit(token, key, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html
    assert "Lægehuset Demo, Aarhus" in html or changes.get("place") == ""
    assert _count(app) == 0


def test_bad_input_message_is_translated(app, demo_logins, auth, csrf):
    client = auth("citizen03", "ar")
    _html, token, key = _form(csrf, client, "/ar/me/interpreter/new")
    html = client.post("/ar/me/interpreter/new", data=_visit(token, key, mode="")).get_data(
        as_text=True
    )
    assert "Choose how the interpreter should take part" not in html
    assert '<html lang="ar" dir="rtl">' in html


def test_helpers_need_the_scope_to_request(app, demo_logins, auth):
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    helper = auth("helper1")
    url = f"/en/helping/{citizen}/interpreter/new"
    assert helper.get(url).status_code == 200  # helper1 was given the scope
    db.execute("UPDATE helpers SET can_request_interpreter = 0")
    assert helper.get(url).status_code == 404
    assert helper.get(f"/en/helping/{citizen}/interpreter").status_code == 200  # may still look


def test_interpreter_needed_creates_the_request_and_cancelling_cancels_it(
    app, demo_logins, auth, csrf
):
    db = connect(app.config["DATABASE"])
    assert (
        db.execute(
            "SELECT count(*) FROM meetings m WHERE m.interpreter_needed = 1 AND NOT EXISTS "
            "(SELECT 1 FROM interpreter_requests r WHERE r.meeting_id = m.id)"
        ).fetchone()[0]
        == 0
    )
    staff = auth("caseworker1", "da")
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen01'").fetchone()[0]
    url = f"/da/staff/citizens/{citizen}/meetings/new"
    token = csrf(staff.get(url).get_data(as_text=True))
    day = (clock.today() + datetime.timedelta(days=3)).isoformat()
    staff.post(
        url,
        data={"kind": "jobcenter-meeting", "day": day, "start": "13:00", "end": "14:00",
              "interpreter_needed": "y", "interpreter_language": "ar", "purposes": "jobcenter.plan",
              "csrf_token": token},
    )  # fmt: skip
    meeting = db.execute("SELECT max(id) FROM meetings").fetchone()[0]
    row = db.execute(
        "SELECT * FROM interpreter_requests WHERE meeting_id = ?", [meeting]
    ).fetchone()
    assert row["status"] == "requested" and row["language"] == "ar"
    staff.post(f"/da/staff/meetings/{meeting}/cancel", data={"csrf_token": token})
    row = db.execute(
        "SELECT * FROM interpreter_requests WHERE meeting_id = ?", [meeting]
    ).fetchone()
    assert row["status"] == "cancelled" and row["cancel_reason"] == "meeting-cancelled"


def test_the_queue_shows_only_my_caseload(app, demo_logins, auth, csrf):
    db = connect(app.config["DATABASE"])
    db.execute(
        "UPDATE staff_profiles SET substitute_id = NULL, absent_from = NULL, absent_to = NULL"
    )
    mine = auth("caseworker1", "da")
    html = mine.get("/da/staff/interpreters").get_data(as_text=True)
    shown = set(re.findall(r'id="request-(\d+)"', html))
    expected = {
        str(r[0])
        for r in db.execute(
            "SELECT r.id FROM interpreter_requests r JOIN assignments a ON a.citizen_id = r.citizen_id "
            "JOIN users u ON u.id = a.caseworker_id WHERE a.valid_to IS NULL AND u.login = 'caseworker1' "
            "AND r.status = 'requested' AND r.ends_at >= ?",
            [clock.now_local().replace(tzinfo=None).isoformat(timespec="minutes")],
        )
    }
    assert shown == expected and shown
    other = db.execute(
        "SELECT r.id FROM interpreter_requests r JOIN assignments a ON a.citizen_id = r.citizen_id "
        "JOIN users u ON u.id = a.caseworker_id WHERE a.valid_to IS NULL AND u.login = 'caseworker2'"
    ).fetchone()[0]
    token = csrf(html)
    assert (
        mine.post(
            f"/da/staff/interpreters/{other}/book", data={"interpreter": "1", "csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        mine.post(
            f"/da/staff/interpreters/{other}/cancel", data={"reason": "x", "csrf_token": token}
        ).status_code
        == 404
    )


def test_only_certified_active_free_matching_interpreters_are_offered(app, demo_logins):
    with app.test_request_context("/en/"):
        db = connect(app.config["DATABASE"])
        request_id = interpreting.create_request(
            db,
            {"citizen_id": 5, "starts_at": "2030-01-07T10:00:00", "ends_at": "2030-01-07T11:00:00",
             "language": "tr", "mode": "phone", "visit": "gp"},
        )  # fmt: skip
        req = interpreting.staff_request(request_id)
        names = [i["name"] for i in interpreting.matching_interpreters(req)]
        # Ayşe Demo (state-authorised, phone) yes; Serhat Demo (tested, phone) yes;
        # Mehmet Eksempel offers phone but is not certified: never offered.
        assert names == ["Ayşe Demo", "Serhat Demo"]
        db.execute("UPDATE interpreters SET active = 0 WHERE name = 'Ayşe Demo'")
        assert [i["name"] for i in interpreting.matching_interpreters(req)] == ["Serhat Demo"]


def test_twenty_simultaneous_bookings_of_one_interpreter_give_one_booking(app, demo_logins):
    path = app.config["DATABASE"]
    with app.test_request_context("/en/"):
        setup = connect(path)
        interpreter = setup.execute(
            "SELECT id FROM interpreters WHERE name = 'Oksana Demo'"
        ).fetchone()[0]
        ids = [
            interpreting.create_request(
                setup,
                {
                    "citizen_id": 5,
                    "starts_at": f"2030-02-04T10:{n:02d}:00",
                    "ends_at": f"2030-02-04T11:{n:02d}:00",
                    "language": "uk",
                    "mode": "in-person",
                    "visit": "gp",
                },
            )  # fmt: skip
            for n in range(20)
        ]
    results: list[str] = []
    barrier = threading.Barrier(20)

    def attempt(request_id):
        db = connect(path)
        barrier.wait()
        try:
            interpreting.book(request_id, interpreter, db=db)
            results.append("booked")
        except interpreting.Conflict:
            results.append("conflict")
        finally:
            db.close()

    threads = [threading.Thread(target=attempt, args=(rid,)) for rid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked"] + ["conflict"] * 19
    check = connect(path)
    assert (
        check.execute(
            "SELECT count(*) FROM interpreter_requests WHERE interpreter_id = ? AND status = 'booked'",
            [interpreter],
        ).fetchone()[0]
        == 1
    )


def test_the_loser_of_a_race_gets_a_clear_message(app, demo_logins, auth, csrf):
    staff = auth("coordinator", "da")
    with app.test_request_context("/en/"):
        db = connect(app.config["DATABASE"])
        interpreter = db.execute(
            "SELECT id FROM interpreters WHERE name = 'Oksana Demo'"
        ).fetchone()[0]
        a, b = (
            interpreting.create_request(
                db,
                {
                    "citizen_id": 5,
                    "starts_at": "2030-03-04T10:00:00",
                    "ends_at": "2030-03-04T11:00:00",
                    "language": "uk",
                    "mode": "video",
                    "visit": "gp",
                },
            )  # fmt: skip
            for _ in range(2)
        )
        interpreting.book(a, interpreter, db=db)
    token = csrf(staff.get("/da/staff").get_data(as_text=True))
    response = staff.post(
        f"/da/staff/interpreters/{b}/book",
        data={"interpreter": str(interpreter), "csrf_token": token},
    )
    assert response.status_code == 303
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "ikke længere ledig" in page or "no longer free" in page


GOOD_CSV = """name,languages,dialects,certification,modes,gender,fields,phone,email,active
Aziz Demo,prs ps,dari pashto,state-authorised,in-person video,m,health social,+45 33 33 33 33,aziz@tolk.example,yes
Rahel Demo,ti am,tigrinya amharic,trained-exam,phone,f,social,,,1
"""


def _import(csrf, client, text: str):
    token = csrf(client.get("/da/staff/register/import").get_data(as_text=True))
    return client.post(
        "/da/staff/register/import",
        data={"file": (io.BytesIO(text.encode()), "register.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_csv_import_of_a_good_file(app, demo_logins, auth, csrf):
    client = auth("coordinator", "da")
    response = _import(csrf, client, GOOD_CSV)
    assert response.status_code == 200
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM interpreters").fetchone()[0] == 22
    assert (
        db.execute("SELECT languages FROM interpreters WHERE name = 'Rahel Demo'").fetchone()[0]
        == "ti am"
    )


def test_csv_import_with_one_bad_row_imports_nothing_and_names_the_line(
    app, demo_logins, auth, csrf
):
    client = auth("coordinator", "da")
    bad = GOOD_CSV + "Broken Demo,xx,,certified-ish,boat,q,,,,maybe\n"
    response = _import(csrf, client, bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # Checked by the register form's own rules, in the staff member's language (Danish here).
    problem = re.search(r"<li>Linje 4: ([^<]+)</li>", html).group(1)
    assert "Ukendt sprogkode: xx" in problem and "Certificering" in problem
    assert "Aktiv" in problem  # "maybe" is not yes or no
    assert (
        connect(app.config["DATABASE"]).execute("SELECT count(*) FROM interpreters").fetchone()[0]
        == 20
    )


def test_register_is_for_the_coordinator_only(app, demo_logins, auth):
    caseworker = auth("caseworker1", "da")
    for url in ("/da/staff/register", "/da/staff/register/1", "/da/staff/register/import"):
        assert caseworker.get(url).status_code == 404


def test_the_citizen_sees_the_booking(app, demo_logins, auth):
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    request_id = db.execute(
        "SELECT id FROM interpreter_requests WHERE citizen_id = ? AND status = 'requested'",
        [citizen],
    ).fetchone()[0]
    with app.test_request_context("/en/"):
        req = interpreting.staff_request(request_id)
        chosen = interpreting.matching_interpreters(req)[0]
        interpreting.book(request_id, chosen["id"], db=db)
    client = auth("citizen03")
    page = client.get(f"/en/me/interpreter/{request_id}").get_data(as_text=True)
    assert "Booked" in page and chosen["name"].split()[0] in page
    assert chosen["name"] not in page  # only the first name is shown
    assert interpreting.CERTIFICATION_LABELS[chosen["certification"]]._args[0] in page
    other = auth("citizen01")
    assert other.get(f"/en/me/interpreter/{request_id}").status_code == 404


DANISH_EXCEL = (
    "Navn;Sprog;Dialekter;Certificering;Tolkeformer;Køn;Fagområder;Telefon;E-mail;Aktiv\r\n"
    "Søren Tolkesen;ar;levantine;Statsautoriseret tolk;fremmøde telefon;m;sundhed;+45 22 22 22 22;"
    "soren@tolk.example;ja\r\n"
    "Åse Demo;ti am;;Testet tolk;video;k;;;;nej\r\n"
    ";;;;;;;;;\r\n"
)


@pytest.mark.parametrize(
    "raw",
    [
        DANISH_EXCEL.encode("cp1252"),  # "CSV (semikolonsepareret)" in Danish Excel
        DANISH_EXCEL.encode("utf-8-sig"),  # "CSV UTF-8 (kommasepareret)" keeps semicolons in DK
        DANISH_EXCEL.replace(";", ",").encode("utf-8"),  # a comma file from another program
    ],
    ids=["windows-1252-semicolon", "utf8-bom-semicolon", "utf8-comma"],
)
def test_csv_import_takes_what_danish_excel_saves(app, demo_logins, raw, auth, csrf):
    client = auth("coordinator", "da")
    token = csrf(client.get("/da/staff/register/import").get_data(as_text=True))
    response = client.post(
        "/da/staff/register/import",
        data={"file": (io.BytesIO(raw), "tolke.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, re.findall(r"<li>[^<]+</li>", response.get_data(True))
    db = connect(app.config["DATABASE"])
    rows = {
        r["name"]: r
        for r in db.execute(
            "SELECT * FROM interpreters WHERE name IN ('Søren Tolkesen', 'Åse Demo')"
        )
    }
    assert rows["Søren Tolkesen"]["certification"] == "state-authorised"
    assert rows["Søren Tolkesen"]["modes"] == "in-person phone"
    assert rows["Søren Tolkesen"]["fields"] == "health" and rows["Søren Tolkesen"]["active"] == 1
    assert rows["Åse Demo"]["gender"] == "f" and rows["Åse Demo"]["active"] == 0
    assert rows["Åse Demo"]["certification"] == "tested"


def test_a_bad_excel_line_is_named_in_danish(app, demo_logins, auth, csrf):
    client = auth("coordinator", "da")
    token = csrf(client.get("/da/staff/register/import").get_data(as_text=True))
    bad = DANISH_EXCEL + "Fejl Demo;xx;;Statsautoriseret tolk;cykel;;;;;ja\r\n"
    response = client.post(
        "/da/staff/register/import",
        data={"file": (io.BytesIO(bad.encode("cp1252")), "tolke.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<li>Linje 5: [^<]*Ukendt sprogkode: xx", html)


def test_staff_screens_show_words_not_codes(app, demo_logins, auth):
    coordinator = auth("coordinator", "en")
    register = coordinator.get("/en/staff/register").get_data(as_text=True)
    assert "In person" in register and "<td>in-person" not in register
    assert 'lang="ar" dir="rtl">العربية</span>' in register  # a language name, not "ar"
    queue = coordinator.get("/en/staff/interpreters").get_data(as_text=True)
    assert not re.search(r"\d{1,2}:\d\d:\d\d", queue)  # times without seconds


def test_the_request_form_offers_the_dialects_of_the_language_only(app, demo_logins, auth):
    from app.interpreting import DIALECTS

    def dialects_offered(login: str) -> set[str]:
        html = auth(login).get("/en/me/interpreter/new").get_data(True)
        select = re.search(r'<select[^>]*name="dialect".*?</select>', html, re.S).group(0)
        return set(re.findall(r'value="([^"]*)"', select)) - {""}

    assert dialects_offered("citizen03") == set(DIALECTS["ar"])  # Arabic: its dialects
    assert dialects_offered("citizen04") == set()  # Farsi: none of Arabic's
