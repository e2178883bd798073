"""Guide pages, side by side, missing translations, glossary, search and caching."""

import re

import pytest


def test_guide_list_is_grouped(client):
    html = client.get("/en/guides/").get_data(as_text=True)
    assert (
        html.index('id="group-meeting"')
        < html.index('id="group-rights"')
        < html.index('id="group-after"')
    )
    assert 'href="/en/guides/jobcenter-meeting"' in html


def test_guide_page_has_toc_status_sources_date_and_related(client):
    html = client.get("/en/guides/jobcenter-meeting").get_data(as_text=True)
    for section in ("why", "who", "rights", "bring", "questions", "next", "disagree"):
        assert f'<h2 id="{section}">' in html
        assert f'href="#{section}"' in html  # table of contents
    assert "This text is a draft" in html
    assert "Sources" in html and "Forvaltningsloven" in html
    assert "Last updated: December 4, 2026" in html
    assert "Facts checked on December 4, 2026" in html
    assert 'id="related-title"' in html
    assert 'href="/en/guides/jobcenter-meeting?with=da"' in html  # read with Danish


def test_danish_page_offers_english(client):
    html = client.get("/da/guides/jobcenter-meeting").get_data(as_text=True)
    assert 'href="/da/guides/jobcenter-meeting?with=en"' in html
    assert "4. december 2026" in html  # the date in Danish form
    assert "Fakta tjekket den 4. december 2026" in html


def test_side_by_side_pairs_sections_with_their_own_lang_and_dir(client):
    html = client.get("/ar/guides/decisions-and-appeals?with=da").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    arabic = html.count('class="col" lang="ar" dir="rtl"')
    danish = html.count('class="col" lang="da" dir="ltr"')
    assert arabic == danish == 8  # the titles + the lines before the first section + 6 sections
    first_ar = html.index('class="col" lang="ar"', html.index('id="deadline"') - 200)
    assert html.index('class="col" lang="da"', first_ar) > first_ar


def test_side_by_side_with_unknown_language_is_404(client):
    assert client.get("/ar/guides/decisions-and-appeals?with=xx").status_code == 404
    assert client.get("/ar/guides/decisions-and-appeals?with=ar").status_code == 404


def test_missing_translation_is_a_plain_notice_not_a_switch(partial_client):
    response = partial_client.get("/ti/guides/decisions-and-appeals")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ti" dir="ltr">' in html
    assert 'name="robots" content="noindex"' in html
    assert 'href="/da/guides/decisions-and-appeals"' in html
    assert 'href="/en/guides/decisions-and-appeals"' in html
    assert "4 weeks" not in html and "Ankestyrelsen" not in html  # no silent English text
    assert 'href="/ti/language/missing"' in html


def test_missing_glossary_is_a_plain_notice(partial_client):
    response = partial_client.get("/so/glossary")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="robots" content="noindex"' in html
    assert 'href="/da/glossary"' in html and 'href="/en/glossary"' in html


def test_unknown_guide_is_404(client):
    assert client.get("/en/guides/no-such-guide").status_code == 404


def test_glossary_has_40_terms_with_anchors(client):
    html = client.get("/fa/glossary").get_data(as_text=True)
    ids = re.findall(r'<dt id="([a-z0-9-]+)" lang="da"', html)
    assert len(ids) >= 40
    assert "ankestyrelsen" in ids and "afgoerelse" in ids


def test_guides_link_into_the_glossary(client):
    html = client.get("/uk/guides/decisions-and-appeals").get_data(as_text=True)
    assert 'href="/uk/glossary#klagefrist"' in html


def test_search_finds_the_appeals_guide_from_the_danish_word_in_arabic(client):
    html = client.get("/ar/search?q=Ankestyrelsen").get_data(as_text=True)
    assert 'href="/ar/guides/decisions-and-appeals#' in html
    assert "<mark>Ankestyrelsen</mark>" in html


def test_search_folds_case_and_danish_letters(client):
    html = client.get("/en/search?q=AFGORELSE").get_data(as_text=True)
    assert 'href="/en/glossary#afgoerelse"' in html


@pytest.mark.parametrize("query", ["", "   ", "zzqxv", '"*OR(', "NEAR(a b)", "a\x00b", "😀"])
def test_odd_searches_get_a_friendly_page(client, query):
    response = client.get("/en/search", query_string={"q": query})
    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)


def test_overlong_search_is_a_friendly_400_that_keeps_the_text(client):
    query = "klage " * 40
    response = client.get("/da/search", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>" in html and 'role="alert"' in html
    assert 'value="klage klage' in html


def test_search_with_htmx_returns_only_the_results(client):
    response = client.get("/en/search?q=interpreter", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'class="results"' in html
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/en/search?q=interpreter").get_data(as_text=True)
    assert "<html" in full and 'class="results"' in full


@pytest.mark.parametrize("url", ["/en/guides/", "/ar/guides/decisions-and-appeals", "/so/glossary"])
def test_public_pages_answer_conditional_requests_with_304(client, url):
    first = client.get(url)
    assert first.headers["ETag"] and "max-age" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_meeting_guide_has_a_print_sheet_with_danish_beside(client):
    html = client.get("/ar/guides/jobcenter-meeting").get_data(as_text=True)
    sheet = html[html.index('class="print-sheet"') :]
    assert 'class="print-column" lang="ar" dir="rtl"' in sheet
    assert 'class="print-column" lang="da" dir="ltr"' in sheet
    assert "notes-lines" in sheet


def test_read_aloud_buttons_are_hidden_without_javascript(client):
    html = client.get("/so/guides/interpreter-rights").get_data(as_text=True)
    buttons = re.findall(r"<button[^>]*data-read-aloud[^>]*>", html)
    assert buttons and all(" hidden" in b for b in buttons)
    assert 'href="/so/help/read-aloud"' in html
