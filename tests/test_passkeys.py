"""Passkeys: saving one, signing in with it, and every way it must refuse.

A software authenticator (an ECDSA P-256 key, the CBOR and signatures a phone would make)
stands in for the phone, so the server's real WebAuthn checks run on real signatures. The
browser test in tests/e2e drives Chromium's own virtual authenticator.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.db import connect

ORIGIN = "http://localhost"  # what the Flask test client is


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey, as a phone keeps it: a key pair, a credential id, a user handle, a counter."""

    def __init__(self, rp_id: str = "localhost"):
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle = b""
        self.sign_count = 0

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def _as_json(self, response: dict) -> dict:
        """The credential as a browser's page sends it."""
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": response,
        }

    def create(self, options: dict, origin: str = ORIGIN) -> dict:
        self.user_handle = unb64(options["user"]["id"])
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x45])  # user present, user verified, attested credential data
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return self._as_json(
            {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["internal"],
            }
        )

    def get(self, options: dict, origin: str = ORIGIN, count_up: int = 1) -> dict:
        self.sign_count += count_up
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x05])  # user present, user verified
            + struct.pack(">I", self.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return self._as_json(
            {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": b64(self.user_handle),
            }
        )


def _post_json(client, url: str, token: str, body: dict | None = None):
    return client.post(url, json=body or {}, headers={"X-CSRFToken": token})


def save_passkey(csrf, client, authenticator: SoftAuthenticator):
    token = csrf(client.get("/en/account/passkeys").get_data(as_text=True))
    options = _post_json(client, "/en/account/passkeys/options", token).get_json()
    return _post_json(client, "/en/account/passkeys/add", token, authenticator.create(options))


def passkey_sign_in(csrf, client, authenticator: SoftAuthenticator, **answer):
    token = csrf(client.get("/en/login").get_data(as_text=True))
    options = _post_json(client, "/en/login/passkey/options", token).get_json()
    return _post_json(client, "/en/login/passkey", token, authenticator.get(options, **answer))


@pytest.fixture
def citizen(auth):
    return auth("citizen01")


def _rows(app, sql, *params):
    return list(connect(app.config["DATABASE"]).query(sql, list(params)))


def test_a_citizen_saves_a_passkey_and_signs_in_with_it(app, citizen, csrf):
    phone = SoftAuthenticator()
    saved = save_passkey(csrf, citizen, phone)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["redirect"] == "/en/account/passkeys"
    page = citizen.get("/en/account/passkeys").get_data(as_text=True)
    assert "The passkey is saved." in page
    assert "Not used yet." in page
    stored = _rows(app, "SELECT * FROM passkeys")
    assert len(stored) == 1 and stored[0]["credential_id"] == phone.credential_id
    # The handle the phone keeps is random, not the login or the name.
    assert b"citizen01" not in phone.user_handle and len(phone.user_handle) == 32

    fresh = app.test_client()
    answer = passkey_sign_in(csrf, fresh, phone)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json() == {"redirect": "/en/me"}
    assert fresh.get("/en/me").status_code == 200
    assert "Last used on" in fresh.get("/en/account/passkeys").get_data(as_text=True)
    assert _rows(app, "SELECT sign_count FROM passkeys")[0]["sign_count"] == 1
    actions = [r["action"] for r in _rows(app, "SELECT action FROM audit_log")]
    assert "passkey-added" in actions


def test_a_challenge_works_once_and_only_for_its_own_session(app, citizen, csrf):
    phone = SoftAuthenticator()
    save_passkey(csrf, citizen, phone)
    client = app.test_client()
    token = csrf(client.get("/en/login").get_data(as_text=True))
    options = _post_json(client, "/en/login/passkey/options", token).get_json()
    answer = phone.get(options)
    assert _post_json(client, "/en/login/passkey", token, answer).status_code == 200
    # The same signed answer again, in another browser: the challenge is not theirs.
    other = app.test_client()
    other_token = csrf(other.get("/en/login").get_data(as_text=True))
    _post_json(other, "/en/login/passkey/options", other_token)
    replay = _post_json(other, "/en/login/passkey", other_token, answer)
    assert replay.status_code == 400
    assert other.get("/en/me").status_code == 302


def test_a_passkey_made_for_another_site_or_signed_by_another_key_is_refused(app, citizen, csrf):
    phone = SoftAuthenticator()
    save_passkey(csrf, citizen, phone)
    wrong_site = passkey_sign_in(csrf, app.test_client(), phone, origin="https://bro.example.com")
    assert wrong_site.status_code == 400
    assert "did not work" in wrong_site.get_json()["error"]
    impostor = SoftAuthenticator()
    impostor.credential_id = phone.credential_id  # same id, another key
    impostor.user_handle = phone.user_handle
    client = app.test_client()
    assert passkey_sign_in(csrf, client, impostor).status_code == 400
    assert client.get("/en/me").status_code == 302


def test_a_copied_passkey_whose_counter_goes_back_is_refused(app, citizen, csrf):
    phone = SoftAuthenticator()
    save_passkey(csrf, citizen, phone)
    assert passkey_sign_in(csrf, app.test_client(), phone, count_up=5).status_code == 200
    phone.sign_count = 1  # a clone that has signed fewer times than the original
    assert passkey_sign_in(csrf, app.test_client(), phone, count_up=1).status_code == 400


def test_an_unknown_passkey_gets_a_clear_message(app, demo_logins, csrf):
    stranger = SoftAuthenticator()
    answer = passkey_sign_in(csrf, app.test_client(), stranger)
    assert answer.status_code == 400
    assert "not saved in Bro" in answer.get_json()["error"]


def test_the_message_is_in_the_persons_language(app, demo_logins, csrf):
    client = app.test_client()
    token = csrf(client.get("/da/login").get_data(as_text=True))
    options = _post_json(client, "/da/login/passkey/options", token).get_json()
    answer = _post_json(client, "/da/login/passkey", token, SoftAuthenticator().get(options))
    assert answer.status_code == 400
    assert "Bro" in answer.get_json()["error"] and "not saved" not in answer.get_json()["error"]


def test_the_same_phone_is_saved_once(app, citizen, csrf):
    phone = SoftAuthenticator()
    assert save_passkey(csrf, citizen, phone).status_code == 200
    again = save_passkey(csrf, citizen, phone)
    assert again.status_code == 409
    assert len(_rows(app, "SELECT id FROM passkeys")) == 1


def test_json_without_a_csrf_token_is_refused(app, citizen):
    assert citizen.post("/en/account/passkeys/options", json={}).status_code == 400
    assert app.test_client().post("/en/login/passkey/options", json={}).status_code == 400


def test_removing_is_only_for_the_owner(app, demo_logins, citizen, auth, csrf):
    save_passkey(csrf, citizen, SoftAuthenticator())
    passkey = _rows(app, "SELECT id FROM passkeys")[0]["id"]
    other = auth("citizen02")
    token = csrf(other.get("/en/account/passkeys").get_data(as_text=True))
    url = f"/en/account/passkeys/{passkey}/remove"
    assert other.post(url, data={"csrf_token": token}).status_code == 404
    assert len(_rows(app, "SELECT id FROM passkeys")) == 1
    token = csrf(citizen.get("/en/account/passkeys").get_data(as_text=True))
    removed = citizen.post(url, data={"csrf_token": token})
    assert removed.status_code == 303
    assert "Your password still works." in citizen.get(removed.location).get_data(as_text=True)
    assert _rows(app, "SELECT id FROM passkeys") == []


def test_staff_have_no_passkeys(app, demo_logins, auth):
    staff = auth("caseworker1")
    assert staff.get("/en/account/passkeys").status_code == 404


def test_a_helper_can_save_a_passkey(app, demo_logins, auth, csrf):
    helper = auth("helper1")
    phone = SoftAuthenticator()
    assert save_passkey(csrf, helper, phone).status_code == 200
    assert passkey_sign_in(csrf, app.test_client(), phone).get_json() == {"redirect": "/en/helping"}


def test_the_data_download_lists_passkeys_without_keys(app, citizen, csrf):
    phone = SoftAuthenticator()
    save_passkey(csrf, citizen, phone)
    data = citizen.get("/en/me/data").get_data(as_text=True)
    exported = json.loads(data)["passkeys"]
    assert len(exported) == 1 and exported[0]["created_at"]
    assert b64(phone.credential_id) not in data


def test_erasure_deletes_the_passkeys(app, demo_logins, citizen, csrf):
    save_passkey(csrf, citizen, SoftAuthenticator())
    citizen_id = _rows(app, "SELECT id FROM users WHERE login = 'citizen01'")[0]["id"]
    with app.app_context():
        from app.caseload import erase_citizen

        coordinator = _rows(app, "SELECT id FROM users WHERE login = 'coordinator'")[0]["id"]
        erase_citizen(citizen_id, coordinator)
    assert _rows(app, "SELECT id FROM passkeys") == []


def test_no_passkey_button_where_browsers_refuse_them(app, demo_logins):
    by_ip = app.test_client().get("/en/login", base_url="http://127.0.0.1:5000")
    assert "Sign in with a passkey" not in by_ip.get_data(as_text=True)
    by_name = app.test_client().get("/en/login")
    assert "Sign in with a passkey" in by_name.get_data(as_text=True)
