"""The privacy notice and the accessibility statement in a real Chromium: axe-clean right to
left and left to right, reachable from the footer, readable on a small phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/ar/about/privacy",
        "/en/about/privacy",
        "/ti/about/privacy",
        "/ar/about/accessibility",
        "/da/about/accessibility",
        "/ti/about/accessibility/report",
    ],
)
def test_about_pages_have_no_wcag_violations(page: Page, live_server, path):
    page.goto(f"{live_server}{path}")
    assert_accessible(page)


def test_footer_leads_to_the_privacy_notice_and_its_tables_fit_a_small_phone(
    page: Page, live_server
):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server}/ar/")
    page.locator(".site-footer a[href='/ar/about/privacy']").click()
    page.wait_for_url(f"{live_server}/ar/about/privacy")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("tr[data-retention='codes']")).to_contain_text("30")
    # The page itself never scrolls sideways; wide tables scroll inside their own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize(
    ("start", "lang"),
    [("login", "ar"), ("activate", "ar"), ("login", "ti"), ("activate", "ti")],
)
def test_the_notice_is_one_tap_from_sign_in_and_activation_and_axe_clean(
    page: Page, live_server, start, lang
):
    page.goto(f"{live_server}/{lang}/{start}")
    page.locator(f"main a[href='/{lang}/about/privacy']").click()  # one tap
    page.wait_for_url(f"{live_server}/{lang}/about/privacy")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    assert_accessible(page)


def test_the_periods_in_tigrinya_follow_the_configuration(browser, app, live_server):
    def codes_row() -> str:
        context = browser.new_context()  # a fresh browser: nothing cached, no service worker
        try:
            page = context.new_page()
            page.goto(f"{live_server}/ti/about/privacy")
            return page.locator("tr[data-retention='codes']").inner_text()
        finally:
            context.close()

    assert "30" in codes_row()
    app.config["RETENTION_CODES"] = "45 days"
    changed = codes_row()
    assert "45" in changed and "30" not in changed


def test_a_problem_report_in_tigrinya_without_signing_in(page: Page, live_server):
    page.goto(f"{live_server}/ti/about/accessibility")
    page.locator("main a[href='/ti/about/accessibility/report']").click()
    page.wait_for_url(f"{live_server}/ti/about/accessibility/report")
    page.locator("main form button[type=submit]").click()  # empty: the error summary
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#problem").fill("The read-aloud button does nothing")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/ti/about/accessibility/report/thanks")
    assert_accessible(page)


def test_the_coordinators_retention_and_report_screens_are_axe_clean(
    page: Page, live_server, demo_logins, sign_in_browser
):

    coordinator = next(e for e in demo_logins if e["role"] == "coordinator")
    sign_in_browser(page, live_server, coordinator, "da")
    for path in ("/da/staff/retention", "/da/staff/accessibility-reports"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page)
