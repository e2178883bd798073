"""A Kurmanji citizen's answer travels to the caseworker and into the council's report."""

import re

import pytest
from playwright.sync_api import expect

from app import clock
from app.db import connect
from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


def test_kurmanji_answer_reaches_caseworker_and_report(
    browser, live_server, app, demo_logins, sign_in_browser
):
    db = connect(app.config["DATABASE"])
    citizen_id = db.execute("SELECT id FROM users WHERE login = 'citizen08'").fetchone()[0]
    past = db.execute(
        "SELECT id, kind, substr(starts_at, 1, 7) AS month FROM meetings WHERE citizen_id = ? "
        "AND ends_at < ? ORDER BY starts_at DESC",
        [citizen_id, clock.now_local().replace(tzinfo=None).isoformat()],
    ).fetchone()
    # Three earlier answers in the same month, meeting kind and language: with today's, 4.
    for day in range(1, 4):
        meeting = db["meetings"].insert(
            {"citizen_id": citizen_id, "kind": past["kind"],
             "starts_at": f"{past['month']}-0{day}T09:00:00", "ends_at": f"{past['month']}-0{day}T10:00:00"}
        ).last_pk  # fmt: skip
        db["meeting_feedback"].insert(
            {"meeting_id": meeting, "understood": 3, "interpreting": "good", "next_known": 3}
        )
    entry = next(e for e in demo_logins if e["login"] == "citizen08")
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    sign_in_browser(page, live_server, entry, "kmr")
    invitation = page.locator("#feedback-title ~ ul a").first
    expect(invitation).to_be_visible()
    invitation.click()
    expect(page.locator("html")).to_have_attribute("lang", "kmr")
    assert_accessible(page)
    page.locator("input[name=understood][value='3']").check()
    page.locator("input[name=interpreting][value='family']").check()
    page.locator("input[name=next_known][value='2']").check()
    page.locator("#free_text").fill("Zarokê min wergerand")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/kmr/me/meetings/\d+$"))
    meeting_id = int(page.url.rsplit("/", 1)[1])
    assert meeting_id == past["id"]
    phone.close()

    caseworker = db.execute(
        "SELECT u.login FROM meetings m JOIN users u ON u.id = m.caseworker_id WHERE m.id = ?",
        [meeting_id],
    ).fetchone()[0]
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    sign_in_browser(
        staff, live_server, next(e for e in demo_logins if e["login"] == caseworker), "da"
    )
    staff.goto(f"{live_server}/da/staff/feedback")
    expect(staff.locator("span[lang=kmr][dir=auto]")).to_have_text("Zarokê min wergerand")
    desk.close()

    office = browser.new_context(viewport={"width": 1280, "height": 900})
    report = office.new_page()
    sign_in_browser(
        report, live_server, next(e for e in demo_logins if e["login"] == "coordinator"), "en"
    )
    report.goto(f"{live_server}/en/staff/report")
    assert_accessible(report)
    groups = report.locator("section.report-group")
    assert (
        db.execute(
            "SELECT count(*) FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
            "WHERE m.kind = ? AND substr(m.starts_at, 1, 7) = ? AND m.citizen_id = ?",
            [past["kind"], past["month"], citizen_id],
        ).fetchone()[0]
        == 4
    )  # the report counts today's answer in this group
    group = groups.filter(has_text="Kurmancî").filter(has_text=past["month"])
    expect(group).to_have_count(1)
    expect(group).to_contain_text("fewer than 5")
    expect(group.locator("table")).to_have_count(0)  # no numbers for a group of 4
    office.close()
