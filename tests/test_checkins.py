"""The check-in every three months, the caseworker's view beside it, and the public report."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import checkins, clock, public_report
from app.db import connect
from app.public_report import MEASURES, MIN_GROUP, protect

# Every test here runs at the frozen test moment (Wednesday 2 December 2026), so the quarter
# the app counts in and the quarter a test expects are the same whatever the machine's date.
pytestmark = pytest.mark.usefixtures("frozen_clock")


def today() -> datetime.date:
    return clock.today()


def current() -> str:
    """The quarter the app counts in now."""
    return checkins.period_of(clock.today())


GOOD = {"life_better": "3", "help_mattered": "3", "working_together": "3", "need": "job"}


def _citizen_id(app, login: str) -> int:
    db = connect(app.config["DATABASE"])
    return db.execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()[0]


def _answer(client, lang: str = "en", **values):
    """Open the check-in (for its CSRF token, quarter and key) and send it."""
    page = client.get(f"/{lang}/me/checkin").get_data(as_text=True)
    form = {
        "csrf_token": _csrf(page),
        "period": re.search(r'name="period" type="hidden" value="([^"]+)"', page).group(1),
        "key": re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1),
    }
    return client.post(f"/{lang}/me/checkin", data={**form, **values}), form


def _csrf(html: str) -> str:
    """The CSRF token of the check-in form."""
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group()
    return re.search(r'value="([^"]+)"', field).group(1)


def _rows(app, citizen_id: int) -> list[tuple]:
    db = connect(app.config["DATABASE"])
    return [
        tuple(row)
        for row in db.execute(
            "SELECT period, life_better, help_mattered, working_together, need, free_text, "
            "free_text_lang FROM checkins WHERE citizen_id = ?",
            [citizen_id],
        )
    ]


# --- the citizen's check-in ------------------------------------------------------------------


def test_my_page_offers_the_check_in_and_one_answer_per_quarter_is_kept(app, demo_logins, auth):
    phone = auth("citizen09", "so")
    home = phone.get("/so/me").get_data(as_text=True)
    assert 'id="checkin-title"' in home and "/so/me/checkin" in home
    sent, _form = _answer(phone, "so", **GOOD, free_text="Waan ku faraxsanahay")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/so/me#checkin")
    citizen = _citizen_id(app, "citizen09")
    assert _rows(app, citizen) == [(current(), 3, 3, 3, "job", "Waan ku faraxsanahay", "so")]
    home = phone.get("/so/me").get_data(as_text=True)
    assert 'id="checkin-title"' not in home  # answered: no reminder, a link to change it

    # A second answer in the same quarter changes the first: still one row.
    again, _form = _answer(phone, "so", **GOOD | {"life_better": "2", "need": "housing"})
    assert again.status_code == 303
    assert _rows(app, citizen) == [(current(), 2, 3, 3, "housing", "", "so")]


def test_the_same_form_sent_twice_is_stored_once(app, demo_logins, auth, csrf):
    phone = auth("citizen04")
    first, form = _answer(phone, **GOOD)
    assert first.status_code == 303
    db = connect(app.config["DATABASE"])
    stamp = "2000-01-01T00:00:00Z"  # mark the row: a replay must not touch it
    db.execute("UPDATE checkins SET updated_at = ?", [stamp])
    token = csrf(phone.get("/en/me/checkin").get_data(as_text=True))
    replay = phone.post(
        "/en/me/checkin", data={**form, **GOOD, "csrf_token": token, "life_better": "1"}
    )
    assert replay.status_code == 303  # "got it", so the phone's outbox lets go of it
    assert [tuple(r) for r in db.execute("SELECT life_better, updated_at FROM checkins")] == [
        (3, stamp)
    ]
    answered = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'answered-checkin'"
    ).fetchone()[0]
    assert answered == 1


def test_missing_answers_are_a_422_with_the_input_kept(app, demo_logins, auth):
    phone = auth("citizen04", "ar")
    sent, _form = _answer(phone, "ar", life_better="2", free_text="كلماتي")
    assert sent.status_code == 422
    page = sent.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'href="#need"' in page
    assert "كلماتي" in page and re.search(r'value="2"[^>]*checked|checked[^>]*value="2"', page)


def test_a_helper_cannot_answer_for_the_citizen(app, demo_logins, auth):
    helper = auth("helper1")
    citizen = _citizen_id(app, "citizen03")
    assert helper.get(f"/en/helping/{citizen}/checkin").status_code == 404
    assert 'id="checkin-title"' not in helper.get(f"/en/helping/{citizen}").get_data(as_text=True)


def test_an_answer_kept_offline_counts_in_the_quarter_it_was_given(app):
    with app.test_request_context("/en/"):
        assert checkins.answer_period("2026-Q3", datetime.date(2026, 10, 20)) == "2026-Q3"
        assert checkins.answer_period("2026-Q3", datetime.date(2026, 11, 2)) == "2026-Q4"
        assert checkins.answer_period("2025-Q1", datetime.date(2026, 10, 2)) == "2026-Q4"
        assert checkins.answer_period("nonsense", datetime.date(2026, 10, 2)) == "2026-Q4"
        assert checkins.answer_period("2027-Q1", datetime.date(2026, 10, 2)) == "2026-Q4"


def test_a_programme_that_ends_asks_again(app, demo_logins, auth):
    phone = auth("citizen05")
    _answer(phone, **GOOD)
    assert 'id="checkin-title"' not in phone.get("/en/me").get_data(as_text=True)
    db = connect(app.config["DATABASE"])
    db["decisions"].insert(
        {"citizen_id": _citizen_id(app, "citizen05"), "title": "Afgørelse om ophør",
         "area": "programme", "outcome": "stopped", "decided_on": today().isoformat(),
         "received_on": (today() + datetime.timedelta(days=1)).isoformat(),
         "appeal_deadline": (today() + datetime.timedelta(days=30)).isoformat()}
    )  # fmt: skip
    with clock.frozen(clock.now() + datetime.timedelta(days=1)):
        home = phone.get("/en/me").get_data(as_text=True)
    assert "Your programme or plan has ended" in home


# --- the caseworker's voice -------------------------------------------------------------------


def test_the_caseworkers_view_reaches_the_citizen_only_when_shared(app, demo_logins, auth, csrf):
    citizen = _citizen_id(app, "citizen03")  # caseworker1's citizen, with a helper
    desk = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{citizen}/checkins/{current()}"
    form = {"aim": "danish", "effect": "some", "next_step": "continue", "note": "Flot fremgang."}
    token = csrf(desk.get(url).get_data(as_text=True))
    assert desk.post(url, data={**form, "csrf_token": token}).status_code == 303
    phone = auth("citizen03", "ar")
    assert "Flot fremgang." not in phone.get("/ar/me").get_data(as_text=True)

    token = csrf(desk.get(url).get_data(as_text=True))
    assert desk.post(url, data={**form, "shared": "y", "csrf_token": token}).status_code == 303
    home = phone.get("/ar/me").get_data(as_text=True)
    assert '<span lang="da" dir="auto">Flot fremgang.</span>' in home
    assert "دروس اللغة الدنماركية" in home  # the aim in Arabic
    helper = auth("helper1")
    assert "Flot fremgang." not in helper.get(f"/en/helping/{citizen}").get_data(as_text=True)
    record = desk.get(f"/da/staff/citizens/{citizen}").get_data(as_text=True)
    assert "Flot fremgang." in record
    other = auth("caseworker2", "da")
    assert other.get(url).status_code == 404
    assert desk.get(f"/da/staff/citizens/{citizen}/checkins/2999-Q1").status_code == 404


def test_free_answers_stay_with_staff(app, demo_logins, auth):
    phone = auth("citizen08", "kmr")
    _answer(phone, "kmr", **GOOD, free_text="Peyva min a taybet")
    citizen = _citizen_id(app, "citizen08")
    desk = auth("caseworker2", "da")  # citizen08's caseworker
    record = desk.get(f"/da/staff/citizens/{citizen}").get_data(as_text=True)
    assert '<span lang="kmr" dir="auto">Peyva min a taybet</span>' in record
    anonymous = app.test_client()
    for url in ("/kmr/about/evaluation", "/en/about/evaluation.csv", "/da/about/evaluation/data"):
        assert "Peyva min" not in anonymous.get(url).get_data(as_text=True)


# --- suppression ------------------------------------------------------------------------------


def test_protect_hides_small_groups_and_what_would_give_them_away():
    assert protect(4, {"a": 4, "b": 0}) == {"total": None, "cells": {"a": None, "b": None}}
    # One lone answer: hidden, and with it the smallest other answer, so the total minus the
    # shown answers is a group of 5 or more.
    assert protect(12, {"yes": 6, "partly": 5, "no": 1}) == {
        "total": 12,
        "cells": {"yes": 6, "partly": None, "no": None},
    }
    assert protect(10, {"yes": 10, "no": 0}) == {"total": 10, "cells": {"yes": None, "no": None}}
    assert protect(15, {"a": 5, "b": 10}) == {"total": 15, "cells": {"a": 5, "b": 10}}


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8))
def test_protect_never_leaves_a_small_number_to_subtraction(counts):
    parts = {str(n): count for n, count in enumerate(counts)}
    total = sum(counts)
    shown = protect(total, parts)
    if total < MIN_GROUP:
        assert shown["total"] is None and all(v is None for v in shown["cells"].values())
        return
    cells = shown["cells"]
    published = [v for v in cells.values() if v is not None]
    hidden = [parts[k] for k, v in cells.items() if v is None]
    assert all(v >= MIN_GROUP for v in published)
    assert len(hidden) != 1
    for size in range(len(published) + 1):
        for subset in itertools.combinations(published, size):
            left = total - sum(subset)
            assert left == 0 or left >= MIN_GROUP, (parts, cells, subset)


def _people(db, n: int, prefix: str) -> list[int]:
    return [
        db["users"].insert({"login": f"{prefix}{i}", "name": "Demo", "role": "citizen"}).last_pk
        for i in range(n)
    ]


def _seed_quarter(db, period: str, answers: list[dict], meetings: list[str] = ()) -> None:
    """Check-ins (and answers after meetings, by interpreting) for a quarter, one person each."""
    start = checkins.period_start(period)
    people = _people(db, max(len(answers), len(meetings)), f"p{period}-")
    for person, values in zip(people, answers, strict=False):
        db["checkins"].insert(
            {"citizen_id": person, "period": period, "idempotency_key": f"{period}-{person}",
             "free_text": "Min hemmelige tekst", **values}
        )  # fmt: skip
    for person, interpreting in zip(people, meetings, strict=False):
        day = start + datetime.timedelta(days=10)
        meeting = db["meetings"].insert(
            {"citizen_id": person, "kind": "jobcenter-meeting",
             "starts_at": f"{day}T09:00:00", "ends_at": f"{day}T10:00:00"}
        ).last_pk  # fmt: skip
        db["meeting_feedback"].insert(
            {"meeting_id": meeting, "understood": 3, "interpreting": interpreting,
             "next_known": 3, "created_at": f"{day}T12:00:00Z"}
        )  # fmt: skip


def _check(life=3, help=3, working=3, need="job") -> dict:
    return {"life_better": life, "help_mattered": help, "working_together": working, "need": need}


def _published(client) -> dict:
    """The open data as {(quarter, question): {answer: count or None}}."""
    rows = list(csv.DictReader(io.StringIO(client.get("/en/about/evaluation.csv").text)))
    table: dict = {}
    for row in rows:
        value = int(row["count"]) if row["count"] else None
        assert (value is None) == (row["hidden"] == "1")
        table.setdefault((row["quarter"], row["question"]), {})[row["answer"]] = value
    return table


def test_a_lone_answer_never_shows_and_no_subtraction_of_published_numbers_gives_it(app):
    """Five people say life is better and one lone person says it is worse, needs help with
    the children and had a family member interpret. Nothing about that person shows, and the
    test tries every subtraction of published numbers (each total minus any of its shown
    answers) and finds no group under 5, so neither the lone answer nor any other small one."""
    db = connect(app.config["DATABASE"])
    lone = _check(life=1, help=1, working=1, need="children")
    _seed_quarter(db, "2025-Q2", [_check()] * 5 + [lone], ["good"] * 5 + ["family"])
    _seed_quarter(db, "2025-Q3", [lone], ["family"])  # a quarter with one person only
    mixed = [_check(need="job")] * 6 + [_check(life=2, need="danish")] * 5 + [lone]
    _seed_quarter(db, "2025-Q4", mixed, ["good"] * 7 + ["partly"] * 5)
    client = app.test_client()
    table = _published(client)

    # The quarter with one person: not even how many answered.
    assert table[("2025-Q3", "checkins")] == {"all": None}
    assert table[("2025-Q3", "meeting_answers")] == {"all": None}
    assert all(v is None for v in table[("2025-Q3", "need")].values())
    # The lone answer's own cells are hidden wherever it is.
    for quarter in ("2025-Q2", "2025-Q4"):
        assert table[(quarter, "need")]["children"] is None
        assert table[(quarter, "life_better")]["1"] is None
    assert table[("2025-Q2", "interpreting")]["family"] is None
    assert table[("2025-Q4", "need")]["job"] == 6  # a group of 6 shows

    # Every subtraction of published numbers: each total minus any of its shown answers.
    tried = 0
    for (quarter, question), cells in table.items():
        if question not in MEASURES:
            continue
        source = "checkins" if MEASURES[question][0] == "checkins" else "meeting_answers"
        total = table[(quarter, source)]["all"]
        if total is None:
            assert all(v is None for v in cells.values())
            continue
        shown = [v for v in cells.values() if v is not None]
        for size in range(len(shown) + 1):
            for subset in itertools.combinations(shown, size):
                left = total - sum(subset)
                tried += 1
                assert left == 0 or left >= MIN_GROUP, (quarter, question, subset, left)
    assert tried >= 12  # shown numbers in 2025-Q2 and 2025-Q4 were tried

    page = client.get("/ar/about/evaluation").text
    q2 = page.split('id="q-2025-Q2"')[1].split('class="quarter"')[0]
    assert "أطفالي</th><td>مخفي</td>" in q2  # "My children": hidden
    q3 = page.split('id="q-2025-Q3"')[1].split('class="quarter"')[0]
    assert "أقل من 5" in q3 and "<table" not in q3


def test_published_numbers_do_not_change_after_an_erasure(app, demo_logins):
    """A quarter is kept as published: erasing a person (or deleting old records) later cannot
    be subtracted from an earlier copy of the report to find their answers."""
    db = connect(app.config["DATABASE"])
    _seed_quarter(db, "2025-Q2", [_check()] * 6 + [_check(life=1, need="money")] * 5)
    client = app.test_client()
    before = client.get("/en/about/evaluation.csv").text
    person = db.execute("SELECT citizen_id FROM checkins WHERE need = 'money' LIMIT 1").fetchone()
    with db.conn:
        db.execute("DELETE FROM users WHERE id = ?", [person[0]])
    assert client.get("/en/about/evaluation.csv").text == before


def test_the_running_quarter_shows_only_how_many_so_far(app):
    db = connect(app.config["DATABASE"])
    _seed_quarter(db, current(), [_check()] * 6)
    with app.test_request_context("/en/"):
        data = public_report.report()
    running = next(q for q in data["quarters"] if q["period"] == current())
    assert running["published"] is False and running["checkins"] == 6
    assert running["measures"] == []
    assert all(row[0] != current() for row in csv.reader(io.StringIO(
        app.test_client().get("/en/about/evaluation.csv").text)))  # fmt: skip


# --- the public report ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "ar", "ti", "so", "uk"])
def test_the_report_is_public_cacheable_and_the_same_for_everyone(app, lang):
    db = connect(app.config["DATABASE"])
    _seed_quarter(db, "2025-Q2", [_check()] * 7, ["good"] * 6)
    first = app.test_client().get(f"/{lang}/about/evaluation")
    second = app.test_client().get(f"/{lang}/about/evaluation")
    assert first.status_code == 200 and first.data == second.data
    assert (
        first.headers["Cache-Control"].startswith("public, max-age=300") and first.headers["ETag"]
    )
    assert "Set-Cookie" not in first.headers
    again = app.test_client().get(
        f"/{lang}/about/evaluation", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    html = first.text
    assert f'<html lang="{lang}"' in html and "<svg" in html and "style=" not in html
    assert 'role="img"' in html and "<table" in html


def test_the_coordinators_note_shows_its_tag_in_every_language_and_the_danish_text(
    app, demo_logins, auth, csrf
):
    office = auth("coordinator", "da")
    token = csrf(office.get("/da/staff/report/changes").text)
    posted = office.post(
        "/da/staff/report/changes",
        data={"period": current(), "tag": "interpreters", "text_da": "Flere tolke om aftenen.",
              "csrf_token": token},
    )  # fmt: skip
    assert posted.status_code == 303
    arabic = app.test_client().get("/ar/about/evaluation").text
    assert '<strong class="tag change-tag">المترجمون</strong>' in arabic
    assert '<span lang="da" dir="ltr">Flere tolke om aftenen.</span>' in arabic
    empty = office.post("/da/staff/report/changes", data={"period": current(), "tag": "other",
                                                          "text_da": "", "csrf_token": token})  # fmt: skip
    assert empty.status_code == 422 and 'class="error-summary"' in empty.text
    caseworker = auth("caseworker1", "da")
    assert caseworker.get("/da/staff/report/changes").status_code == 404


def test_the_data_dictionary_explains_every_column_and_code(client):
    page = client.get("/so/about/evaluation/data").text
    header = next(csv.reader(io.StringIO(client.get("/en/about/evaluation.csv").text)))
    for column in header:
        assert f"<code>{column}</code>" in page
    for name, (_source, _title, options) in MEASURES.items():
        assert f"<code>{name}</code>" in page
        for code in options:
            assert f"<code>{code}</code>" in page


def test_the_demo_has_three_quarters_of_answers(tmp_path):
    from app import create_app
    from app.demo import seed_demo

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "demo.sqlite3")}
    )
    seed_demo(app)
    with app.test_request_context("/en/"):
        data = public_report.report()
    assert len(data["quarters"]) == 3
    published = [q for q in data["quarters"] if q["published"]]
    assert published and all(q["checkins"] for q in published)
    assert any(q["changes"] for q in data["quarters"])
    assert data["quarters"][0]["period"] == current()
