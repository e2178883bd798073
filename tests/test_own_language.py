"""Your own case in your own language: every personal page, walked in Somali and Arabic (and by
the helper in Arabic), shows Danish only inside `lang="da"` (WCAG 3.1.2); a caseworker's words
can be asked for in the citizen's language, and a person's translation reaches them."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest

from app import clock
from app.db import connect

# Danish letters, or a short Danish word that Somali and Arabic text never contains ("af" is
# Somali for "language", so it is not on the list).
DANISH = re.compile(
    r"[æøåÆØÅ]|\b(og|ikke|jeg|har|fået|med|til|din|dit|dine|vi|er|skal|hos|sag|kommune)\b",
    re.IGNORECASE,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class LanguageWalk(HTMLParser):
    """Collects the visible text that looks Danish but is not inside an element marked Danish."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.unmarked: list[str] = []
        self.links: set[str] = set()

    def lang(self) -> str | None:
        return next((lang for _tag, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"].split("#")[0])
        if tag not in VOID:
            self.stack.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        inside = {tag for tag, _lang in self.stack}
        if inside & {"script", "style", "title", "head", "code"} or not data.strip():
            return
        if (self.lang() or "").startswith("da"):
            return
        if DANISH.search(data):
            self.unmarked.append(data.strip())


def walk(client, start: str, prefix: str) -> dict[str, list[str]]:
    """Open `start` and every personal page linked from it under `prefix`; the unmarked Danish
    text found on each."""
    seen: dict[str, list[str]] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        parser = LanguageWalk()
        parser.feed(response.get_data(as_text=True))
        seen[url] = parser.unmarked
        queue.extend(
            link
            for link in parser.links
            if link.startswith(prefix) and not link.endswith((".ics", "/data"))
        )
    return seen


@pytest.mark.parametrize(("login", "lang"), [("citizen09", "so"), ("citizen03", "ar")])
def test_every_personal_page_marks_its_danish(auth, login, lang):
    pages = walk(auth(login, lang), f"/{lang}/me", f"/{lang}/me")
    assert len(pages) >= 10, sorted(pages)  # my page, meetings, decisions, requests, data…
    assert {url: text for url, text in pages.items() if text} == {}


def test_the_helpers_view_marks_its_danish(app, auth):
    citizen = (
        connect(app.config["DATABASE"])
        .execute("SELECT id FROM users WHERE login = 'citizen03'")
        .fetchone()[0]
    )
    prefix = f"/ar/helping/{citizen}"
    pages = walk(auth("helper1", "ar"), prefix, prefix)
    assert len(pages) >= 8, sorted(pages)
    assert {url: text for url, text in pages.items() if text} == {}


def test_the_walk_finds_unmarked_danish():
    """The check itself: Danish outside lang="da" is found, inside it is not."""
    parser = LanguageWalk()
    parser.feed('<p lang="so">Shirkad <span lang="da">Afgørelse om ydelse</span></p>'
                "<p>Jonas har fået nye opgaver.</p>")  # fmt: skip
    assert parser.unmarked == ["Jonas har fået nye opgaver."]


def _gettext(app, lang: str, text: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(text)


def test_a_note_asked_for_in_tigrinya_is_translated_by_a_person(app, auth, post_form):
    db = connect(app.config["DATABASE"])
    selam = db.execute("SELECT id FROM users WHERE login = 'citizen10'").fetchone()[0]
    meeting = db.execute(
        "SELECT id FROM meetings WHERE citizen_id = ? ORDER BY starts_at LIMIT 1", [selam]
    ).fetchone()[0]
    staff = auth("caseworker1", "en")  # Selam's caseworker
    form = staff.get(f"/en/staff/meetings/{meeting}/agreements").get_data(as_text=True)
    assert "Selam Demo" in form and 'lang="ti"' in form  # the form says what they read
    saved = post_form(
        staff,
        f"/en/staff/meetings/{meeting}/agreements",
        {"rows-0-step": next(iter(_steps(meeting, db))), "rows-0-who": "you",
         "note": "Husk at sende din lønseddel til os."},
    )  # fmt: skip
    assert saved.status_code == 303

    citizen = auth("citizen10", "ti")
    page = citizen.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    ask = _gettext(app, "ti", "Ask for this in my language")
    assert ask != "Ask for this in my language" and ask in page
    assert '<span lang="da" dir="auto">Husk at sende din lønseddel til os.</span>' in page
    url = "/ti/me/translations"
    fields = {"source": "meeting-agreements", "object_id": str(meeting)}
    first = post_form(citizen, url, fields, page=f"/ti/me/meetings/{meeting}")
    again = post_form(citizen, url, fields, page=f"/ti/me/meetings/{meeting}")
    assert first.status_code == again.status_code == 303
    assert (
        db.execute(
            "SELECT count(*) FROM translation_requests WHERE citizen_id = ? AND lang = 'ti'",
            [selam],
        ).fetchone()[0]
        == 1
    )  # a double tap is stored once
    waiting = citizen.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    assert waiting.count(ask) == page.count(ask) - 1  # this one says it was asked for instead

    queue = staff.get("/en/staff/translations").get_data(as_text=True)
    assert "Selam Demo" in queue and "Husk at sende din lønseddel" in queue
    request_id = db.execute(
        "SELECT id FROM translation_requests WHERE citizen_id = ? AND lang = 'ti'", [selam]
    ).fetchone()[0]
    empty = post_form(staff, f"/en/staff/translations/{request_id}", {"translation": " "})
    assert empty.status_code == 422 and "Write the translation" in empty.get_data(as_text=True)
    done = post_form(staff, f"/en/staff/translations/{request_id}", {"translation": "ደሞዝካ ስደደልና።"})
    assert done.status_code == 303
    assert "Selam Demo" not in staff.get("/en/staff/translations").get_data(as_text=True)

    translated = citizen.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    label = _gettext(app, "ti", "Translated by a person on %(date)s").split("%(date)s")[0]
    assert label.strip() and label in translated
    assert '<p lang="ti" dir="auto">ደሞዝካ ስደደልና።</p>' in translated
    assert "<details>" in translated and "Husk at sende din lønseddel til os." in translated
    assert (
        db.execute(
            "SELECT count(*) FROM audit_log WHERE action IN ('asked-translation', 'translated')"
        ).fetchone()[0]
        == 2
    )

    # The caseworker changes the words: the old translation no longer fits, so it goes.
    post_form(
        staff,
        f"/en/staff/meetings/{meeting}/agreements",
        {"rows-0-step": next(iter(_steps(meeting, db))), "rows-0-who": "you",
         "note": "Husk lønsedlen og din lejekontrakt."},
    )  # fmt: skip
    changed = citizen.get(f"/ti/me/meetings/{meeting}").get_data(as_text=True)
    assert "ደሞዝካ ስደደልና።" not in changed and ask in changed


def _steps(meeting_id: int, db) -> list[str]:
    from app.meeting_catalogue import steps_for

    kind = db.execute("SELECT kind FROM meetings WHERE id = ?", [meeting_id]).fetchone()[0]
    return [entry.id for entry in steps_for(kind)]


def test_asking_about_someone_elses_record_is_a_404(app, auth, post_form):
    db = connect(app.config["DATABASE"])
    other = db.execute(
        "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id "
        "WHERE u.login = 'citizen09' AND m.purpose != '' LIMIT 1"
    ).fetchone()[0]
    citizen = auth("citizen10", "ti")
    stolen = post_form(
        citizen,
        "/ti/me/translations",
        {"source": "meeting-purpose", "object_id": str(other)},
        page="/ti/me",
    )
    assert stolen.status_code == 404
    unknown = post_form(
        citizen, "/ti/me/translations", {"source": "diary", "object_id": "1"}, page="/ti/me"
    )
    assert unknown.status_code == 400
    # Nothing was stored for either.
    assert (
        db.execute(
            "SELECT count(*) FROM translation_requests WHERE object_id = ? AND lang = 'ti'", [other]
        ).fetchone()[0]
        == 0
    )


def test_demo_shows_a_translation_by_a_person_and_one_waiting(app, auth):
    """The demo has one finished request (Amal, Arabic) and one open (Hodan, Somali)."""
    amal = auth("citizen03", "ar").get("/ar/me").get_data(as_text=True)
    assert "يعمل يوناس إكسمبل الآن في فريق آخر." in amal
    assert _gettext(app, "ar", "Translated by a person on %(date)s").split("%(date)s")[0] in amal
    queue = auth("coordinator", "en").get("/en/staff/translations").get_data(as_text=True)
    assert "Hodan Demo" in queue and "Amal Demo" not in queue


def test_my_page_puts_the_urgent_first(app, auth):
    """A deadline within 14 days and a meeting within 7 come before what changed and before the
    after-meeting questions; a deadline further away stays in the list below."""
    db = connect(app.config["DATABASE"])
    amal = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    page = auth("citizen03", "en").get("/en/me").get_data(as_text=True)
    urgent = page.index('id="urgent-title"')
    assert urgent < page.index('id="caseworker-title"')
    if 'id="feedback-title"' in page:
        assert urgent < page.index('id="feedback-title"')
    box = page[urgent : page.index("</section>", urgent)]
    today = clock.today()
    soon = db.execute(
        "SELECT count(*) FROM decisions WHERE citizen_id = ? AND appeal_deadline BETWEEN ? AND ?",
        [amal, today.isoformat(), (today + datetime.timedelta(days=14)).isoformat()],
    ).fetchone()[0]
    assert box.count('href="/en/me/decisions/') == soon
    # Move every deadline a month away: nothing urgent about decisions any more.
    db.execute(
        "UPDATE decisions SET appeal_deadline = ?, received_on = ? WHERE citizen_id = ?",
        [(today + datetime.timedelta(days=30)).isoformat(), today.isoformat(), amal],
    )
    db.execute(
        "UPDATE meetings SET starts_at = datetime(starts_at, '+20 days'), "
        "ends_at = datetime(ends_at, '+20 days') WHERE citizen_id = ?",
        [amal],
    )
    calm = auth("citizen03", "en").get("/en/me").get_data(as_text=True)
    assert 'id="urgent-title"' not in calm
    assert "Decisions you can still complain about" in calm and "/en/me/decisions/" in calm


def test_a_passed_request_without_a_booking_says_so(app, auth):
    db = connect(app.config["DATABASE"])
    hodan = db.execute("SELECT id FROM users WHERE login = 'citizen09'").fetchone()[0]
    request_id, kind = db.execute(
        "SELECT r.id, m.kind FROM interpreter_requests r JOIN meetings m ON m.id = r.meeting_id "
        "WHERE r.citizen_id = ? AND r.status = 'requested' ORDER BY r.starts_at DESC LIMIT 1",
        [hodan],
    ).fetchone()
    client = auth("citizen09", "en")
    listing = client.get("/en/me/interpreter").get_data(as_text=True)
    assert "Your caseworker is finding a certified interpreter." in listing
    with app.test_request_context("/en/"):
        from app.content import library

        title = library().title_of("en", kind)
    assert title in listing  # named by its meeting, not only by a code
    two_days_ago = clock.now_local().replace(tzinfo=None) - datetime.timedelta(days=2)
    db.execute(
        "UPDATE interpreter_requests SET starts_at = ?, ends_at = ? WHERE id = ?",
        [
            two_days_ago.isoformat(timespec="seconds"),
            (two_days_ago + datetime.timedelta(hours=1)).isoformat(timespec="seconds"),
            request_id,
        ],
    )
    page = client.get(f"/en/me/interpreter/{request_id}").get_data(as_text=True)
    assert "The time has passed and no interpreter was booked." in page
    assert "Not booked" in page


def test_my_data_whole_and_readable(app, auth):
    """The download holds bookings (interpreter by first name, mode, video link), request
    timelines, agreements, translation requests and passkeys; the page says it in Arabic."""
    import json

    db = connect(app.config["DATABASE"])
    amal = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    request_id = db.execute(
        "SELECT id FROM interpreter_requests WHERE citizen_id = ? AND status = 'requested' "
        "ORDER BY starts_at DESC LIMIT 1",
        [amal],
    ).fetchone()[0]
    hassan = db.execute("SELECT id FROM interpreters WHERE name = 'Hassan Demo'").fetchone()[0]
    db.execute(
        "UPDATE interpreter_requests SET status = 'booked', interpreter_id = ?, mode = 'video', "
        "video_url = 'https://video.example/room-7' WHERE id = ?",
        [hassan, request_id],
    )
    client = auth("citizen03", "ar")
    data = json.loads(client.get("/ar/me/data").get_data(as_text=True))
    booked = next(r for r in data["interpreter_requests"] if r["status"] == "booked")
    assert booked["interpreter"] == "Hassan" and booked["mode"] == "video"
    assert booked["video_url"] == "https://video.example/room-7"
    for key in ("interpreter_request_timelines", "meeting_agreements", "translation_requests",
                "passkeys", "answers_after_meetings"):  # fmt: skip
        assert key in data, key
    assert data["meeting_agreements"] and data["translation_requests"]
    assert data["translation_requests"][0]["translation"].startswith("يعمل يوناس")

    page = client.get("/ar/me/data/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    assert '<html lang="ar" dir="rtl">' in html
    assert _gettext(app, "ar", "Everything Bro holds about me") in html
    assert "Hassan" in html and "يعمل يوناس" in html
    assert (
        db.execute("SELECT count(*) FROM audit_log WHERE action = 'read-data-page'").fetchone()[0]
        == 1
    )


def test_a_decision_recorded_by_area_and_outcome_reads_in_tigrinya(app, auth, post_form):
    from app import decision_kinds

    db = connect(app.config["DATABASE"])
    selam = db.execute("SELECT id FROM users WHERE login = 'citizen10'").fetchone()[0]
    staff = auth("caseworker1", "da")
    url = f"/da/staff/citizens/{selam}/decisions/new"
    form = staff.get(url).get_data(as_text=True)
    assert "Selam Demo" in form and 'lang="ti"' in form  # the form says what they read
    fields = {"title": "Afgørelse om hjælp til briller", "area": "health-aid",
              "decided_on": "2026-11-30", "received_on": "2026-12-01"}  # fmt: skip
    refused = post_form(staff, url, fields)  # no outcome
    assert refused.status_code == 422
    assert 'value="Afgørelse om hjælp til briller"' in refused.get_data(as_text=True)
    saved = post_form(staff, url, {**fields, "outcome": "refused"})
    assert saved.status_code == 303
    decision = db.execute("SELECT max(id) FROM decisions").fetchone()[0]
    with app.test_request_context("/ti/"):
        from flask_babel import force_locale

        with force_locale("ti"):
            heading = str(decision_kinds.OUTCOMES["refused"])
            area = str(decision_kinds.AREAS["health-aid"])
    assert heading != "Your application is refused"
    page = auth("citizen10", "ti").get(f"/ti/me/decisions/{decision}").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page and area in page
    assert '<bdi lang="da">Afgørelse om hjælp til briller</bdi>' in page
    assert 'href="/ti/guides/decisions-and-appeals#how-to-appeal"' in page


def test_a_caseworkers_own_cancel_reason_is_marked_danish(app, auth):
    """A machine reason reads in my language; a caseworker's own words are marked Danish."""
    db = connect(app.config["DATABASE"])
    hodan = db.execute("SELECT id FROM users WHERE login = 'citizen09'").fetchone()[0]
    rid = db.execute(
        "SELECT id FROM interpreter_requests WHERE citizen_id=? LIMIT 1", [hodan]
    ).fetchone()[0]
    db.execute(
        "UPDATE interpreter_requests SET status='cancelled', cancel_reason='Mødet er flyttet' WHERE id=?",
        [rid],
    )
    page = auth("citizen09", "so").get(f"/so/me/interpreter/{rid}").get_data(as_text=True)
    assert '<bdi lang="da">Mødet er flyttet</bdi>' in page
    db.execute(
        "UPDATE interpreter_requests SET cancel_reason='meeting-cancelled' WHERE id=?", [rid]
    )
    page = auth("citizen09", "en").get(f"/en/me/interpreter/{rid}").get_data(as_text=True)
    assert "The meeting was cancelled." in page


def test_staff_are_warned_when_only_danish_words_reach_the_citizen(app, auth, post_form):
    db = connect(app.config["DATABASE"])
    selam = db.execute("SELECT id FROM users WHERE login = 'citizen10'").fetchone()[0]
    meeting = db.execute(
        "SELECT id FROM meetings WHERE citizen_id = ? ORDER BY starts_at LIMIT 1", [selam]
    ).fetchone()[0]
    staff = auth("caseworker1", "en")
    saved = post_form(
        staff, f"/en/staff/meetings/{meeting}/agreements", {"note": "Vi ses igen i januar."}
    )
    assert saved.status_code == 303
    page = staff.get(saved.headers["Location"]).get_data(as_text=True)
    assert "the citizen gets only your Danish words" in page
