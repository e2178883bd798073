"""Evaluation in the citizen's own voice: answers, guide votes, the caseworker view, the report."""

import csv
import io
import re

from app import answers, clock
from app.db import connect


def _past_meeting(app, login):
    db = connect(app.config["DATABASE"])
    return db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id WHERE u.login = ? "
        "AND m.ends_at < ? ORDER BY m.starts_at DESC",
        [login, clock.now_local().replace(tzinfo=None).isoformat()],
    ).fetchone()[0]


ANSWER = {
    "understood": "3",
    "interpreting": "family",
    "next_known": "2",
    "free_text": "Spas ji bo alîkariyê",
}


def test_citizen_answers_once_and_may_change_it(app, demo_logins, auth, csrf):
    client = auth("citizen08", "kmr")
    meeting = _past_meeting(app, "citizen08")
    home = client.get("/kmr/me").get_data(as_text=True)
    assert f"/kmr/me/meetings/{meeting}/feedback" in home  # the invitation
    url = f"/kmr/me/meetings/{meeting}/feedback"
    token = csrf(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**ANSWER, "csrf_token": token}).status_code == 303
    assert (
        client.post(url, data={**ANSWER, "understood": "1", "csrf_token": token}).status_code == 303
    )
    db = connect(app.config["DATABASE"])
    rows = db.execute("SELECT understood, free_text_lang FROM meeting_feedback").fetchall()
    assert [tuple(r) for r in rows] == [(1, "kmr")]  # one answer per meeting, changed
    assert f"/kmr/me/meetings/{meeting}/feedback" not in client.get("/kmr/me").get_data(
        as_text=True
    )


def test_answers_close_after_14_days(app, demo_logins, auth, csrf):
    client = auth("citizen08")
    meeting = _past_meeting(app, "citizen08")
    url = f"/en/me/meetings/{meeting}/feedback"
    token = csrf(client.get(url).get_data(as_text=True))
    client.post(url, data={**ANSWER, "csrf_token": token})
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE meeting_feedback SET created_at = '2020-01-01T00:00:00Z'")
    page = client.get(url).get_data(as_text=True)
    assert "can no longer be changed" in page and 'name="understood"' not in page
    client.post(url, data={**ANSWER, "understood": "2", "csrf_token": token})
    assert db.execute("SELECT understood FROM meeting_feedback").fetchone()[0] == 3


def test_nobody_answers_for_someone_elses_meeting_or_a_future_one(app, demo_logins, auth, csrf):
    other = auth("citizen01")
    meeting = _past_meeting(app, "citizen08")
    token = csrf(other.get("/en/me", follow_redirects=True).get_data(as_text=True))
    assert other.get(f"/en/me/meetings/{meeting}/feedback").status_code == 404
    assert (
        other.post(
            f"/en/me/meetings/{meeting}/feedback", data={**ANSWER, "csrf_token": token}
        ).status_code
        == 404
    )
    db = connect(app.config["DATABASE"])
    future = db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id WHERE u.login = 'citizen01' "
        "AND m.starts_at > ?",
        [clock.now_local().replace(tzinfo=None).isoformat()],
    ).fetchone()[0]
    assert other.get(f"/en/me/meetings/{future}/feedback").status_code == 404
    assert db.execute("SELECT count(*) FROM meeting_feedback").fetchone()[0] == 0


def test_missing_answers_are_a_422_with_input_kept(app, demo_logins, auth, csrf):
    client = auth("citizen08")
    meeting = _past_meeting(app, "citizen08")
    url = f"/en/me/meetings/{meeting}/feedback"
    token = csrf(client.get(url).get_data(as_text=True))
    response = client.post(
        url, data={"understood": "3", "free_text": "kept text", "csrf_token": token}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "kept text" in html and 'href="#interpreting"' in html


def test_the_caseworker_sees_answers_on_own_meetings_only(app, demo_logins, auth, csrf):
    citizen = auth("citizen08", "kmr")
    meeting = _past_meeting(app, "citizen08")
    url = f"/kmr/me/meetings/{meeting}/feedback"  # written on the Kurmanji page: marked kmr
    citizen.post(url, data={**ANSWER, "csrf_token": csrf(citizen.get(url).get_data(as_text=True))})
    db = connect(app.config["DATABASE"])
    holder = db.execute(
        "SELECT u.login FROM meetings m JOIN users u ON u.id = m.caseworker_id WHERE m.id = ?",
        [meeting],
    ).fetchone()[0]
    own = auth(holder, "da").get("/da/staff/feedback").get_data(as_text=True)
    assert 'lang="kmr" dir="auto">Spas ji bo alîkariyê</span>' in own
    stranger = next(f"caseworker{n}" for n in (1, 2, 3) if f"caseworker{n}" != holder)
    assert "Spas ji bo" not in auth(stranger, "da").get("/da/staff/feedback").get_data(as_text=True)


def test_guide_vote_needs_no_sign_in_and_stores_no_person(app, client):
    response = client.post(
        "/so/guides/interpreter-rights/feedback", data={"helpful": "no", "missing": "Lambarka"}
    )
    assert response.status_code == 303
    db = connect(app.config["DATABASE"])
    row = db.execute("SELECT * FROM guide_feedback").fetchone()
    assert (row["lang"], row["slug"], row["helpful"], row["missing"]) == (
        "so",
        "interpreter-rights",
        0,
        "Lambarka",
    )
    assert set(row.keys()) == {"id", "lang", "slug", "helpful", "missing", "created_at"}
    htmx = client.post(
        "/so/guides/interpreter-rights/feedback",
        data={"helpful": "yes"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in htmx.get_data(as_text=True)
    assert (
        client.post("/so/guides/interpreter-rights/feedback", data={"helpful": "maybe"}).status_code
        == 400
    )
    assert client.post("/so/guides/no-such/feedback", data={"helpful": "yes"}).status_code == 404


def test_guide_votes_are_rate_limited(client):
    codes = [
        client.post("/da/guides/after-the-meeting/feedback", data={"helpful": "yes"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [303] * 10 and codes[10] == 429


def _seed_answers(app, count: int, kind: str, lang: str, interpreting: str = "good"):
    """Answers on meetings of one kind and language group, in one month."""
    db = connect(app.config["DATABASE"])
    citizen = db.execute(
        "SELECT id FROM users WHERE role = 'citizen' AND lang = ?", [lang]
    ).fetchone()[0]
    for n in range(count):
        meeting = db["meetings"].insert(
            {"citizen_id": citizen, "kind": kind, "starts_at": f"2026-10-{n + 1:02d}T10:00:00",
             "ends_at": f"2026-10-{n + 1:02d}T11:00:00"}
        ).last_pk  # fmt: skip
        db["meeting_feedback"].insert(
            {
                "meeting_id": meeting,
                "understood": 3 if n % 2 else 2,
                "interpreting": interpreting,
                "next_known": 3,
            }
        )


def test_report_suppresses_small_groups_and_the_csv_matches(app, demo_logins, auth):
    _seed_answers(app, 6, "jobcenter-meeting", "ar", "family")
    _seed_answers(app, 4, "jobcenter-meeting", "kmr")
    coordinator = auth("coordinator")
    page = coordinator.get("/en/staff/report?month=2026-10").get_data(as_text=True)
    assert "fewer than 5" in page
    assert "<svg" in page and 'role="img"' in page
    # 6 family interpreters of the 6 shown answers; the 4 in the hidden group are not counted.
    assert "100 % of 6 meetings with an answer" in page
    with app.test_request_context("/en/"):
        data = answers.report("2026-10")
    table = {(g["kind"], g["lang"]): g for g in data["groups"]}
    assert table[("jobcenter-meeting", "kmr")]["suppressed"] is True
    arabic = table[("jobcenter-meeting", "ar")]
    assert (
        arabic["total"] == 6
        and arabic["understood"][3]["count"] == 3
        and arabic["understood"][3]["share"] == 50
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                coordinator.get("/en/staff/report.csv?month=2026-10").get_data(as_text=True)
            )
        )
    )
    by_lang = {row["language"]: row for row in rows}
    assert (
        by_lang["kmr"]["answers"] == "fewer than 5"
        and by_lang["kmr"]["understood_yes"] == "fewer than 5"
    )
    assert by_lang["ar"]["answers"] == "6"
    assert by_lang["ar"]["understood_yes"] == str(arabic["understood"][3]["count"])
    assert by_lang["ar"]["interpreting_family"] == "6"
    html_numbers = re.findall(r"<td>(\d+)</td><td>(\d+) %</td>", page)
    assert ("3", "50") in html_numbers and ("6", "100") in html_numbers


def test_report_is_for_the_coordinator_only(app, demo_logins, auth):
    caseworker = auth("caseworker1", "da")
    assert caseworker.get("/da/staff/report").status_code == 404
    assert caseworker.get("/da/staff/report.csv").status_code == 404
