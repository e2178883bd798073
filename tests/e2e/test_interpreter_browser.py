"""An Arabic-speaking citizen asks for an interpreter; a Danish caseworker books one."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from app import clock
from app.db import connect
from tests.e2e.test_browser import assert_accessible


# A visit a few months ahead (interpreters are booked up to 2 years ahead).
def soon() -> str:
    """A day 90 days after the app's (frozen) today."""
    return (clock.today() + datetime.timedelta(days=90)).isoformat()


pytestmark = pytest.mark.browser


def test_request_book_and_see_booked(browser, live_server, app, demo_logins, sign_in_browser):
    db = connect(app.config["DATABASE"])
    citizen_entry = next(e for e in demo_logins if e["login"] == "citizen03")  # Arabic
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    citizen = phone.new_page()
    sign_in_browser(citizen, live_server, citizen_entry, "ar")
    citizen.goto(f"{live_server}/ar/me/interpreter/new")
    expect(citizen.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(citizen)
    citizen.locator("input[name=what][value=gp]").check()
    citizen.locator("#day").fill(soon())
    citizen.locator("#time").fill("09:30")
    citizen.locator("#place").fill("Lægehuset Demo")
    citizen.locator("#dialect").select_option("levantine")
    citizen.locator("input[name=mode][value='in-person']").check()
    before = db.execute("SELECT count(*) FROM interpreter_requests").fetchone()[0]
    citizen.locator("main form button[type=submit]").dblclick()
    citizen.wait_for_url(re.compile(r".*/ar/me/interpreter/\d+\?new=1$"))
    assert db.execute("SELECT count(*) FROM interpreter_requests").fetchone()[0] == before + 1
    reference = citizen.locator(".panel .code").inner_text().strip()
    assert re.fullmatch(r"T-[0-9A-Z]{6}", reference)
    assert_accessible(citizen)

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    caseworker = next(
        e
        for e in demo_logins
        if e["role"] == "caseworker" and e["name"] == citizen_entry["caseworker"]
    )
    sign_in_browser(staff, live_server, caseworker, "da")
    staff.goto(f"{live_server}/da/staff/interpreters")
    card = staff.locator("li.card").filter(has_text=reference)
    expect(card).to_be_visible()
    options = card.locator("input[name=interpreter]")
    labels = card.locator("fieldset label")
    expect(labels.first).to_contain_text("Hassan Demo")  # the state-authorised one comes first
    assert options.count() == 3  # Arabic, Levantine, in person, certified, free
    assert_accessible(staff)
    card.locator("button.button[type=submit]").click()
    staff.wait_for_load_state()
    expect(
        staff.locator("li.card").filter(has_text=reference).locator(".status-booked")
    ).to_be_visible()

    citizen.goto(f"{live_server}/ar/me/interpreter")
    booked = citizen.locator("li.card").filter(has_text=reference)
    expect(booked.locator(".status-booked")).to_be_visible()
    expect(booked).to_contain_text("Hassan")  # the interpreter's first name
    desk.close()
    phone.close()
