"""What a person sees, in a real Chromium: direction, language switch, accessibility, print."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
axe = Axe()


def assert_accessible(page: Page) -> None:
    results = axe.run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_arabic_is_rtl_with_picker_at_reading_start_then_danish(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    menu = page.locator(".lang-menu summary").bounding_box()
    brand = page.locator(".brand").bounding_box()
    width = page.viewport_size["width"]
    # Right to left: the picker starts the header, so it sits on the right.
    assert menu["x"] > brand["x"]
    assert menu["x"] + menu["width"] > width * 0.6

    page.locator(".lang-menu summary").click()
    page.locator(".site-header .lang-picker a[lang='da']").click()
    page.wait_for_url(f"{live_server}/da/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    menu = page.locator(".lang-menu summary").bounding_box()
    assert menu["x"] < width * 0.4  # left to right: the picker is on the left
    # The choice is remembered: the bare address now opens Danish.
    page.goto(f"{live_server}/")
    page.wait_for_url(f"{live_server}/da/")


def test_the_axe_check_can_fail(page: Page):
    """Guard against a silent harness: a page with known faults must report violations."""
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    assert axe.run(page, options=WCAG_AA).violations_count >= 2


@pytest.mark.parametrize("lang", ["da", "ar", "ti"])
def test_home_page_has_no_wcag_violations(page: Page, live_server, lang):
    page.goto(f"{live_server}/{lang}/")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/ar/guides/decisions-and-appeals",
        "/da/guides/decisions-and-appeals",
        "/ar/glossary",
        "/da/glossary",
        "/ar/search?q=Ankestyrelsen",
        "/da/search?q=klage",
        "/ar/guides/decisions-and-appeals?with=da",
        "/en/login",
    ],
)
def test_pages_have_no_wcag_violations(page: Page, live_server, path):
    page.goto(f"{live_server}{path}")
    assert_accessible(page)


def test_arabic_side_by_side_columns_have_their_own_direction(page: Page, live_server):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{live_server}/ar/guides/decisions-and-appeals?with=da")
    arabic = page.locator("section.pair .col[lang='ar']").first
    danish = page.locator("section.pair .col[lang='da']").first
    expect(arabic).to_have_attribute("dir", "rtl")
    expect(danish).to_have_attribute("dir", "ltr")
    assert page.evaluate("el => getComputedStyle(el).direction", arabic.element_handle()) == "rtl"
    assert page.evaluate("el => getComputedStyle(el).direction", danish.element_handle()) == "ltr"
    # Two columns on a wide screen, the Arabic one at the reading start (right).
    a, d = arabic.bounding_box(), danish.bounding_box()
    assert abs(a["y"] - d["y"]) < 5 and a["x"] > d["x"]
    # One column on a phone: the blocks alternate, Arabic first.
    page.set_viewport_size({"width": 360, "height": 800})
    a, d = arabic.bounding_box(), danish.bounding_box()
    assert d["y"] > a["y"] + a["height"] - 1


def test_search_in_arabic_finds_a_guide_as_you_type(page: Page, live_server):
    page.goto(f"{live_server}/ar/search")
    page.locator("#q").press_sequentially("Ankestyrelsen", delay=20)
    result = page.locator("#search-results a[href*='/ar/guides/decisions-and-appeals']").first
    expect(result).to_be_visible()
    expect(page).to_have_url(f"{live_server}/ar/search?q=Ankestyrelsen")


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/ar/search")
    page.locator("#q").fill("Ankestyrelsen")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator("#search-results a[href*='decisions-and-appeals']").first).to_be_visible()
    context.close()


def test_print_stylesheet_turns_a_meeting_guide_into_a_prep_sheet(page: Page, live_server):
    page.goto(f"{live_server}/ar/guides/jobcenter-meeting")
    expect(page.locator(".print-sheet")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".print-sheet")).to_be_visible()
    expect(page.locator("article.guide")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    columns = page.locator(".print-column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_have_attribute("lang", "ar")
    expect(columns.nth(1)).to_have_attribute("lang", "da")
    a, d = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(a["y"] - d["y"]) < 5  # side by side on the sheet


def test_keyboard_reaches_the_skip_link_first(page: Page, live_server):
    page.goto(f"{live_server}/da/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_touch_targets_are_at_least_44px(page: Page, live_server):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server}/ar/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll(
                 'main a, main button, header a, header summary, footer a')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])"""
    )
    assert len(sizes) >= 20  # the tasks, the picker, sign in, footer links
    assert [s for s in sizes if s[1] < 44] == []


def test_readable_at_320px_without_sideways_scrolling(page: Page, live_server):
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ("/ar/", "/da/guides/decisions-and-appeals", "/uk/glossary"):
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_read_aloud_says_when_the_phone_has_no_voice(page: Page, live_server):
    page.add_init_script("Object.defineProperty(speechSynthesis, 'getVoices', {value: () => []})")
    page.goto(f"{live_server}/so/guides/interpreter-rights")
    notice = page.locator("[data-no-voice]")
    expect(notice).to_be_hidden()
    page.locator("[data-read-aloud='guide']").click()
    expect(notice).to_be_visible()
    expect(notice.locator("a")).to_have_attribute("href", "/so/help/read-aloud")


def test_read_aloud_reads_a_section_in_the_page_language(page: Page, live_server):
    page.add_init_script(
        """
        window.spoken = [];
        const voice = {name: 'Test Arabic', lang: 'ar-SA', localService: true, default: false};
        Object.defineProperty(speechSynthesis, 'getVoices', {value: () => [voice]});
        Object.defineProperty(speechSynthesis, 'speak',
                              {value: u => window.spoken.push([u.lang, u.text])});
        """
    )
    page.goto(f"{live_server}/ar/guides/decisions-and-appeals")
    button = page.locator("[data-read-aloud='section-deadline']")
    button.click()
    lang, text = page.evaluate("window.spoken[0]")
    assert lang == "ar-SA"
    heading = page.locator("h2#deadline").text_content()
    assert text.startswith(heading) and "4" in text and "§ 67" in text
    expect(button).to_have_attribute("aria-pressed", "true")


def test_the_focused_skip_link_covers_no_control(page: Page, live_server):
    """After the first Tab the skip link shows; it must not sit on top of the header's controls
    (axe's target-size rule failed on the home page when it did)."""
    page.set_viewport_size({"width": 360, "height": 740})
    for lang in ("da", "ar", "ti"):
        page.goto(f"{live_server}/{lang}/")
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        skip = page.locator(".skip-link").bounding_box()
        for control in page.locator(".site-header a, .site-header summary").all():
            box = control.bounding_box()
            if not box:
                continue
            overlaps = not (
                box["x"] >= skip["x"] + skip["width"]
                or skip["x"] >= box["x"] + box["width"]
                or box["y"] >= skip["y"] + skip["height"]
                or skip["y"] >= box["y"] + box["height"]
            )
            assert not overlaps, (lang, control.inner_text())
        results = axe.run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
        assert results.violations_count == 0, results.generate_report()


def test_a_danish_citation_keeps_its_order_inside_arabic(page: Page, live_server):
    """ "(forvaltningsloven § 19)" in Arabic text sits in a left-to-right isolate marked Danish,
    so it is not shown as "(19 § forvaltningsloven)"."""
    page.goto(f"{live_server}/ar/guides/decisions-and-appeals")
    citation = page.locator("bdi[dir=ltr][lang=da]").filter(has_text="§ 19").first
    expect(citation).to_have_text("forvaltningsloven § 19")
    box = citation.bounding_box()
    law = citation.locator("a").bounding_box()
    assert law["x"] <= box["x"] + 1  # left to right inside the isolate: the law name comes first
    page.goto(f"{live_server}/en/guides/decisions-and-appeals")
    assert page.locator("bdi[dir=ltr][lang=da]").count() == 0  # left-to-right pages need none
