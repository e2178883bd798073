"""A caseworker at a desk, and the citizen on a phone, as people would use Bro."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


def test_caseworker_creates_a_somali_citizen_who_activates_and_is_handed_over(
    browser, live_server, demo_logins, sign_in_browser
):
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    caseworker = next(e for e in demo_logins if e["login"] == "caseworker2")
    sign_in_browser(staff, live_server, caseworker, "da")
    expect(staff).to_have_url(f"{live_server}/da/staff")
    staff.locator(".subnav a[href='/da/staff/citizens/new']").click()
    staff.locator("#name").fill("Faadumo Eksempel")
    staff.locator("#lang").select_option("so")
    staff.locator("#interpreter_language").select_option("so")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url(re.compile(r".*/letter$"))

    staff.emulate_media(media="print")
    letter = staff.locator("article.letter")
    expect(letter).to_be_visible()
    expect(staff.locator(".site-header")).to_be_hidden()
    expect(letter.locator(".letter-qr svg")).to_be_visible()
    expect(letter.locator(".letter-column[lang='so']")).to_be_visible()
    expect(letter.locator(".letter-column[lang='da']")).to_be_visible()
    code = letter.locator(".letter-column[lang='so'] dd.code").nth(1).inner_text().strip()
    login = letter.locator(".letter-column[lang='so'] dd.code").nth(0).inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    staff.emulate_media(media="screen")
    assert_accessible(staff)

    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    citizen = phone.new_page()
    citizen.goto(f"{live_server}/so/activate")
    citizen.locator("#code").fill(code.lower())
    citizen.locator("#password").fill("saddex eray oo dheer")
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url(f"{live_server}/so/me")
    expect(citizen.locator(".person-name")).to_have_text("Jonas Eksempel")
    assert login  # the login id printed on the letter

    staff.goto(f"{live_server}/da/staff?q=Faadumo")
    staff.locator("#caseload a").first.click()
    staff.wait_for_url(re.compile(r".*/staff/citizens/\d+$"))
    assert_accessible(staff)
    staff.locator("a[href$='/handover']").click()
    staff.locator("#caseworker").select_option(label="Sara Demo")
    staff.locator("#reason_id").select_option("new-tasks")
    staff.locator("#reason").fill("Jonas har fået nye opgaver")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_url(f"{live_server}/da/staff")

    citizen.reload()
    card = citizen.locator("section.card").filter(has=citizen.locator("#caseworker-title"))
    expect(card).to_contain_text("Sara Demo")
    expect(card.locator(".change")).to_contain_text("Jonas Eksempel")
    # The reason in Somali; the caseworker's own words marked as Danish, with a way to ask.
    expect(card.locator(".change")).not_to_contain_text("Jonas har fået")
    expect(card.locator('.caseworker-words [lang="da"]')).to_have_text("Jonas har fået nye opgaver")
    expect(card.get_by_role("button")).to_be_visible()
    desk.close()
    phone.close()


def test_caseload_has_no_wcag_violations(page: Page, live_server, demo_logins, sign_in_browser):
    sign_in_browser(
        page, live_server, next(e for e in demo_logins if e["login"] == "coordinator"), "da"
    )
    page.goto(f"{live_server}/da/staff")
    assert_accessible(page)
    page.goto(f"{live_server}/en/staff/audit")
    assert_accessible(page)


def test_caseworker_picks_purposes_and_records_agreements(
    page: Page, live_server, demo_logins, sign_in_browser
):
    caseworker = next(e for e in demo_logins if e["login"] == "caseworker1")
    sign_in_browser(page, live_server, caseworker, "en")
    page.locator("#caseload a").first.click()
    page.wait_for_url(re.compile(r".*/staff/citizens/\d+$"))
    citizen_url = page.url
    page.locator("a[href$='/meetings/new']").click()
    page.locator("#kind").select_option("rehabilitation-team")
    page.locator("#day").fill("2099-01-05")
    page.locator("#start").fill("10:00")
    page.locator("#end").fill("11:00")
    page.locator("#place").fill("Rådhuset")
    page.locator("main form button[type=submit]").click()
    # No purpose: refused, with a summary that leads to the purposes and the input kept.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#place")).to_have_value("Rådhuset")
    assert_accessible(page)
    summary.locator("a[href='#purposes']").click()
    page.locator("#purpose-rehab\\.recommend").check()
    page.locator("#purpose-rehab\\.prepare").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(citizen_url)

    # The new meeting's card (the only one in 2099): it has nothing agreed yet.
    card = page.locator("li.card").filter(has_text=re.compile(r"\b(20)?99\b"))
    expect(card).to_have_count(1)
    card.locator("a[href$='/agreements']").click()
    page.wait_for_url(re.compile(r".*/agreements$"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    page.locator("#rows-0-step").select_option("common.next-meeting")
    page.locator("#rows-0-who").select_option("we")
    page.locator("#note").fill("Vi ringer til dig.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(citizen_url)
