"""The content check, on the real content and on deliberately broken copies."""

import shutil
from pathlib import Path

import pytest

from app.content import GUIDES, check_library, load_library, normalize

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
GUIDE_LANGS = ("da", "en", "ar", "fa", "uk", "so")


def _build_url(endpoint, lang, anchor=None, **values):
    base = (
        f"/{lang}/glossary"
        if endpoint == "guides.glossary"
        else f"/{lang}/guides/{values.get('slug')}"
    )
    return f"{base}#{anchor}" if anchor else base


@pytest.fixture(scope="module")
def library():
    return load_library(CONTENT, _build_url)


def test_real_content_passes_the_check(library):
    assert check_library(library) == []


def test_guides_and_glossaries_present_in_the_six_languages(library):
    for lang in GUIDE_LANGS:
        for slug in GUIDES:
            assert library.guide(lang, slug), f"content/{lang}/{slug}.md missing"
        assert len(library.glossaries[lang].sections) >= 40


def test_translations_are_marked_draft(library):
    for (_lang, _slug), doc in library.guides.items():
        assert doc.status in ("draft", "reviewed")
        if doc.status == "reviewed":
            assert doc.reviewed_on, doc.path


@pytest.mark.parametrize("lang", GUIDE_LANGS)
def test_appeal_facts_survive_translation(library, lang):
    doc = library.guide(lang, "decisions-and-appeals")
    deadline = normalize(doc.section("deadline").text)
    assert "4" in deadline
    assert "67" in deadline
    whole = " ".join(s.text for s in doc.sections)
    assert "Ankestyrelsen" in whole


def test_content_check_command_passes(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "content check passed" in result.output


def _broken_copy(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def test_missing_section_fails(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "ar" / "jobcenter-meeting.md"
    text = path.read_text()
    start = text.index("{#bring}")
    start = text.rindex("\n## ", 0, start)
    end = text.index("\n## ", start + 1)
    path.write_text(text[:start] + text[end:])
    errors = check_library(load_library(copy, _build_url))
    assert any("content/ar/jobcenter-meeting.md" in e and "missing bring" in e for e in errors)


def test_bad_link_fails(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "en" / "bring-a-companion.md"
    path.write_text(
        path.read_text() + "\nSee [this](no-such-guide) and [that](../glossary#nope).\n"
    )
    errors = check_library(load_library(copy, _build_url))
    assert any("no guide 'no-such-guide'" in e for e in errors)
    assert any("no glossary entry #nope" in e for e in errors)


def test_bad_front_matter_fails(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "so" / "your-caseworker.md"
    path.write_text(path.read_text().replace("status: draft", "status: final", 1))
    errors = check_library(load_library(copy, _build_url))
    assert any("so/your-caseworker.md: status must be draft or reviewed" in e for e in errors)


def test_check_command_exits_non_zero_on_a_broken_copy(tmp_path):
    from app import create_app

    copy = _broken_copy(tmp_path)
    (copy / "fa" / "after-the-meeting.md").write_text("---\ntitle: x\n---\nno sections\n")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE": str(tmp_path / "db.sqlite3"),
            "CONTENT_DIR": str(copy),
        }
    )
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code != 0
    assert "ERROR content/fa/after-the-meeting.md" in result.output


def test_raw_html_in_content_is_escaped(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "en" / "bring-a-companion.md"
    text = path.read_text().replace(
        "{#what}\n", "{#what}\n<script>alert(1)</script> <b>hi</b>\n", 1
    )
    path.write_text(text)
    doc = load_library(copy, _build_url).guide("en", "bring-a-companion")
    html = doc.section("what").html
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html


def test_bold_glossary_terms_link_to_the_glossary(library):
    html = library.guide("ar", "decisions-and-appeals").section("after-appeal").html
    assert 'href="/ar/glossary#ankestyrelsen"' in html
    assert 'lang="da"' in html


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ANKESTYRELSEN", "Ankestyrelsen"),
        ("afgorelse", "afgørelse"),
        ("كتاب", "کتاب"),  # Arabic kaf typed, Persian kaf written
        ("علي", "علی"),
        ("مدرسة", "مدرسه"),
        ("٤", "4"),
        ("۴", "4"),
        ("Türkçe", "turkce"),
        ("Kurmancî", "kurmanci"),
    ],
)
def test_normalize_folds_what_people_type(typed, written):
    assert normalize(typed) == normalize(written)


def _section_span(text: str, section_id: str) -> tuple[int, int]:
    start = text.index("{#" + section_id + "}")
    end = text.find("\n## ", start)
    return start, len(text) if end == -1 else end


def _edit_section(path: Path, section_id: str, edit) -> None:
    text = path.read_text()
    start, end = _section_span(text, section_id)
    path.write_text(text[:start] + edit(text[start:end]) + text[end:])


def test_a_lost_number_fails_the_check(tmp_path):
    import re

    copy = _broken_copy(tmp_path)
    # The deliberate mistake: "4 weeks" written out in words in the Arabic deadline section.
    _edit_section(
        copy / "ar" / "decisions-and-appeals.md", "deadline", lambda s: re.sub(r"\b4\b", "أربعة", s)
    )
    errors = check_library(load_library(copy, _build_url))
    assert errors == [
        "content/ar/decisions-and-appeals.md: #deadline lacks the number(s) 4 of the Danish source"
    ]


def test_arabic_indic_digits_count_as_the_same_numbers(tmp_path):
    copy = _broken_copy(tmp_path)
    to_arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    path = copy / "ar" / "decisions-and-appeals.md"
    _edit_section(path, "deadline", lambda s: s.translate(to_arabic_indic))
    assert "٤" in path.read_text()
    assert check_library(load_library(copy, _build_url)) == []


def test_a_lost_bold_term_fails_the_check(tmp_path):
    copy = _broken_copy(tmp_path)
    _edit_section(
        copy / "fa" / "decisions-and-appeals.md",
        "after-appeal",
        lambda s: s.replace("**Ankestyrelsen**", "Ankestyrelsen"),
    )
    errors = check_library(load_library(copy, _build_url))
    assert any(
        "fa/decisions-and-appeals.md: #after-appeal lacks the bold Danish term(s) ankestyrelsen"
        in e
        for e in errors
    )


def test_a_lost_source_fails_the_check(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "uk" / "decisions-and-appeals.md"
    text = path.read_text()
    start = text.index("  - title: Retssikkerhedsloven § 67")
    end = text.index("  - title:", start + 5)
    path.write_text(text[:start] + text[end:])
    errors = check_library(load_library(copy, _build_url))
    assert any(
        "source 'Retssikkerhedsloven § 67' of the Danish source is missing" in e for e in errors
    )
