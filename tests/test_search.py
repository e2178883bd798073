"""Search finds what people type: synonyms, letter variants, one-letter typos, every language."""

import gzip
import re
from pathlib import Path

import pytest

from app import create_app
from app.content import parse_synonyms
from app.languages import LANGUAGES
from app.search import within_one_edit

TABLE = Path(__file__).parent / "data" / "search_queries.tsv"


def _table() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, query, slug = line.split("\t")
            rows.append((lang, query, slug))
    return rows


def _result_links(html: str) -> list[str]:
    """The pages the results link to, in the order shown."""
    results = html[html.index('<ol class="results">') :]
    return re.findall(r'<li>\s*<a href="/[a-z]+/(?:guides/([a-z-]+)|(glossary))', results)


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """One public client for the whole table: searching writes nothing."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path_factory.mktemp("search") / "bro.sqlite3"),
        }
    )
    return app.test_client()


def test_the_table_has_ten_everyday_searches_in_every_language():
    counts = {lang.code: 0 for lang in LANGUAGES}
    for lang, _query, _slug in _table():
        counts[lang] += 1
    assert all(count >= 10 for count in counts.values()), counts


@pytest.mark.parametrize(("lang", "query", "slug"), _table())
def test_everyday_search_finds_the_guide_in_the_first_three(reader, lang, query, slug):
    html = reader.get(f"/{lang}/search", query_string={"q": query}).get_data(as_text=True)
    assert '<ol class="results">' in html, f"nothing found for {query!r}"
    first_three = [guide or glossary for guide, glossary in _result_links(html)[:3]]
    assert slug in first_three


def test_each_guide_is_shown_once_with_its_best_part(client):
    html = client.get("/en/search?q=interpreter").get_data(as_text=True)
    guides = [guide for guide, _ in _result_links(html) if guide]
    assert len(guides) == len(set(guides)) > 3


def test_a_typo_marks_the_word_that_was_found(client):
    html = client.get("/ar/search", query_string={"q": "مترجن"}).get_data(as_text=True)
    assert "<mark>مترجم</mark>" in html


def test_a_synonym_marks_the_guides_own_word(client):
    html = client.get("/ar/search", query_string={"q": "تظلم"}).get_data(as_text=True)
    assert 'href="/ar/guides/decisions-and-appeals#' in html
    assert "<mark>الشكوى</mark>" in html or "<mark>شكوى</mark>" in html


def test_nothing_found_offers_the_guide_list_and_the_glossary(client):
    html = client.get("/so/search?q=zzqxv").get_data(as_text=True)
    assert 'class="results"' not in html
    assert 'href="/so/glossary"' in html
    assert html.count('href="/so/guides/') >= 12  # every guide, by its Somali title
    assert ">Xaqaaga inaad hesho turjumaan</a>" in html


@pytest.mark.parametrize(
    ("typed", "word", "near"),
    [
        ("jobsenter", "jobcenter", True),
        ("tolk", "tolk", True),
        ("klgae", "klage", True),  # two neighbours swapped
        ("klag", "klage", True),
        ("klagee", "klage", True),
        ("klage", "plagen", False),
        ("sag", "dag", True),
        ("abcd", "dcba", False),
    ],
)
def test_one_edit(typed, word, near):
    assert within_one_edit(typed, word) is near


def test_synonyms_file_problems_are_reported():
    groups, problems = parse_synonyms("klage, anke\n# comment\nalene\nen, to fire fem seks\n", "da")
    assert groups == [(("klage",), ("anke",))]
    assert any("line 3" in p for p in problems)
    assert any("line 4" in p and "more than 3 words" in p for p in problems)


def test_arabic_article_and_letter_forms_fold_in_synonyms():
    groups, _ = parse_synonyms("الشكوى, طعن\n", "ar")
    assert groups == [(("شکوی",), ("طعن",))]


def _first_load_gzip_bytes(client, path: str) -> int:
    """The page and every file it loads at once (styles, scripts, icons, manifest), each as
    gzip (level 6, as the server sends it) would send it."""
    html = client.get(path).get_data(as_text=True)
    loaded = re.findall(r'<script src="([^"]+)"', html) + re.findall(
        r'<link rel="(?:stylesheet|icon|manifest)" href="([^"]+)"', html
    )
    loaded += re.findall(r'<img src="([^"]+)"', html)
    total = len(gzip.compress(html.encode(), compresslevel=6))
    for url in set(loaded):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        total += len(gzip.compress(response.get_data(), compresslevel=6))
    return total


@pytest.mark.parametrize(
    "path", ["/ar/guides/decisions-and-appeals", "/so/", "/uk/guides/doctor-and-dentist"]
)
def test_search_box_on_home_and_guides_works_without_javascript(reader, path):
    html = reader.get(path).get_data(as_text=True)
    lang = path.split("/")[1]
    box = html[html.index('class="search-form search-box"') - 60 :]
    box = box[: box.index("</form>")]
    assert f'method="get" action="/{lang}/search"' in box
    assert '<label for="site-q">' in box and 'id="site-q" name="q"' in box
    assert "hx-" not in box  # a plain form
    if lang == "ar":
        assert "ابحث" in box or "بحث" in box  # the label in Arabic


@pytest.mark.parametrize(
    "path", ["/ar/guides/decisions-and-appeals", "/en/guides/jobcenter-meeting"]
)
def test_guide_page_first_load_stays_under_40_kb_compressed(reader, path):
    assert _first_load_gzip_bytes(reader, path) <= 40 * 1024
