"""The other six languages in a real browser: direction, accessibility, search everywhere."""

import pytest
from playwright.sync_api import Page, expect

from app.languages import LANGUAGES
from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "direction"), [("ps", "rtl"), ("ckb", "rtl"), ("ti", "ltr"), ("kmr", "ltr")]
)
def test_guide_direction(page: Page, live_server, lang, direction):
    page.goto(f"{live_server}/{lang}/guides/interpreter-rights")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    heading = page.locator("h1")
    assert (
        page.evaluate("el => getComputedStyle(el).direction", heading.element_handle()) == direction
    )
    # The guide itself is there in that language (not the missing-translation notice), with all
    # six sections, and the draft notice is in the page's language, not English.
    expect(page.locator("section.guide-section")).to_have_count(6)
    expect(page.locator(".draft")).not_to_contain_text("A qualified translator has not checked")


@pytest.mark.parametrize("lang", ["ti", "ps", "prs"])
def test_guide_has_no_wcag_violations(page: Page, live_server, lang):
    page.goto(f"{live_server}/{lang}/guides/decisions-and-appeals")
    assert_accessible(page)


def test_search_finds_the_appeals_guide_in_all_12_languages(page: Page, live_server):
    for lang in LANGUAGES:
        page.goto(f"{live_server}/{lang.code}/search?q=Ankestyrelsen")
        link = page.locator(f"#search-results a[href^='/{lang.code}/guides/decisions-and-appeals']")
        expect(link.first).to_be_visible()
