"""Help near you and the search box, in a real Chromium: accessible, working without scripts."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["ar", "so"])
def test_contacts_page_has_no_wcag_violations(page: Page, live_server, lang):
    page.goto(f"{live_server}/{lang}/help/contacts")
    expect(page.locator("a[href='tel:70113131']")).to_be_visible()
    assert_accessible(page)


def test_phone_number_reads_left_to_right_on_an_arabic_page(page: Page, live_server):
    page.goto(f"{live_server}/ar/help/contacts")
    link = page.locator("a[href='tel:70113131']")
    assert link.evaluate("el => getComputedStyle(el).direction") == "ltr"


def test_search_box_on_a_guide_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/ar/guides/interpreter-rights")
    page.locator("#site-q").fill("تظلم")
    page.locator(".search-box button[type=submit]").click()
    page.wait_for_url("**/ar/search?q=*")
    expect(
        page.locator("ol.results a[href*='/ar/guides/decisions-and-appeals']").first
    ).to_be_visible()
    context.close()


@pytest.mark.parametrize("path", ["/ar/guides/decisions-and-appeals", "/so/"])
def test_pages_with_the_search_box_have_no_wcag_violations(page: Page, live_server, path):
    page.goto(f"{live_server}{path}")
    assert_accessible(page)
