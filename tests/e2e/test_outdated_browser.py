"""The outdated notice in a real browser: readable right to left and in Ethiopic script."""

import pytest
from playwright.sync_api import Page, expect

from app import create_app
from tests.e2e.test_browser import assert_accessible
from tests.test_tracking import DANISH_ADDITION, add_to_section, copy_content

pytestmark = pytest.mark.browser


@pytest.fixture
def app(tmp_path):
    """The app on a copy of content/ whose Danish appeal deadline section has changed."""
    content = copy_content(tmp_path)
    add_to_section(content / "da" / "decisions-and-appeals.md", "deadline", DANISH_ADDITION)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "bro.sqlite3"),
            "CONTENT_DIR": str(content),
        }
    )


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("ti", "ltr")])
def test_outdated_notice_is_readable_and_leads_to_the_danish(
    page: Page, live_server, lang, direction
):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/{lang}/guides/decisions-and-appeals")
    notice = page.locator(".notice.outdated")
    expect(notice).to_have_count(1)
    section = page.locator("#section-deadline")
    expect(section.locator(".notice.outdated")).to_be_visible()
    assert page.evaluate("el => getComputedStyle(el).direction", notice.element_handle()) == (
        direction
    )
    # In the page's language, not English; the date is written out.
    expect(notice).not_to_contain_text("The Danish text of this part changed")
    expect(notice).to_contain_text("2026")
    box = notice.bounding_box()
    assert box["width"] <= 390 and box["height"] > 20
    assert_accessible(page)

    notice.get_by_role("link").click()
    page.wait_for_url(f"**/{lang}/guides/decisions-and-appeals?with=da#deadline")
    danish = page.locator("section.pair .col[lang='da']", has_text=DANISH_ADDITION)
    expect(danish).to_be_visible()
    expect(page.locator(".notice.outdated")).to_have_count(1)
    assert_accessible(page)


def test_languages_page_counts_the_outdated_part_for_everyone(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/ar/about/languages")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    somali = page.locator("tbody tr", has=page.locator("th span[lang='so']"))
    expect(somali.locator("td").nth(4)).to_have_text("1")  # one part out of date
    assert_accessible(page)
