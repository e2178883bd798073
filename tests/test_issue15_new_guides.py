"""The guides added for issue 15 (items 11–14): their key facts, pinned in Danish, and their pages."""

from pathlib import Path

import pytest

from app.content import GUIDES, check_library, load_library

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LANGS = ("da", "en", "ar", "fa", "prs", "ps", "ckb", "kmr", "so", "ti", "tr", "uk")
NEW_GUIDES = (
    "duties-and-money",
    "digital-post-and-mitid",
    "children-and-family-cases",
    "complaints-about-treatment",
)


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


def _text(library, lang, slug, section_id=None):
    doc = library.guide(lang, slug)
    if section_id:
        return doc.section(section_id).text
    return "\n".join([doc.intro.text, *(s.text for s in doc.sections)])


def test_new_guides_exist_in_all_12_languages_and_pass_the_check(library):
    for slug in NEW_GUIDES:
        assert slug in GUIDES
        for lang in LANGS:
            doc = library.guide(lang, slug)
            assert doc, f"content/{lang}/{slug}.md missing"
            assert doc.status == "draft" and doc.checked_on
    assert check_library(library) == []


def test_duties_and_money_names_the_per_day_cut_and_the_37_hours(library):
    missed = _text(library, "da", "duties-and-money", "missed")
    assert "for hver dag, indtil du kontakter jobcentret" in missed
    work = _text(library, "da", "duties-and-money", "work-obligation")
    assert "37 timer om ugen" in work and "1. januar 2025" in work and "ukrainere" in work
    sick = _text(library, "da", "duties-and-money", "sick")
    assert "samme dag" in sick and "Jobnet" in sick
    changes = _text(library, "da", "duties-and-money", "changes")
    assert "betaler pengene tilbage" in changes and "udlandet" in changes
    assert "joblog" in _text(library, "da", "duties-and-money", "jobnet")
    assert "for each day until you contact the jobcenter" in _text(
        library, "en", "duties-and-money", "missed"
    )


def test_digital_post_names_fritagelse_at_borgerservice(library):
    exemption = _text(library, "da", "digital-post-and-mitid", "exemption")
    assert "fritagelse" in exemption and "borgerservice" in exemption
    assert "Det er ikke nok at ringe" in exemption and "dansk" in exemption
    post = _text(library, "da", "digital-post-and-mitid", "post")
    assert "også selv om du ikke har åbnet det" in post
    assert "fuldmagt" in exemption
    assert "læseadgang" in _text(library, "da", "digital-post-and-mitid", "someone-else")


def test_children_and_family_cases_names_the_direct_appeal_to_ankestyrelsen(library):
    appeal = _text(library, "da", "children-and-family-cases", "appeal")
    assert "direkte til Ankestyrelsen" in appeal and "ingen genvurdering" in appeal
    assert "børne- og unge-udvalget" in appeal and "4 uger" in appeal and "§ 67" in appeal
    assert "gratis advokat" in _text(library, "da", "children-and-family-cases", "lawyer")
    concern = _text(library, "da", "children-and-family-cases", "concern")
    assert "underretning" in concern and "Vi fortæller altid forældrene" in concern
    companion = _text(library, "da", "children-and-family-cases", "companion")
    assert "bisidder" in companion and "§ 8" in companion and "aktindsigt" in companion
    assert "børnefaglig undersøgelse" in _text(
        library, "da", "children-and-family-cases", "investigation"
    )
    assert "straight to Ankestyrelsen" in _text(
        library, "en", "children-and-family-cases", "appeal"
    )


def test_complaints_about_treatment_names_the_ombudsman_and_the_patient_complaints_authority(
    library,
):
    ombudsman = _text(library, "da", "complaints-about-treatment", "ombudsman")
    assert "Folketingets Ombudsmand" in ombudsman and "1 år" in ombudsman
    assert "gratis" in ombudsman and "andre muligheder for at klage" in ombudsman
    health = _text(library, "da", "complaints-about-treatment", "health")
    assert "Styrelsen for Patientklager" in health and "MitID" in health
    municipality = _text(library, "da", "complaints-about-treatment", "municipality")
    assert "borgermægler" in municipality and "kan ikke ændre en afgørelse" in municipality
    doc = library.guide("da", "complaints-about-treatment")
    urls = [s["url"] for s in doc.sources]
    assert "https://aarhus.dk/demokrati/aabenhed/borgermaegler" in urls
    assert any(u.startswith("https://stpk.dk/") for u in urls)
    assert any(u.startswith("https://www.ombudsmanden.dk/") for u in urls)


@pytest.mark.parametrize("slug", NEW_GUIDES)
@pytest.mark.parametrize("lang", ("ar", "so"))
def test_new_guide_pages_render(client, lang, slug):
    response = client.get(f"/{lang}/guides/{slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'lang="{lang}"' in html


@pytest.mark.parametrize("lang", LANGS)
def test_meeting_guides_link_to_duties_and_money_where_missing_a_meeting_costs(library, lang):
    why = library.guide(lang, "jobcenter-meeting").section("why").markdown
    assert "](duties-and-money#missed)" in why
    who = library.guide(lang, "self-support-programme").section("who").markdown
    assert "](duties-and-money)" in who
    for slug in ("jobcenter-meeting", "self-support-programme"):
        assert "duties-and-money" in library.guide(lang, slug).related
