"""Offline, as a person on patchy data would meet it: guides stay, personal pages don't, forms wait."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from app import clock
from app.db import connect


# A visit a few months ahead (interpreters are booked up to 2 years ahead).
def soon() -> str:
    """A day 90 days after the app's (frozen) today."""
    return (clock.today() + datetime.timedelta(days=90)).isoformat()


pytestmark = pytest.mark.browser


@pytest.fixture
def sw_context(browser):
    context = browser.new_context(service_workers="allow", viewport={"width": 390, "height": 844})
    yield context
    context.close()


def _poll(page, script: str, expected, seconds: float = 20) -> None:
    """page.wait_for_function evaluates strings, which our CSP forbids; poll with evaluate()."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script) == expected:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {script!r} == {expected!r}")


# Ask the worker to send what waits, and wait for its report: how many forms still wait.
FLUSH = (
    "new Promise(done => { navigator.serviceWorker.addEventListener('message', event => {"
    " if (event.data.type === 'outbox') done(event.data.owners.length); });"
    " navigator.serviceWorker.controller.postMessage({type: 'flush'}); })"
)


def _wait_for_precache(page, lang):
    _poll(page, "document.documentElement.dataset.precached", lang)


def _signed_in_and_precached(sign_in_browser, context, live_server, entry, lang):
    """A page signed in through the form, with the language's guides stored by the worker."""
    page = context.new_page()
    sign_in_browser(page, live_server, entry, lang=lang)
    page.wait_for_url(f"{live_server}/{lang}/me")
    _wait_for_precache(page, lang)
    return page


def _wait_until_outbox_is_empty(page):
    _poll(
        page,
        "new Promise(done => { const open = indexedDB.open('bro-outbox', 1);"
        " open.onsuccess = () => { const c = open.result.transaction('forms').objectStore('forms').count();"
        " c.onsuccess = () => done(c.result); }; })",
        0,
    )


def test_guides_open_offline_after_one_visit(sw_context, live_server):
    page = sw_context.new_page()
    page.goto(f"{live_server}/ar/guides/")
    _wait_for_precache(page, "ar")
    sw_context.set_offline(True)
    for slug in ("decisions-and-appeals", "interpreter-rights", "your-caseworker"):
        page.goto(f"{live_server}/ar/guides/{slug}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("section.guide-section").first).to_be_visible()
    page.goto(f"{live_server}/ar/glossary")
    expect(page.locator("dl.glossary dt#ankestyrelsen")).to_be_visible()


def test_personal_pages_offline_show_the_offline_page_and_nothing_personal(
    sw_context, live_server, demo_logins, sign_in_browser
):
    entry = next(e for e in demo_logins if e["login"] == "citizen03")
    page = _signed_in_and_precached(sign_in_browser, sw_context, live_server, entry, "ar")
    sw_context.set_offline(True)
    page.goto(f"{live_server}/ar/me")
    assert "/ar/me" in page.url
    body = page.locator("body").inner_text()
    assert entry["name"] not in body and "+45" not in body
    expect(page.locator("main h1:visible")).to_have_count(1)  # "No connection" only
    names = page.evaluate(
        "caches.keys().then(async keys => { const out = []; for (const k of keys) { const c = await caches.open(k); for (const r of await c.keys()) out.push(new URL(r.url).pathname); } return out; })"
    )
    assert names and not any(re.match(r"^/[a-z]+/(me|staff|helping)", path) for path in names)

    # A guide from the cache is the anonymous copy; its header still tells a signed-in person
    # where their page is, instead of asking them to sign in.
    page.goto(f"{live_server}/ar/guides/decisions-and-appeals")
    account = page.locator("nav.account a[data-my-page]")
    expect(account).to_have_text(account.get_attribute("data-my-page"))


def test_an_interpreter_request_made_offline_is_sent_once_when_back_online(
    sw_context, live_server, demo_logins, app, sign_in_browser
):
    entry = next(e for e in demo_logins if e["login"] == "citizen03")
    page = _signed_in_and_precached(sign_in_browser, sw_context, live_server, entry, "en")
    page.goto(f"{live_server}/en/me/interpreter/new")
    page.locator("input[name=what][value=dentist]").check()
    page.locator("#day").fill(soon())
    page.locator("#time").fill("08:15")
    page.locator("#place").fill("Tandlægen Demo")
    page.locator("input[name=mode][value=phone]").check()
    db = connect(app.config["DATABASE"])
    before = db.execute(
        "SELECT count(*) FROM interpreter_requests WHERE visit = 'dentist'"
    ).fetchone()[0]
    sw_context.set_offline(True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/en/offline#saved$"))
    expect(page.locator("[data-saved]")).to_be_visible()
    expect(page.locator("[data-saved]")).to_contain_text("saved on this phone", ignore_case=True)
    expect(page.get_by_role("heading", name="No connection")).to_be_hidden()  # one message only
    assert (
        db.execute("SELECT count(*) FROM interpreter_requests WHERE visit = 'dentist'").fetchone()[
            0
        ]
        == before
    )
    sw_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until_outbox_is_empty(page)
    # Sent again by a second flush (a replay): still one row.
    assert page.evaluate(FLUSH) == 0  # waits for the worker to report the flush done
    rows = db.execute(
        "SELECT place, mode FROM interpreter_requests WHERE visit = 'dentist' AND place = 'Tandlægen Demo'"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("Tandlægen Demo", "phone")]


def test_answers_after_a_meeting_made_offline_are_sent_when_back_online(
    sw_context, live_server, demo_logins, app, sign_in_browser
):
    entry = next(e for e in demo_logins if e["login"] == "citizen04")
    db = connect(app.config["DATABASE"])
    past = db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id "
        "WHERE u.login = 'citizen04' AND m.ends_at < ? AND m.status = 'scheduled'",
        [clock.now_local().replace(tzinfo=None).isoformat()],
    ).fetchone()[0]
    page = _signed_in_and_precached(sign_in_browser, sw_context, live_server, entry, "fa")
    page.goto(f"{live_server}/fa/me/meetings/{past}/feedback")
    page.locator("input[name=understood][value='2']").check()
    page.locator("input[name=interpreting][value=family]").check()
    page.locator("input[name=next_known][value='1']").check()
    page.locator("#free_text").fill("پسرم ترجمه کرد")  # "my son interpreted"
    sw_context.set_offline(True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/fa/offline#saved$"))
    expect(page.locator("[data-saved]")).to_be_visible()
    assert (
        db.execute("SELECT count(*) FROM meeting_feedback WHERE meeting_id = ?", [past]).fetchone()[
            0
        ]
        == 0
    )

    sw_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until_outbox_is_empty(page)
    rows = db.execute(
        "SELECT understood, interpreting, next_known, free_text FROM meeting_feedback "
        "WHERE meeting_id = ?",
        [past],
    ).fetchall()
    assert [tuple(r) for r in rows] == [(2, "family", 1, "پسرم ترجمه کرد")]


def test_the_manifest_is_valid_and_linked(page, live_server):
    page.goto(f"{live_server}/ti/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(f"{live_server}{href}").json()
    assert manifest["lang"] == "ti" and manifest["dir"] == "ltr"
    assert manifest["start_url"] == "/ti/" and manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert (
            page.request.get(f"{live_server}{icon['src']}").headers["content-type"] == "image/png"
        )
    page.goto(f"{live_server}/ar/")
    arabic = page.request.get(
        f"{live_server}{page.locator('link[rel=manifest]').get_attribute('href')}"
    ).json()
    assert arabic["dir"] == "rtl" and arabic["start_url"] == "/ar/"


def _dentist_form_sent_offline(context, page, live_server, place):
    page.goto(f"{live_server}/en/me/interpreter/new")
    page.locator("input[name=what][value=dentist]").check()
    page.locator("#day").fill(soon())
    page.locator("#time").fill("09:15")
    page.locator("#place").fill(place)
    page.locator("input[name=mode][value=phone]").check()
    context.set_offline(True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/en/offline#saved$"))


def test_a_form_kept_offline_is_sent_only_under_the_account_that_filled_it(
    sw_context, live_server, demo_logins, app, browser, sign_in_browser
):
    """A shared phone: A fills a form offline; whoever is signed in later, it goes to A only."""
    a = next(e for e in demo_logins if e["login"] == "citizen03")
    b = next(e for e in demo_logins if e["login"] == "citizen04")
    page = _signed_in_and_precached(sign_in_browser, sw_context, live_server, a, "en")
    a_session = [c for c in sw_context.cookies() if c["name"] == "bro_session"]
    _dentist_form_sent_offline(sw_context, page, live_server, "Tandlæge Delt")

    other = browser.new_context()
    sign_in_browser(other.new_page(), live_server, b)
    b_session = [c for c in other.cookies() if c["name"] == "bro_session"]
    other.close()
    sw_context.add_cookies(b_session)  # B's session now, without a page of A's noticing
    sw_context.set_offline(False)
    assert page.evaluate(FLUSH) == 1  # kept, not sent under B
    db = connect(app.config["DATABASE"])
    sent = "SELECT u.login FROM interpreter_requests r JOIN users u ON u.id = r.citizen_id WHERE r.place = 'Tandlæge Delt'"
    assert db.execute(sent).fetchall() == []

    sw_context.add_cookies(a_session)
    _poll(page, FLUSH, 0)  # a flush still running under B may answer first: ask until sent
    assert [r[0] for r in db.execute(sent).fetchall()] == ["citizen03"]


def test_the_outbox_is_forgotten_when_the_session_ends_elsewhere(
    sw_context, live_server, demo_logins, app, sign_in_browser
):
    a = next(e for e in demo_logins if e["login"] == "citizen05")
    page = _signed_in_and_precached(sign_in_browser, sw_context, live_server, a, "en")
    _dentist_form_sent_offline(sw_context, page, live_server, "Tandlæge Glemt")
    db = connect(app.config["DATABASE"])
    with db.conn:  # signed out from another device: every session of A ends
        db.execute(
            "UPDATE users SET session_version = session_version + 1 WHERE login = 'citizen05'"
        )
    sw_context.set_offline(False)
    page.goto(f"{live_server}/en/me")  # A opens their page: signed out, so the sign-in page
    page.wait_for_url(re.compile(r".*/en/login"))
    _wait_until_outbox_is_empty(page)
    assert (
        db.execute(
            "SELECT count(*) FROM interpreter_requests WHERE place = 'Tandlæge Glemt'"
        ).fetchone()[0]
        == 0
    )


def test_offline_in_tigrinya_no_home_task_dead_ends(sw_context, live_server):
    """After one visit in Tigrinya, offline: each of the home page's tasks, help near you, the
    side-by-side reading and another language's offline page open."""
    page = sw_context.new_page()
    page.goto(f"{live_server}/ti/")
    _wait_for_precache(page, "ti")
    links = page.locator("main a[href^='/ti/help/']").evaluate_all(
        "els => els.map(e => e.pathname)"
    )
    assert len(links) >= 5  # four tasks and help near you
    sw_context.set_offline(True)
    for path in links:
        page.goto(f"{live_server}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "ti")
        assert "/offline" not in page.url and page.locator("main h1").count() == 1, path
    page.goto(f"{live_server}/ti/guides/interpreter-rights?with=da")
    expect(page.locator("[lang=da]").first).to_be_attached()
    page.goto(f"{live_server}/so/guides/")  # Somali never opened: its own offline page
    expect(page.locator("html")).to_have_attribute("lang", "so")
