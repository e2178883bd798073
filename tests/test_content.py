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


# --- sources and checked_on (issue 15) ------------------------------------------------------


def test_every_guide_has_checked_on_and_deep_sources(library):
    from app.content import is_bare_site

    for (lang, slug), doc in library.guides.items():
        assert doc.checked_on, f"content/{lang}/{slug}.md lacks checked_on"
        assert doc.sources, f"content/{lang}/{slug}.md has no sources"
        for source in doc.sources:
            assert source.get("url"), (lang, slug, source)
            assert not is_bare_site(source["url"]), (lang, slug, source)


@pytest.mark.parametrize(
    ("url", "bare"),
    [
        ("https://www.retsinformation.dk", True),
        ("https://ast.dk/", True),
        ("https://www.borger.dk", True),
        ("https://www.retsinformation.dk/eli/lta/2014/433", False),
        ("https://ast.dk/for-borgere-med-en-klagesag/klagefrister/klagefrister", False),
        ("https://www.retsinformation.dk/Forms/R0710.aspx?id=201813", False),
    ],
)
def test_is_bare_site(url, bare):
    from app.content import is_bare_site

    assert is_bare_site(url) is bare


def test_a_bare_site_source_fails_the_check(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "tr" / "bring-a-companion.md"
    text = path.read_text()
    path.write_text(
        text.replace(
            "url: https://www.retsinformation.dk/eli/lta/2014/433",
            "url: https://www.retsinformation.dk",
            1,
        )
    )
    errors = check_library(load_library(copy, _build_url))
    assert errors == [
        "content/tr/bring-a-companion.md: source 'Forvaltningsloven § 8' links to a bare site "
        "(https://www.retsinformation.dk); link the exact law (ELI address) or the authority's "
        "page for the topic"
    ]


def test_a_missing_checked_on_fails_the_check(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "uk" / "your-caseworker.md"
    path.write_text(path.read_text().replace("checked_on: 2026-12-04\n", "", 1))
    errors = check_library(load_library(copy, _build_url))
    assert errors == ["content/uk/your-caseworker.md: front matter lacks 'checked_on'"]


def test_a_checked_on_that_is_not_a_date_fails_the_check(tmp_path):
    copy = _broken_copy(tmp_path)
    path = copy / "da" / "your-caseworker.md"
    path.write_text(path.read_text().replace("checked_on: 2026-12-04", "checked_on: soon", 1))
    errors = check_library(load_library(copy, _build_url))
    assert "content/da/your-caseworker.md: checked_on must be a date (YYYY-MM-DD)" in errors


# --- the facts of issue 15, pinned in Danish (and English where cheap) ------------------------


def _text(library, lang, slug, section_id=None):
    doc = library.guide(lang, slug)
    if section_id:
        return doc.section(section_id).text
    return "\n".join([doc.intro.text, *(s.text for s in doc.sections)])


def _entry(library, lang, entry_id):
    return next(s.text for s in library.glossaries[lang].sections if s.id == entry_id)


def test_deadline_counts_from_arrival_in_digital_post(library):
    deadline = _text(library, "da", "decisions-and-appeals", "deadline")
    assert "Digital Post" in deadline
    assert "den dag, det kommer i din indbakke" in deadline
    assert "også selv om du ikke har åbnet det" in deadline
    assert "Skriv ned, hvilken dag brevet kom" in deadline
    english = _text(library, "en", "decisions-and-appeals", "deadline")
    assert "counts as received on the day it arrives in your inbox" in english
    assert "Write down the day the letter arrived" in english
    glossary = _entry(library, "da", "klagefrist")
    assert "Digital Post" in glossary and "Skriv ned, hvilken dag brevet kom" in glossary


def test_a_missing_appeal_guidance_does_not_stop_the_clock(library):
    for lang in ("da", "en"):
        whole = _text(library, lang, "decisions-and-appeals")
        assert "starter først" not in whole and "only starts" not in whole
    assert "Klag alligevel inden for de 4 uger" in _text(
        library, "da", "decisions-and-appeals", "deadline"
    )
    assert "Complain within the 4 weeks anyway" in _text(
        library, "en", "decisions-and-appeals", "deadline"
    )
    assert "starter først" not in _entry(library, "da", "klagevejledning")


def test_forwarding_is_paragraph_66_and_69_is_gone_everywhere(library):
    after = _text(library, "da", "decisions-and-appeals", "after-appeal")
    assert "§ 66" in after and "inden for 4 uger" in after
    assert "§ 66" in _text(library, "en", "decisions-and-appeals", "after-appeal")
    for (lang, slug), doc in library.guides.items():
        whole = normalize(_text(library, lang, slug))
        assert "§ 69" not in whole, (lang, slug)
        assert all("§ 69" not in s["title"] for s in doc.sources), (lang, slug)
    titles = [s["title"] for s in library.guide("da", "decisions-and-appeals").sources]
    assert "Retssikkerhedsloven § 66" in titles and "Retssikkerhedsloven § 72" in titles


def test_complaining_does_not_pause_the_decision(library):
    after = _text(library, "da", "decisions-and-appeals", "after-appeal")
    assert "Din klage sætter ikke afgørelsen på pause" in after and "§ 72" in after
    assert "does not pause the decision" in _text(
        library, "en", "decisions-and-appeals", "after-appeal"
    )
    assert "§ 72" in _text(library, "da", "social-services-meeting", "disagree")


def test_children_and_young_people_committee_goes_straight_to_ankestyrelsen(library):
    disagree = _text(library, "da", "social-services-meeting", "disagree")
    assert "børne- og unge-udvalg" in disagree
    assert "direkte til Ankestyrelsen" in disagree and "gratis advokat" in disagree
    genvurdering = _entry(library, "da", "genvurdering")
    assert "børne- og unge-udvalg" in genvurdering and "gratis advokat" in genvurdering
    assert "free lawyer" in _text(library, "en", "social-services-meeting", "disagree")


def test_children_as_interpreters_names_the_law_and_the_health_rule(library):
    children = _text(library, "da", "interpreter-rights", "children")
    assert "lov nr. 469 af 14/05/2025" in children
    for area in ("skole", "sociale", "familie", "skat", "jobcenter", "integration", "ældre"):
        assert area in children, area
    health = _text(library, "da", "interpreter-rights", "health")
    assert "akut og livsfarligt" in health and "15 til 17" in health
    rights = _text(library, "da", "doctor-and-dentist", "rights")
    assert "akut og livsfarligt" in rights and "15 til 17" in rights
    assert "Siden 1. juli 2025 må personer under 18 år ikke tolke hos lægen" not in rights
    titles = [s["title"] for s in library.guide("da", "doctor-and-dentist").sources]
    assert "Bekendtgørelse om tolkebistand efter sundhedsloven § 3" in titles


def test_health_interpreter_fee(library):
    rights = _text(library, "da", "doctor-and-dentist", "rights")
    assert "Lægen vurderer, om du har brug for en tolk" in rights
    assert "sender dig en regning bagefter" in rights
    assert "Behandlingen venter ikke på pengene" in rights
    assert "hele prisen" in rights and "erklæring" in rights
    assert "kr." not in rights  # no amounts


def test_access_to_the_file_within_7_working_days(library):
    how = _text(library, "da", "access-to-your-file", "how")
    assert "7 arbejdsdage" in how and "§ 16" in how and "klage over det" in how
    assert "7 working days" in _text(library, "en", "access-to-your-file", "how")
    whole = _text(library, "da", "access-to-your-file")
    assert "§ 17" not in whole and "Så kan du få mere tid" not in whole


def test_self_support_programme_says_what_applies_from_2025(library):
    why = _text(library, "da", "self-support-programme", "why")
    assert "kontanthjælp" in why and "1. juli 2025" in why
    assert "37 timer om ugen" in why and "ukrainere" in why
    who = _text(library, "da", "self-support-programme", "who")
    assert "for hver dag, indtil du kontakter jobcentret" in who
    english = _text(library, "en", "self-support-programme", "why")
    assert "kontanthjælp" in english and "37 hours a week" in english
    assert "37" in _entry(library, "da", "kontanthjaelp")
