"""The privacy notice and the accessibility statement: in every language, linked where people
sign in, and showing the retention periods and contacts from configuration."""

from __future__ import annotations

import re

import pytest

from app import clock, create_app
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


def test_the_citizen_inviting_a_helper_sees_the_link(app, demo_logins, auth):

    client = auth("citizen03")
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


# --- "Tell us what does not work": the accessibility statement's report form ----------------


def _report_form(csrf, client, lang="en"):

    html = client.get(f"/{lang}/about/accessibility/report").get_data(as_text=True)
    key = re.search(r'name="key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="key"', html)
    return csrf(html), next(group for group in key.groups() if group)


def _reports(app):
    from app.db import connect

    return list(connect(app.config["DATABASE"]).query("SELECT * FROM accessibility_reports"))


def test_the_statement_links_the_report_form_and_says_what_the_tests_measure(client):
    html = client.get("/en/about/accessibility").get_data(as_text=True)
    assert 'href="/en/about/accessibility/report"' in main_of(html)
    page = text(html)
    assert "WCAG 2.2 level AA" in page and "EN 301 549" in page
    assert "Nu HTML checker" in page  # an honest gap: not run yet


def test_a_report_without_signing_in_is_stored_once_even_when_sent_twice(app, client, csrf):
    token, key = _report_form(csrf, client, "ti")
    data = {
        "problem": "The read-aloud button does nothing",
        "where": "Meeting guide",
        "contact": "",
        "key": key,
        "csrf_token": token,
    }
    first = client.post("/ti/about/accessibility/report", data=data)
    second = client.post("/ti/about/accessibility/report", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == "/ti/about/accessibility/report/thanks"
    assert client.get(first.headers["Location"]).status_code == 200
    rows = _reports(app)
    assert len(rows) == 1
    assert rows[0]["problem"] == "The read-aloud button does nothing"
    assert rows[0]["page"] == "Meeting guide" and rows[0]["contact"] is None
    assert rows[0]["asked_from"] == "ti"


def test_an_empty_report_is_a_422_with_the_summary_and_the_input_kept(app, client, csrf):
    token, key = _report_form(csrf, client, "ar")
    response = client.post(
        "/ar/about/accessibility/report",
        data={
            "problem": "",
            "where": "Login",
            "contact": "+45 1234",
            "key": key,
            "csrf_token": token,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'href="#problem"' in html
    assert 'value="+45 1234"' in html and 'value="Login"' in html
    assert '<html lang="ar" dir="rtl">' in html
    assert response.headers["Cache-Control"].startswith("no-store")
    assert _reports(app) == []


def test_reports_are_rate_limited(client, csrf):
    codes = []
    for number in range(7):
        token, key = _report_form(csrf, client)
        codes.append(
            client.post(
                "/en/about/accessibility/report",
                data={"problem": f"P{number}", "key": key, "csrf_token": token},
            ).status_code
        )
    assert codes[:5] == [303] * 5 and codes[-1] == 429


def test_only_the_coordinator_reads_the_reports(app, client, demo_logins, login_as, csrf):

    token, key = _report_form(csrf, client)
    client.post(
        "/en/about/accessibility/report",
        data={"problem": "Text too small", "contact": "a@b.dk", "key": key, "csrf_token": token},
    )
    caseworker = app.test_client()
    login_as(caseworker, demo_logins, "caseworker")
    assert caseworker.get("/en/staff/accessibility-reports").status_code == 404
    coordinator = app.test_client()
    login_as(coordinator, demo_logins, "coordinator")
    html = coordinator.get("/da/staff/accessibility-reports").get_data(as_text=True)
    assert "<bdi>Text too small</bdi>" in html and "<bdi>a@b.dk</bdi>" in html
    nav = coordinator.get("/en/staff/audit").get_data(as_text=True)
    assert 'href="/en/staff/accessibility-reports"' in nav and 'href="/en/staff/retention"' in nav


# --- staff see the rules ------------------------------------------------------------------


def test_the_coordinator_sees_the_settings_and_the_last_run(tmp_path, login_as):

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "s.sqlite3"),
            "RATELIMIT_STORAGE_URI": "memory://",
            "RETENTION_TRUSTED_DEVICES": "6 months",
        }
    )
    import json

    from app.demo import logins_path, seed_demo

    seed_demo(app)
    logins = json.loads(logins_path(app).read_text())
    coordinator = app.test_client()
    login_as(coordinator, logins, "coordinator")
    before = coordinator.get("/en/staff/retention").get_data(as_text=True)
    assert "has not run yet" in before
    assert "6 months" in retention_row(before, "trusted_devices")
    assert "5 years" in retention_row(before, "closed_cases")
    assert "RETENTION_CODES" in retention_row(before, "codes")
    assert app.test_cli_runner().invoke(args=["retention", "run"]).exit_code == 0
    after = text(coordinator.get("/en/staff/retention").get_data(as_text=True))
    assert "The job last ran on" in after and "closed_cases 0" in after


def test_the_caseworker_sees_when_the_citizens_records_will_be_deleted(app, demo_logins, login_as):
    from app import retention
    from app.db import connect

    db = connect(app.config["DATABASE"])
    citizen = db.execute("SELECT id FROM users WHERE login = 'citizen03'").fetchone()[0]
    with app.app_context():
        day = retention.case_deleted_on(citizen)
    assert day and day > clock.today()
    client = app.test_client()
    login_as(client, demo_logins, "caseworker")
    html = client.get(f"/en/staff/citizens/{citizen}").get_data(as_text=True)
    match = re.search(r'<p class="muted" data-retention="closed_cases">(.*?)</p>', html, re.S)
    assert match
    assert f"will be deleted on {day.strftime('%B')} {day.day}, {day.year}" in text(match.group(1))
