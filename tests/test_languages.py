"""Choosing the language: unit tests of negotiation, and the behaviour a visitor sees."""

import pytest

from app.languages import BY_CODE, LANGUAGES, match_tag, negotiate, parse_accept_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fa-AF,fa;q=0.9", "prs"),
        ("fa-IR", "fa"),
        ("fa", "fa"),
        ("prs", "prs"),
        ("ku", "kmr"),
        ("ku-Latn-TR", "kmr"),
        ("ku-Arab", "ckb"),
        ("ckb-IQ", "ckb"),
        ("ar-SY", "ar"),
        ("ar-sy,en;q=0.5", "ar"),
        ("ti-ER", "ti"),
        ("so-SO", "so"),
        ("uk-UA,ru;q=0.8", "uk"),
        ("tr-TR", "tr"),
        ("ps-AF", "ps"),
        ("en-GB,en;q=0.9", "en"),
        ("da-DK", "da"),
        ("de-DE,fr;q=0.5", "da"),  # nothing we speak → Danish
        ("de-DE,en;q=0.3", "en"),
        ("en;q=0.2,ar;q=0.8", "ar"),  # q values, not order, decide
        ("ar;q=0,en", "en"),  # q=0 means "not this one"
        ("", "da"),
        (None, "da"),
        ("garbage;;;,,q=x", "da"),
    ],
)
def test_accept_language_matching(header, expected):
    assert negotiate(None, header) == expected


def test_cookie_wins_over_accept_language():
    assert negotiate("so", "ar-SY") == "so"


def test_unknown_cookie_is_ignored():
    assert negotiate("xx", "uk") == "uk"


def test_parse_orders_by_quality_then_position():
    assert parse_accept_language("a;q=0.5, b, c;q=0.9, d") == ["b", "d", "c", "a"]


def test_match_tag_unknown():
    assert match_tag("zz-ZZ") is None


def test_table_matches_design():
    assert [lang.code for lang in LANGUAGES] == [
        "da", "en", "ar", "fa", "prs", "ps", "ckb", "kmr", "so", "ti", "tr", "uk",
    ]  # fmt: skip
    assert {lang.code for lang in LANGUAGES if lang.dir == "rtl"} == {
        "ar",
        "fa",
        "prs",
        "ps",
        "ckb",
    }
    assert BY_CODE["prs"].locale == "fa_AF" and BY_CODE["kmr"].locale == "ku"


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "fa-AF"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/prs/")


def test_root_redirect_defaults_to_danish(client):
    response = client.get("/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/da/")


def test_root_redirect_follows_cookie(client):
    client.set_cookie("bro_lang", "ti")
    response = client.get("/", headers={"Accept-Language": "ar"})
    assert response.headers["Location"].endswith("/ti/")


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_every_prefix_has_lang_and_dir(client, lang):
    response = client.get(f"/{lang.code}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang.code}" dir="{lang.dir}">' in html


def test_public_pages_carry_hreflang_alternates(client):
    html = client.get("/uk/").get_data(as_text=True)
    for lang in LANGUAGES:
        assert f'hreflang="{lang.code}" href="/{lang.code}/"' in html


def test_unknown_prefix_is_a_404_in_the_negotiated_language(client):
    response = client.get("/xx/", headers={"Accept-Language": "ar-SY"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert "We cannot find this page" not in html  # the Arabic text, not the English source


def test_picker_lists_endonyms_each_with_its_own_lang(client):
    html = client.get("/en/").get_data(as_text=True)
    for lang in LANGUAGES:
        assert f'lang="{lang.code}" dir="{lang.dir}" hreflang="{lang.code}"' in html
        assert f">{lang.endonym}</a>" in html


def test_picker_sets_cookie_and_keeps_the_page(client):
    html = client.get("/en/help/prepare").get_data(as_text=True)
    assert "/language/so?next=/help/prepare" in html
    response = client.get("/language/so?next=/help/prepare")
    assert response.status_code == 303
    assert response.headers["Location"] == "/so/help/prepare"
    assert "bro_lang=so" in response.headers["Set-Cookie"]
    assert client.get("/").headers["Location"].endswith("/so/")


def test_picker_keeps_the_query_string(client):
    html = client.get("/en/guides/decisions-and-appeals?with=da").get_data(as_text=True)
    assert "/language/ar?next=/guides/decisions-and-appeals?with%3Dda" in html


@pytest.mark.parametrize("bad", ["//evil.example/x", "https://evil.example/", "/x\\y"])
def test_picker_refuses_offsite_next(client, bad):
    response = client.get("/language/da", query_string={"next": bad})
    assert response.headers["Location"] == "/da/"


def test_picker_unknown_language_is_404(client):
    assert client.get("/language/xx").status_code == 404


def test_dates_follow_the_locale(app):
    import datetime

    from flask_babel import format_date

    with app.test_request_context("/ar/"):
        app.preprocess_request()
        arabic = format_date(datetime.date(2026, 11, 21), "long")
    with app.test_request_context("/da/"):
        app.preprocess_request()
        danish = format_date(datetime.date(2026, 11, 21), "long")
    assert danish == "21. november 2026"
    assert "نوفمبر" in arabic


def test_language_lists_use_each_languages_own_list_words(app):
    """Speaks: "Dansk, English og العربية" in Danish, with Arabic's و in Arabic; each name
    keeps its own lang attribute."""
    from flask_babel import force_locale

    from app.formatting import language_list

    with app.test_request_context("/ar/"):
        with force_locale("ar"):
            arabic = str(language_list(["da", "en", "ar"]))
        with force_locale("da"):
            danish = str(language_list(["da", "en", "ar"]))
    assert ' و<span lang="en"' in arabic and ", " not in arabic
    assert danish.count(", ") == 1 and ' og <span lang="ar"' in danish
    assert 'lang="ar" dir="rtl">العربية</span>' in arabic


def test_each_kurdish_names_its_variety():
    from app.languages import BY_CODE

    assert "سۆرانی" in BY_CODE["ckb"].endonym and "Kurmancî" in BY_CODE["kmr"].endonym
    assert BY_CODE["ckb"].endonym != "کوردی"


@pytest.mark.parametrize(
    ("locale", "counts"),
    [
        # Arabic: 3–10 take the plural, 11–99 the accusative singular, 100 the genitive.
        ("ar", {3: "بقي 3 أيام", 11: "بقي 11 يومًا", 100: "بقي 100 يوم", 2: "بقي 2 يومان"}),
        # Ukrainian: one, few, many.
        ("uk", {1: "Залишився 1 день", 3: "Залишилося 3 дні", 5: "Залишилося 5 днів",
                21: "Залишився 21 день", 12: "Залишилося 12 днів"}),
        ("ti", {1: "1 መዓልቲ ተሪፉ", 2: "2 መዓልቲ ተሪፉ"}),
    ],
)  # fmt: skip
def test_days_left_follow_each_languages_plural_rules(app, locale, counts):
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/"), force_locale(locale):
        for n, expected in counts.items():
            assert ngettext("%(num)d day left", "%(num)d days left", n) == expected
