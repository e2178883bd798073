"""Passkeys in a real Chromium, with its virtual authenticator standing in for the phone."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(page: Page) -> dict:
    """A platform authenticator with a screen lock that always says yes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return {"cdp": cdp, "id": added["authenticatorId"]}


def _by_name(live_server: str) -> str:
    # Browsers accept passkeys for a host name, not for an IP address.
    return live_server.replace("127.0.0.1", "localhost")


def test_a_citizen_saves_a_passkey_then_signs_in_with_the_screen_lock(
    page: Page, live_server, demo_logins, phone, sign_in_browser
):
    base = _by_name(live_server)
    citizen = next(e for e in demo_logins if e["login"] == "citizen06")  # Pashto, right to left
    lang = citizen["lang"]
    sign_in_browser(page, base, citizen, lang=lang)
    page.goto(f"{base}/{lang}/me")
    page.locator(f"a[href='/{lang}/account/passkeys']").click()
    save = page.locator("[data-passkey=register] button")
    expect(save).to_be_visible()
    expect(page.locator("[data-passkey-unsupported]")).to_be_hidden()
    assert_accessible(page)
    save.click()
    expect(page.locator(".cards .card")).to_have_count(1)
    expect(page.locator("form[action$='/remove'] button")).to_be_visible()
    stored = phone["cdp"].send("WebAuthn.getCredentials", {"authenticatorId": phone["id"]})
    assert len(stored["credentials"]) == 1 and stored["credentials"][0]["isResidentCredential"]

    page.locator("[data-logout] button").click()
    page.wait_for_url(f"{base}/{lang}/")
    page.goto(f"{base}/{lang}/login")
    sign_in = page.locator("[data-passkey=sign-in] button")
    expect(sign_in).to_be_visible()
    assert_accessible(page)
    sign_in.click()
    page.wait_for_url(f"{base}/{lang}/me")
    expect(page.locator("[data-logout] button")).to_be_visible()


def test_a_passkey_bro_does_not_know_gets_a_message_and_the_password_form_stays(
    page: Page, live_server, demo_logins, phone
):
    base = _by_name(live_server)
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    phone["cdp"].send(
        "WebAuthn.addCredential",
        {
            "authenticatorId": phone["id"],
            "credential": {
                "credentialId": base64.b64encode(b"made-somewhere-else").decode(),
                "isResidentCredential": True,
                "rpId": "localhost",
                "privateKey": base64.b64encode(key).decode(),
                "userHandle": base64.b64encode(b"someone").decode(),
                "signCount": 0,
            },
        },
    )
    page.goto(f"{base}/en/login")
    page.locator("[data-passkey=sign-in] button").click()
    expect(page.locator("[data-passkey-message]")).to_contain_text("not saved in Bro")
    expect(page.locator("#password")).to_be_visible()
    assert page.url == f"{base}/en/login"


def test_no_passkey_button_at_an_ip_address(page: Page, live_server, demo_logins):
    page.goto(f"{live_server}/en/login")
    expect(page.locator("#password")).to_be_visible()
    assert page.locator("[data-passkey]").count() == 0
