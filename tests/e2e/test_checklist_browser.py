"""'What to bring' as a checklist anyone can tick, kept only on the phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser
KEY = "bro-checklist:jobcenter-meeting"


def test_anyone_can_tick_what_to_bring_and_the_ticks_stay_on_the_phone(page: Page, live_server):
    sent = []
    page.on("request", lambda request: request.method != "GET" and sent.append(request.url))
    page.goto(f"{live_server}/ar/guides/jobcenter-meeting")
    checklist = page.locator("[data-device-checklist]")
    expect(checklist).to_be_visible()
    ticks = checklist.locator("button.tick")
    expect(ticks).to_have_count(6)  # the six things of the Arabic guide's list
    expect(ticks.nth(0)).to_have_text("رسالة الدعوة إلى الاجتماع.")
    expect(page.locator("#section-bring ul.replaced")).to_be_hidden()  # not listed twice

    ticks.nth(0).click()
    ticks.nth(2).focus()
    page.keyboard.press("Space")  # by keyboard too
    expect(ticks.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(ticks.nth(2)).to_have_attribute("aria-pressed", "true")
    expect(ticks.nth(1)).to_have_attribute("aria-pressed", "false")
    count = checklist.locator("[data-checklist-count]")
    expect(count).to_contain_text("2")
    expect(count).to_contain_text("6")
    assert_accessible(page)

    page.reload()
    expect(ticks.nth(2)).to_have_attribute("aria-pressed", "true")
    # The same guide in Danish keeps the ticks: they go by item number.
    page.goto(f"{live_server}/da/guides/jobcenter-meeting")
    danish = page.locator("[data-device-checklist] button.tick")
    expect(danish.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(danish.nth(2)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(f"localStorage.getItem('{KEY}')") == '["1","3"]'

    page.locator("[data-checklist-clear]").click()
    expect(danish.nth(0)).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    assert sent == []  # nothing about the ticks ever left the phone


def test_read_aloud_still_reads_the_list(page: Page, live_server):
    # A stand-in for the phone's speech engine that keeps what it was asked to say.
    page.add_init_script(
        """Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
             getVoices: () => [{lang: 'en-GB', name: 'test'}], cancel() {}, onvoiceschanged: null,
             speak(utterance) { window.spoken = utterance.text; }}});"""
    )
    page.goto(f"{live_server}/en/guides/jobcenter-meeting")
    first = page.locator("[data-device-checklist] button.tick .text").first.text_content()
    page.locator("#section-bring [data-read-aloud]").click()
    spoken = page.evaluate("window.spoken")
    assert first and first in spoken
    assert "Clear my ticks" not in spoken and "kept only on this phone" not in spoken
