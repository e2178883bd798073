"""The check-in and the public report as people meet them: a Somali citizen answers offline,
an anonymous Arabic reader sees it counted, the pages pass axe-core, and the report prints
on A4 with one page per quarter."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from app import checkins, clock
from app.db import connect
from app.demo import seed_demo
from tests.e2e.test_browser import assert_accessible
from tests.e2e.test_offline_browser import (
    FLUSH,
    _signed_in_and_precached,
    _wait_until_outbox_is_empty,
)

# Every test here runs at the frozen test moment, so the quarter the app counts in is the one
# the test expects whatever the machine's date.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("frozen_clock")]


def current() -> str:
    return checkins.period_of(clock.today())


@pytest.fixture
def phone(browser):
    """A phone with the service worker allowed (the outbox lives in it)."""
    context = browser.new_context(service_workers="allow", viewport={"width": 390, "height": 844})
    yield context
    context.close()


def _others_answered(app, how_many: int) -> None:
    """Check-ins of other people in this quarter, so the report shows the count."""
    db = connect(app.config["DATABASE"])
    with db.conn:
        for n in range(how_many):
            person = (
                db["users"]
                .insert(
                    {"login": f"other{n}", "name": "Other Demo", "role": "citizen", "lang": "ar"}
                )
                .last_pk
            )
            db["checkins"].insert(
                {"citizen_id": person, "period": current(), "life_better": 3, "help_mattered": 3,
                 "working_together": 3, "need": "job", "idempotency_key": f"other-{n}"}
            )  # fmt: skip


def test_a_check_in_answered_offline_in_somali_is_sent_once_and_counted(
    phone, live_server, demo_logins, app, browser, sign_in_browser
):
    _others_answered(app, 5)
    entry = next(e for e in demo_logins if e["login"] == "citizen09")  # Hodan, Somali
    page = _signed_in_and_precached(sign_in_browser, phone, live_server, entry, "so")
    page.locator("#checkin-title ~ p a").click()
    page.wait_for_url(re.compile(r".*/so/me/checkin$"))
    page.locator("input[name=life_better][value='3']").check()
    page.locator("input[name=help_mattered][value='2']").check()
    page.locator("input[name=working_together][value='3']").check()
    page.locator("input[name=need][value=danish]").check()
    page.locator("#free_text").fill("Waxaan rabaa fasal habeenkii")
    db = connect(app.config["DATABASE"])
    mine = "SELECT period, life_better, help_mattered, need, free_text FROM checkins c JOIN users u ON u.id = c.citizen_id WHERE u.login = 'citizen09'"
    phone.set_offline(True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/so/offline#saved$"))
    expect(page.locator("[data-saved]")).to_be_visible()
    assert db.execute(mine).fetchall() == []

    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until_outbox_is_empty(page)
    assert page.evaluate(FLUSH) == 0  # a second flush sends nothing more
    rows = [tuple(r) for r in db.execute(mine).fetchall()]
    assert rows == [(current(), 3, 2, "danish", "Waxaan rabaa fasal habeenkii")]

    reader = browser.new_context()  # an anonymous visitor, nobody signed in
    report = reader.new_page()
    report.goto(f"{live_server}/ar/about/evaluation")
    expect(report.locator("html")).to_have_attribute("dir", "rtl")
    quarter = report.locator("section.quarter", has=report.locator(f"#q-{current()}"))
    expect(quarter).to_contain_text("الإجابات حتى الآن: 6")  # "Check-ins so far: 6"
    expect(report.locator("body")).not_to_contain_text("fasal habeenkii")
    reader.close()


@pytest.mark.parametrize("lang", ["da", "ar", "ti"])
def test_the_check_in_and_the_report_pass_axe(
    browser, live_server, demo_logins, app, sign_in_browser, lang
):
    citizen = next(e for e in demo_logins if e["role"] == "citizen" and e["lang"] == lang)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in_browser(page, live_server, citizen, lang)
    page.goto(f"{live_server}/{lang}/me")
    expect(page.locator("#checkin-title")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/me/checkin")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # nothing chosen: the error summary
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    context.close()

    _seed_history(app)
    reader = browser.new_context()
    report = reader.new_page()
    report.goto(f"{live_server}/{lang}/about/evaluation")
    expect(report.locator("section.quarter svg.chart").first).to_be_visible()
    assert_accessible(report)
    report.goto(f"{live_server}/{lang}/about/evaluation/data")
    assert_accessible(report)
    reader.close()


def _seed_history(app) -> None:
    """The demo's three quarters of answers, beside the demo people already there."""
    from app.demo import _seed_evaluation

    db = connect(app.config["DATABASE"])
    with app.app_context(), db.atomic():
        _seed_evaluation(db, clock.today())


@pytest.mark.parametrize("lang", ["da", "ar"])
def test_the_report_prints_one_a4_page_per_quarter(browser, live_server, app, lang):
    seed_demo(app)  # the demo as `make run` has it: three quarters
    page = browser.new_page()
    page.goto(f"{live_server}/{lang}/about/evaluation")
    headings = page.locator("section.quarter h2").all_inner_texts()
    assert len(headings) == 3
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    # The introduction and the trend, then each quarter on a page of its own.
    assert len(pdf.pages) == 1 + len(headings)
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4, points
    sections = page.locator("section.quarter").all()
    for number, section in enumerate(sections, start=1):
        text = " ".join(pdf.pages[number].extract_text().split())
        if lang == "da":
            assert headings[number - 1] in text
        # How many answered that quarter, on that quarter's page.
        answered = re.search(r"\d+", section.locator("p, li").first.inner_text()).group()
        assert answered in text, (number, answered, text[:200])
