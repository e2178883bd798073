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
        "/ar/about/accessibility",
        "/da/about/accessibility",
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
