"""Valid HTML: the Nu Html Checker (the W3C validator, `vnu-jar` from npm, run with Debian's
Java) reads public, citizen, helper and staff pages in Danish, Arabic and Tigrinya: 0 errors.

`make test` installs both (`make vnu`). Warnings do not fail the test; they are listed in the
test output (pytest's warnings summary).
"""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

from app import checkins, clock
from app.db import connect

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / ".bench" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PUBLIC = [
    "/{lang}/",
    "/{lang}/help/prepare",
    "/{lang}/guides/",
    "/{lang}/guides/jobcenter-meeting",
    "/{lang}/glossary",
    "/{lang}/search?q=klage",
    "/{lang}/help/contacts",
    "/{lang}/login",
    "/{lang}/language/missing",
    "/{lang}/about/evaluation",
]
PUBLIC_ONCE = [
    "/ar/guides/decisions-and-appeals?with=da",
    "/da/language",
    "/da/about/languages",
    "/ar/about/privacy",
    "/ti/about/accessibility",
    "/ti/about/accessibility/report",
    "/ar/offline",
    "/da/help/read-aloud",
    "/ti/activate",
    "/ar/helper/join",
    "/ti/about/evaluation/data",
]
CITIZEN = [
    "/{lang}/me",
    "/{lang}/me/meetings",
    "/{lang}/me/meetings/{meeting}",
    "/{lang}/me/meetings/{past}/feedback",
    "/{lang}/me/decisions",
    "/{lang}/me/decisions/{decision}",
    "/{lang}/me/interpreter/new",
    "/{lang}/me/interpreter",
    "/{lang}/me/helpers",
    "/{lang}/account/passkeys",
    "/{lang}/me/data/print",
    "/{lang}/me/checkin",
]
HELPER = [
    "/ar/helping",
    "/ar/helping/{citizen}",
    "/ar/helping/{citizen}/meetings/{meeting}",
    "/ar/helping/{citizen}/interpreter/new",
]
STAFF = [
    "/da/staff",
    "/da/staff/citizens/new",
    "/da/staff/citizens/{citizen}",
    "/da/staff/citizens/{citizen}/meetings/new",
    "/da/staff/citizens/{citizen}/decisions/new",
    "/da/staff/citizens/{citizen}/handover",
    "/da/staff/citizens/{citizen}/reset-access",
    "/da/staff/meetings/{meeting}/edit",
    "/da/staff/meetings/{past}/agreements",
    "/da/staff/interpreters",
    "/da/staff/absence",
    "/da/staff/feedback",
    "/da/staff/translations",
    "/da/staff/translations/{translation}",
    "/da/staff/citizens/{citizen}/checkins/{period}",
]
COORDINATOR = [
    "/da/staff/accounts",
    "/da/staff/register",
    "/da/staff/register/import",
    "/da/staff/move-caseload",
    "/da/staff/audit",
    "/da/staff/report",
    "/da/staff/retention",
    "/da/staff/language-requests",
    "/da/staff/report/changes",
]


def _ids(app, login: str) -> dict:
    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = ?", [login]).fetchone()[0]
    now = clock.now_local().replace(tzinfo=None).isoformat()
    translation = db.execute(
        "SELECT id FROM translation_requests WHERE citizen_id = ?", [citizen]
    ).fetchone()
    return {
        "citizen": citizen,
        "translation": translation[0] if translation else None,
        "period": checkins.period_of(clock.today()),
        "meeting": db.execute(
            "SELECT id FROM meetings WHERE citizen_id = ? AND starts_at > ? ORDER BY starts_at",
            [citizen, now],
        ).fetchone()[0],
        "past": db.execute(
            "SELECT id FROM meetings WHERE citizen_id = ? AND ends_at < ?", [citizen, now]
        ).fetchone()[0],
        "decision": db.execute(
            "SELECT id FROM decisions WHERE citizen_id = ?", [citizen]
        ).fetchone()[0],
    }


def _pages(app, auth) -> dict[str, bytes]:
    """Every page to check, as served: URL → bytes."""
    pages: dict[str, bytes] = {}

    def fetch(client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[url] = response.get_data()

    anonymous = app.test_client()
    for lang in ("da", "ar", "ti"):
        for url in PUBLIC:
            fetch(anonymous, url.format(lang=lang))
    for url in PUBLIC_ONCE:
        fetch(anonymous, url)
    for lang, login in (("ar", "citizen03"), ("ti", "citizen10"), ("da", "citizen01")):
        client, ids = auth(login, lang), _ids(app, login)
        for url in CITIZEN:
            fetch(client, url.format(lang=lang, **ids))
    ids = _ids(app, "citizen03")  # helper1 helps citizen03; caseworker3 is their caseworker
    helper = auth("helper1", "ar")
    for url in HELPER:
        fetch(helper, url.format(**ids))
    caseworker = auth("caseworker3", "da")
    for url in STAFF:
        fetch(caseworker, url.format(**ids))
    coordinator = auth("coordinator", "da")
    for url in COORDINATOR:
        fetch(coordinator, url)
    return pages


def test_every_kind_of_page_is_valid_html(app, demo_logins, auth, tmp_path):
    assert VNU.exists(), "the Nu Html Checker is missing: `make test` installs it (make vnu)"
    pages = _pages(app, auth)
    assert len(pages) >= 30
    files = {}
    for number, (url, body) in enumerate(pages.items()):
        path = tmp_path / f"page{number:03d}.html"
        path.write_bytes(body)
        files[path.name] = url
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--stdout"]
        + [str(tmp_path / name) for name in sorted(files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    errors, notes = [], {}
    for message in messages:
        url = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", ""))
        line = f"{url}:{message.get('lastLine', '?')}: {message['message']}"
        if message["type"] in ("error", "non-document-error"):
            errors.append(line)
        elif message.get("subType") == "warning":
            notes.setdefault(message["message"], []).append(url)
    for note, urls in sorted(notes.items()):
        where = f"{len(set(urls))} page(s), e.g. {urls[0]}"
        warnings.warn(f"Nu Html Checker warning: {note} ({where})", UserWarning, stacklevel=1)
    assert not errors, f"{len(errors)} error(s) on {len(pages)} pages:\n" + "\n".join(errors)
