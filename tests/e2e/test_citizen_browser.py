"""A new citizen, as a person would: activate, see the caseworker, prepare a meeting, sign out."""

import re

import pytest
from playwright.sync_api import Page, expect

from app import accounts
from app.db import connect
from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "ሰላም three words here"


@pytest.fixture
def tigrinya_code(app, demo_logins) -> str:
    with app.test_request_context("/ti/"):
        user_id = (
            connect(app.config["DATABASE"])
            .execute("SELECT id FROM users WHERE login = 'citizen10'")
            .fetchone()[0]
        )
        return accounts.issue_code(user_id, "activate")


def test_a_tigrinya_citizen_activates_and_prepares_a_meeting(
    page: Page, live_server, tigrinya_code
):
    page.goto(f"{live_server}/ti/activate?code={tigrinya_code}")
    expect(page.locator("html")).to_have_attribute("lang", "ti")
    expect(page.locator("#code")).to_have_value(tigrinya_code)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/ti/me")

    card = page.locator("section.card").filter(has=page.locator("#caseworker-title"))
    expect(card.locator(".person-name")).to_be_visible()
    expect(card.locator("a[href^='tel:']")).to_be_visible()

    page.locator("main p.meeting-when a").first.click()  # the next meeting (first if soon)
    expect(page.locator("#checklist")).to_be_visible()
    first = page.locator(".checklist li").first
    expect(first.locator("button")).to_have_attribute("aria-pressed", "false")
    first.locator("button").click()
    expect(page.locator(".checklist li").first.locator("button")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.reload()
    expect(page.locator(".checklist li").first.locator("button")).to_have_attribute(
        "aria-pressed", "true"
    )

    with page.expect_download() as download_info:
        page.locator("a[href$='.ics']").click()
    calendar = open(download_info.value.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in calendar and "BEGIN:VALARM" in calendar

    name = page.evaluate("document.querySelector('.account a').textContent")
    assert name
    page.locator(".account button[type=submit]").click()
    page.wait_for_url(f"{live_server}/ti/")
    page.go_back()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "Selam Demo" not in body
    assert not re.search(r"\+45 11 11 11", body)  # no caseworker phone either
    assert page.locator("#checklist").count() == 0


def test_checklist_works_without_javascript(browser, live_server, demo_logins):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    entry = next(e for e in demo_logins if e["login"] == "citizen01")
    page.goto(f"{live_server}/da/login")
    page.locator("#login").fill(entry["login"])
    page.locator("#password").fill(entry["password"])
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server}/da/me/meetings")
    page.locator("main .cards a").first.click()
    page.locator(".checklist li").nth(1).locator("button").click()
    expect(page.locator(".checklist li").nth(1).locator("button")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert "#checklist" in page.url
    context.close()


@pytest.mark.parametrize("lang", ["ar", "da"])
def test_personal_pages_have_no_wcag_violations(page: Page, live_server, app, demo_logins, lang):
    entry = next(e for e in demo_logins if e["role"] == "citizen" and e["lang"] == lang)
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#login").fill(entry["login"])
    page.locator("#password").fill(entry["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/{lang}/me")
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/me/meetings")
    page.locator("main .cards a").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/me/decisions")
    page.locator("main .cards a").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/me/helpers")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("so", "Caawimaaddaada waa la dhimay"), ("ar", "تم تخفيض مساعدتك")],  # "Your help is reduced"
)
def test_decisions_on_a_phone_in_somali_and_arabic(
    page: Page, live_server, demo_logins, lang, heading, sign_in_browser
):
    """The list and one decision in the citizen's language, linked to the appeals guide."""
    page.set_viewport_size({"width": 360, "height": 740})
    entry = next(e for e in demo_logins if e["role"] == "citizen" and e["lang"] == lang)
    sign_in_browser(page, live_server, entry, lang)
    page.goto(f"{live_server}/{lang}/me/decisions")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    first = page.locator("main .cards a").first
    expect(first).to_have_text(heading)
    assert_accessible(page)

    first.click()
    expect(page.locator("h1")).to_have_text(heading)
    danish = page.locator("main dd [lang='da']")
    expect(danish).to_have_text("Afgørelse om selvforsørgelses- og hjemrejseydelse")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert_accessible(page)

    guide = page.locator(f"main a[href='/{lang}/guides/decisions-and-appeals#how-to-appeal']")
    expect(guide).to_be_visible()
    guide.click()
    page.wait_for_url(f"{live_server}/{lang}/guides/decisions-and-appeals#how-to-appeal")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#how-to-appeal")).to_be_visible()


@pytest.mark.parametrize("lang", ["so", "ar"])
def test_a_meeting_says_why_in_my_language_on_a_phone(
    page: Page, live_server, app, demo_logins, lang
):
    from flask_babel import force_locale

    from app.meeting_catalogue import PURPOSES

    entry = next(e for e in demo_logins if e["role"] == "citizen" and e["lang"] == lang)
    db = connect(app.config["DATABASE"])
    meeting_id, note = db.execute(
        "SELECT m.id, m.purpose FROM meetings m JOIN users u ON u.id = m.citizen_id "
        "WHERE u.login = ? AND m.purpose != '' ORDER BY m.id LIMIT 1",
        [entry["login"]],
    ).fetchone()
    ids = [r[0] for r in db.execute(
        "SELECT purpose_id FROM meeting_purposes WHERE meeting_id = ?", [meeting_id])]  # fmt: skip
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        wanted = [str(PURPOSES[key].text) for key in ids]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#login").fill(entry["login"])
    page.locator("#password").fill(entry["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/{lang}/me")
    page.goto(f"{live_server}/{lang}/me/meetings/{meeting_id}")
    purposes = page.locator("ul.purposes li")
    expect(purposes).to_have_count(len(wanted))
    for text in wanted:
        expect(page.locator("ul.purposes")).to_contain_text(text)
    expect(page.locator(".caseworker-words [lang='da']")).to_have_text(note)
    # Nothing overflows the phone's width, in either direction of reading.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["so", "ar"])
def test_what_we_agreed_in_my_language_on_a_phone(page: Page, live_server, app, demo_logins, lang):
    from flask_babel import force_locale, gettext

    from app.meeting_catalogue import WHO, step

    entry = next(e for e in demo_logins if e["role"] == "citizen" and e["lang"] == lang)
    db = connect(app.config["DATABASE"])
    meeting_id, kind = db.execute(
        "SELECT m.id, m.kind FROM meetings m JOIN users u ON u.id = m.citizen_id "
        "WHERE u.login = ? AND EXISTS (SELECT 1 FROM meeting_agreements a "
        "WHERE a.meeting_id = m.id) LIMIT 1",
        [entry["login"]],
    ).fetchone()
    agreed = db.execute(
        "SELECT step_id, who FROM meeting_agreements WHERE meeting_id = ? ORDER BY position",
        [meeting_id],
    ).fetchall()
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        steps = [str(step(kind, row["step_id"]).text) for row in agreed]
        who = [str(WHO[row["who"]]) for row in agreed]
        headings = [gettext("What we agreed"), gettext("What happens next")]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/{lang}/login")
    page.locator("#login").fill(entry["login"])
    page.locator("#password").fill(entry["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/{lang}/me")
    # My page shows what was agreed at the latest meeting.
    expect(page.locator("main")).to_contain_text(headings[0])
    expect(page.locator("main ul.agreements")).to_contain_text(steps[0])
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/me/meetings/{meeting_id}")
    items = page.locator("ul.agreements li")
    expect(items).to_have_count(len(steps))
    for text in steps + who:
        expect(page.locator("ul.agreements")).to_contain_text(text)
    expect(page.locator(".agreed h3")).to_have_text(headings[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


# Text outside any lang="da" element that looks Danish (as in tests/test_own_language.py).
UNMARKED_DANISH = """() => {
  const danish = /[æøåÆØÅ]|\\b(og|ikke|jeg|har|fået|med|til|din|dit|dine|vi|er|skal|hos|sag)\\b/i;
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const marked = node.parentElement.closest('[lang]');
    if (node.parentElement.closest('code')) continue;
    if (marked && marked.getAttribute('lang').startsWith('da')) continue;
    if (danish.test(node.textContent)) found.push(node.textContent.trim());
  }
  return found;
}"""


def _check_page(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate(UNMARKED_DANISH) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    assert_accessible(page)


@pytest.mark.parametrize(("login", "lang"), [("citizen09", "so"), ("citizen03", "ar"),
                                             ("helper1", "ar")])  # fmt: skip
def test_my_case_in_my_language_on_a_phone(
    page: Page, live_server, demo_logins, sign_in_browser, login, lang
):
    """My page, meetings, a meeting, decisions and a decision — and the helper's view of them:
    headings and purposes in my language, Danish only inside lang="da", axe-core clean."""
    entry = next(e for e in demo_logins if e["login"] == login)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_browser(page, live_server, entry, lang)
    if entry["role"] == "helper":
        page.locator("main a[href*='/helping/']").first.click()
        page.wait_for_url(re.compile(r".*/helping/\d+$"))
    start = page.url
    _check_page(page, lang)
    expect(page.locator("main ul.purposes").first).to_be_visible()  # the next meeting's why
    for section in ("meetings", "decisions"):
        page.goto(f"{start}/{section}")
        _check_page(page, lang)
        page.locator("main .cards a").first.click()
        page.wait_for_load_state()
        _check_page(page, lang)
    expect(page.locator("main [lang='da']").first).to_be_visible()  # the letter's own title
    guide = page.locator(f"main a[href='/{lang}/guides/decisions-and-appeals#how-to-appeal']")
    expect(guide).to_be_visible()
