"""The privacy notice and the accessibility statement: in every language, linked where people
sign in, and showing the retention periods and contacts from configuration."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.languages import LANGUAGES


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def retention_row(html: str, name: str) -> str:
    match = re.search(rf'<tr data-retention="{name}">(.*?)</tr>', html, re.S)
    assert match, name
    return text(match.group(1))


@pytest.mark.parametrize("lang", [lang.code for lang in LANGUAGES])
def test_both_pages_exist_in_every_language(client, lang):
    for path in ("privacy", "accessibility"):
        response = client.get(f"/{lang}/about/{path}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}"' in html
    privacy = client.get(f"/{lang}/about/privacy").get_data(as_text=True)
    assert "bro_session" in privacy and "bro_device" in privacy and "bro_lang" in privacy


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_footer_links_both_pages(client):
    for lang in ("en", "ar"):
        footer = client.get(f"/{lang}/").get_data(as_text=True).split("<footer", 1)[1]
        assert f'href="/{lang}/about/privacy"' in footer
        assert f'href="/{lang}/about/accessibility"' in footer


def test_sign_in_activation_and_helper_pages_link_to_the_notice_in_their_own_text(client):
    for path in ("/en/login", "/en/activate", "/en/helper/join"):
        assert 'href="/en/about/privacy"' in main_of(client.get(path).get_data(as_text=True)), path


def test_the_citizen_inviting_a_helper_sees_the_link(app, demo_logins):
    from tests.conftest import signed_in

    client = signed_in(app, demo_logins, "citizen03")
    html = client.get("/en/me/helpers").get_data(as_text=True)
    assert 'href="/en/about/privacy"' in main_of(html)


def test_retention_periods_on_the_page_come_from_configuration(tmp_path):
    def page(**config):
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "p.sqlite3"), **config}
        )
        return app.test_client().get("/en/about/privacy").get_data(as_text=True)

    default = page()
    assert "30 days" in retention_row(default, "codes")
    assert "5 years" in retention_row(default, "closed_cases")
    assert "archive rules" in retention_row(default, "audit_log")
    changed = page(
        RETENTION_CODES="45 days", RETENTION_CLOSED_CASES="3 years", RETENTION_AUDIT_LOG="10 years"
    )
    assert "45 days" in retention_row(changed, "codes")
    assert "30 days" not in retention_row(changed, "codes")
    assert "3 years" in retention_row(changed, "closed_cases")
    assert "10 years" in retention_row(changed, "audit_log")
    danish = (
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "DATABASE": str(tmp_path / "p.sqlite3"),
                "RETENTION_CODES": "45 days",
            }
        )
        .test_client()
        .get("/da/about/privacy")
        .get_data(as_text=True)
    )
    assert "45 dage" in retention_row(danish, "codes")


def test_controller_comes_from_configuration_and_examples_say_so(tmp_path):
    default = text(
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "q.sqlite3")})
        .test_client()
        .get("/en/about/privacy")
        .get_data(as_text=True)
    )
    assert "The contact details on this page are examples" in default
    configured = {
        "CONTROLLER_NAME": "Testby Kommune",
        "CONTROLLER_ADDRESS": "Torvet 1, 9999 Testby",
        "CONTROLLER_CONTACT": "bro@testby.dk",
        "DPO_CONTACT": "dpo@testby.dk",
        "ACCESSIBILITY_EMAIL": "web@testby.dk",
        "ACCESSIBILITY_PHONE": "+45 11 22 33 44",
    }
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "q.sqlite3"), **configured}
    )
    page = text(app.test_client().get("/en/about/privacy").get_data(as_text=True))
    assert "examples" not in page
    assert "Testby Kommune is responsible" in page and "dpo@testby.dk" in page
    statement = text(app.test_client().get("/en/about/accessibility").get_data(as_text=True))
    assert "web@testby.dk" in statement and "+45 11 22 33 44" in statement
    assert "Digitaliseringsstyrelsen" in statement and "WCAG 2.1" in statement


def test_accessibility_statement_names_its_date_and_the_official_statement(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "r.sqlite3"),
            "ACCESSIBILITY_STATEMENT_DATE": "2027-01-15",
            "ACCESSIBILITY_WAS_URL": "https://was.digst.dk/bro-example-dk",
        }
    )
    page = text(app.test_client().get("/en/about/accessibility").get_data(as_text=True))
    assert "January 15, 2027" in page
    assert "https://was.digst.dk/bro-example-dk" in page


def test_footer_and_short_address_lead_to_the_official_statement_once_it_exists(tmp_path):
    def client(**config):
        return create_app(
            {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "w.sqlite3"), **config}
        ).test_client()

    before = client()
    assert before.get("/was").headers["Location"].endswith("/da/about/accessibility")
    official = "https://was.digst.dk/bro-example-dk"
    after = client(ACCESSIBILITY_WAS_URL=official)
    assert after.get("/was").headers["Location"] == official
    footer = after.get("/da/").get_data(as_text=True).split("<footer", 1)[1]
    assert f'href="{official}">Tilgængelighedserklæring</a>' in footer
