"""Translations that stay true: a Danish change marks its translations outdated, everywhere."""

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date

from app import clock, create_app
from app.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TRANSLATIONS = [lang.code for lang in LANGUAGES if lang.code != "da"]
DANISH_ADDITION = "Skriv datoen ned, så snart du får brevet."


def make_app(tmp_path: Path, content: Path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / f"bro-{len(list(tmp_path.glob('bro-*')))}.sqlite3"),
            "CONTENT_DIR": str(content),
        }
    )


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["content", *args])


def add_to_section(path: Path, section_id: str, sentence: str) -> None:
    """Append a sentence to the first paragraph of a section."""
    text = path.read_text(encoding="utf-8")
    at = text.index(f"{{#{section_id}}}\n") + len(f"{{#{section_id}}}\n")
    end = text.index("\n", at)
    path.write_text(text[:end] + " " + sentence + text[end:], encoding="utf-8")


def section_html(html: str, section_id: str) -> str:
    start = html.index(f'id="section-{section_id}"')
    end = html.find('<section class="guide-section"', start)
    return html[start : end if end > 0 else len(html)]


def copy_content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_content(tmp_path)


def test_todays_translations_are_all_current(content, tmp_path):
    app = make_app(tmp_path, content)
    report = json.loads(run(app, "status", "--json").output)
    assert set(report) == set(TRANSLATIONS)
    for lang, guides in report.items():
        for slug, row in guides.items():
            if slug != "screen-texts":
                assert row["outdated"] == [] and row["missing"] == [], (lang, slug)
    html = app.test_client().get("/so/guides/decisions-and-appeals").get_data(as_text=True)
    assert "notice outdated" not in html
    languages = app.test_client().get("/en/about/languages").get_data(as_text=True)
    assert "Nothing: every translation was made from the Danish text as it is today." in languages


def test_a_danish_change_is_outdated_everywhere_until_english_follows(content, tmp_path):
    add_to_section(content / "da" / "decisions-and-appeals.md", "deadline", DANISH_ADDITION)
    app = make_app(tmp_path, content)

    report = json.loads(run(app, "status", "--json").output)
    for lang in TRANSLATIONS:
        outdated = {
            slug: row["outdated"]
            for slug, row in report[lang].items()
            if slug != "screen-texts" and row["outdated"]
        }
        assert outdated == {"decisions-and-appeals": ["deadline"]}, lang
    assert report["so"]["screen-texts"]["total"] > 100

    # The check fails: the Danish change is not recorded, and English did not follow.
    check = run(app, "check")
    assert check.exit_code != 0
    assert "content/da/decisions-and-appeals.md: #deadline changed" in check.output
    assert "content/en/decisions-and-appeals.md: #deadline was translated from an older" in (
        check.output
    )
    assert run(app, "record").exit_code == 0
    check = run(make_app(tmp_path, content), "check")
    assert check.exit_code != 0
    assert "content/da/" not in check.output
    assert "content/en/decisions-and-appeals.md: #deadline" in check.output

    # The Somali reader sees the notice on that section, dated the day the change was recorded.
    app = make_app(tmp_path, content)
    client = app.test_client()
    html = client.get("/so/guides/decisions-and-appeals").get_data(as_text=True)
    assert html.count('class="notice outdated"') == 1
    assert 'class="notice outdated"' in section_html(html, "deadline")
    assert 'href="/so/guides/decisions-and-appeals?with=da#deadline"' in section_html(
        html, "deadline"
    )
    english = client.get("/en/guides/decisions-and-appeals").get_data(as_text=True)
    today = format_date(clock.today(), "long", locale="en")  # a day in Denmark, as recorded
    assert (
        f"The Danish text of this part changed on {today}. This translation may be out of date."
        in english
    )
    # Side by side with Danish, the notice stays on that section.
    pair = client.get("/so/guides/decisions-and-appeals?with=da").get_data(as_text=True)
    assert pair.count('class="notice outdated"') == 1
    # Other guides of the language show nothing.
    other = client.get("/so/guides/access-to-your-file").get_data(as_text=True)
    assert "notice outdated" not in other
    # The languages page counts it for everyone.
    languages = client.get("/en/about/languages").get_data(as_text=True)
    somali_row = re.search(r'<tr>\s*<th scope="row"><span lang="so".*?</tr>', languages, re.S)
    cells = re.findall(r"<td>(.*?)</td>", somali_row.group())
    parts = sum(
        row["current"] + len(row["outdated"]) + len(row["missing"])
        for slug, row in report["so"].items()
        if slug != "screen-texts"
    )
    assert cells[3:5] == [f"{parts - 1} of {parts}", "1"], cells
    waiting = languages[languages.index("Waiting for a new translation") :]
    assert waiting.count(">Decisions and how to complain</a> (1)") == 11  # each translation
    assert 'href="/so/guides/decisions-and-appeals"' in waiting

    # English follows: the team edits it and records it; the check passes.
    add_to_section(
        content / "en" / "decisions-and-appeals.md",
        "deadline",
        "Write down the date as soon as you get the letter.",
    )
    recorded = run(make_app(tmp_path, content), "record", "--lang", "en")
    assert "decisions-and-appeals#deadline" in recorded.output
    app = make_app(tmp_path, content)
    check = run(app, "check")
    assert check.exit_code == 0, check.output
    report = json.loads(run(app, "status", "--json").output)
    assert report["en"]["decisions-and-appeals"]["outdated"] == []
    assert report["so"]["decisions-and-appeals"]["outdated"] == ["deadline"]
    html = app.test_client().get("/en/guides/decisions-and-appeals").get_data(as_text=True)
    assert "notice outdated" not in html


def test_a_changed_glossary_entry_is_flagged_on_that_entry(content, tmp_path):
    add_to_section(content / "da" / "glossary.md", "klagefrist", DANISH_ADDITION)
    app = make_app(tmp_path, content)
    report = json.loads(run(app, "status", "--json").output)
    assert report["ti"]["glossary"]["outdated"] == ["klagefrist"]
    html = app.test_client().get("/ti/glossary").get_data(as_text=True)
    assert html.count('class="notice outdated"') == 1
    assert 'href="/da/glossary#klagefrist"' in html


def test_status_prints_a_table_with_screen_texts(content, tmp_path):
    output = run(make_app(tmp_path, content), "status").output
    assert re.search(r"^so\s+decisions-and-appeals\s+draft\s+7\s+0\s+0$", output, re.M)
    assert re.search(r"^ti\s+screen texts \(citizen\)", output, re.M)


def test_a_reviewed_guide_needs_the_reviewer_and_the_date(content, tmp_path):
    path = content / "so" / "your-caseworker.md"
    path.write_text(
        path.read_text()
        .replace("status: draft", "status: reviewed", 1)
        .replace("reviewed_on:", "reviewed_on: 2026-12-01", 1)
    )
    check = run(make_app(tmp_path, content), "check")
    assert check.exit_code != 0
    assert "so/your-caseworker.md: a reviewed guide needs reviewed_by" in check.output


def test_a_translator_can_confirm_one_section_without_changing_it(content, tmp_path):
    add_to_section(content / "da" / "bring-a-companion.md", "how", DANISH_ADDITION)
    app = make_app(tmp_path, content)
    wrong = run(app, "record", "--lang", "so", "--section", "bring-a-companion#nope")
    assert wrong.exit_code != 0 and "no such section: bring-a-companion#nope" in wrong.output
    result = run(app, "record", "--lang", "so", "--section", "bring-a-companion#how")
    assert "so  bring-a-companion#how: recorded" in result.output
    report = json.loads(run(make_app(tmp_path, content), "status", "--json").output)
    assert report["so"]["bring-a-companion"]["outdated"] == []
    assert report["uk"]["bring-a-companion"]["outdated"] == ["how"]
