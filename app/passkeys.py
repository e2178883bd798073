"""Passkeys: citizens and helpers sign in with their phone's screen lock instead of a password.

WebAuthn through py_webauthn; only the public key is stored. The password keeps working, so a
lost phone never locks anyone out. Passkeys need a domain name: where Bro is opened by an IP
address (http://127.0.0.1:5000) browsers refuse them, so the buttons are not offered there; set
BRO_ORIGIN (https://bro.example.dk) in production, where a proxy hides the scheme and host.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from . import accounts, passkey_store
from .access import home_for, start_session
from .db import audit
from .pages import render
from .security import limiter

bp = Blueprint("passkeys", __name__)
ROLES = ("citizen", "helper")  # staff sign in with a password, as DESIGN.md asks
CHALLENGE_KEY = "webauthn_challenge"


# --- where we are ---------------------------------------------------------------------------


def origin() -> str:
    """The page origin the browser reports in its signed data."""
    return current_app.config.get("WEBAUTHN_ORIGIN") or f"{request.scheme}://{request.host}"


def rp_id() -> str:
    """The relying party id: the host name of the origin."""
    return urlsplit(origin()).hostname or ""


def available() -> bool:
    """Browsers take only a domain name as relying party id, never an IP address."""
    host = rp_id()
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


# --- JSON helpers ---------------------------------------------------------------------------


def _problem(message, status: int = 400):
    """A translated message the page shows in its alert region."""
    response = jsonify(error=str(message))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _credential() -> dict | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _take_challenge(purpose: str) -> bytes | None:
    """The challenge this session was given for ``purpose``; usable once."""
    stored = session.pop(CHALLENGE_KEY, None)
    if not isinstance(stored, dict) or stored.get("purpose") != purpose:
        return None
    try:
        return base64url_to_bytes(stored["challenge"])
    except (KeyError, TypeError, ValueError):
        return None


def _give_challenge(purpose: str, challenge: bytes) -> None:
    session[CHALLENGE_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge)}


def _options_response(options) -> object:
    response = current_app.response_class(options_to_json(options), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


NOT_WORKED = _l(
    "That did not work, and nothing was changed. Try again, or sign in with your password."
)


# --- managing my passkeys ---------------------------------------------------------------------


def _own_account():
    if current_user.role not in ROLES:
        abort(404)


@bp.get("/<lang>/account/passkeys")
@login_required
def manage():
    """My passkeys: add one for this phone, see when each was used, remove one."""
    _own_account()
    response = render(
        "auth/passkeys.html",
        passkeys=passkey_store.list_passkeys(current_user.id),
        available=available(),
        back=home_for(current_user),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<lang>/account/passkeys/options")
@login_required
@limiter.limit("20 per hour")
def registration_options():
    """What the phone needs to make a passkey for this account (JSON)."""
    _own_account()
    if not available():
        abort(404)
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name="Bro",
        user_id=passkey_store.user_handle(current_user.id),
        user_name=current_user.login,
        user_display_name=current_user.name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=credential_id)
            for credential_id in passkey_store.credential_ids(current_user.id)
        ],
    )
    _give_challenge("register", options.challenge)
    return _options_response(options)


@bp.post("/<lang>/account/passkeys/add")
@login_required
@limiter.limit("20 per hour")
def add():
    """Check the phone's new passkey and keep its public key."""
    _own_account()
    credential = _credential()
    challenge = _take_challenge("register")
    if not available() or credential is None or challenge is None:
        return _problem(NOT_WORKED)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        current_app.logger.info("passkey registration refused: %s", error)
        return _problem(NOT_WORKED)
    transports = credential.get("response", {}).get("transports") or []
    saved = passkey_store.save_passkey(
        current_user.id,
        verified.credential_id,
        verified.credential_public_key,
        verified.sign_count,
        ",".join(t for t in transports if isinstance(t, str))[:100],
    )
    if not saved:
        return _problem(_l("This passkey is already saved."), 409)
    audit(current_user.id, "passkey-added", current_user.id)
    flash(_l("The passkey is saved. Next time, choose “Sign in with a passkey”."))
    return jsonify(redirect=url_for("passkeys.manage"))


@bp.post("/<lang>/account/passkeys/<int:passkey_id>/remove")
@login_required
def remove(passkey_id: int):
    """Remove one of my passkeys (someone else's is a 404)."""
    _own_account()
    if not passkey_store.remove_passkey(current_user.id, passkey_id):
        abort(404)
    audit(current_user.id, "passkey-removed", current_user.id)
    flash(_l("The passkey is removed. Your password still works."))
    return redirect(url_for("passkeys.manage"), 303)


# --- signing in -------------------------------------------------------------------------------


@bp.post("/<lang>/login/passkey/options")
@limiter.limit("20 per minute;100 per hour")
def authentication_options():
    """A challenge for the phone to sign; any passkey saved on it for Bro may answer (JSON)."""
    if not available():
        abort(404)
    options = generate_authentication_options(
        rp_id=rp_id(), user_verification=UserVerificationRequirement.REQUIRED
    )
    _give_challenge("sign-in", options.challenge)
    return _options_response(options)


@bp.post("/<lang>/login/passkey")
@limiter.limit("10 per minute;60 per hour")
def sign_in():
    """Check the signed challenge against the stored public key, then start a session."""
    credential = _credential()
    challenge = _take_challenge("sign-in")
    if not available() or credential is None or challenge is None:
        return _problem(NOT_WORKED)
    try:
        credential_id = base64url_to_bytes(str(credential.get("rawId") or credential.get("id")))
    except (ValueError, TypeError):
        return _problem(NOT_WORKED)
    stored = passkey_store.find_passkey(credential_id)
    if stored is None:
        return _problem(
            _l("This passkey is not saved in Bro. Sign in with your login id and password.")
        )
    answer = credential.get("response")
    handle = answer.get("userHandle") if isinstance(answer, dict) else None
    try:
        if handle and base64url_to_bytes(handle) != bytes(stored["webauthn_handle"] or b""):
            return _problem(NOT_WORKED)
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=bytes(stored["public_key"]),
            credential_current_sign_count=stored["sign_count"],
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        # A sign count that goes backwards (a copied authenticator) lands here too.
        current_app.logger.info("passkey sign-in refused: %s", error)
        return _problem(NOT_WORKED)
    row = accounts.get_user(stored["user_id"])
    if row is None or row["role"] not in ROLES:
        return _problem(NOT_WORKED)
    passkey_store.record_use(stored["id"], verified.new_sign_count)
    user = start_session(row)
    audit(user.id, "sign-in", user.id, "passkey")
    return jsonify(redirect=home_for(user))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["passkeys_available"] = available
