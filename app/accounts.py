"""Account codes and passwords: activation letters, helper invitations, the password rule."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from . import clock
from .db import audit, get_db, immediate, query_one
from .passwords import hasher
from .signin import forget_devices

# Crockford's base32 without I, L, O, U: easy to read aloud and type from a letter.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits of entropy
ACTIVATION_DAYS = 30
MIN_PASSWORD = 10


def new_code() -> str:
    """A fresh random code, grouped for reading: ABCD-EFGH-JKMN-PQRS."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(typed: str) -> str:
    """What people type: spaces, dashes, lower case, O for 0 and I/L for 1 all work."""
    text = re.sub(r"[\s\-–_.]", "", typed or "").upper()
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def hash_code(code: str) -> str:
    # The code has 80 random bits, so a plain SHA-256 is enough to make a stolen table useless.
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def issue_code(
    user_id: int, purpose: str, days: int = ACTIVATION_DAYS, scope: dict | None = None
) -> str:
    """Store a new code for the user (voiding their unused codes of that purpose); return it."""
    code = new_code()
    db = get_db()
    with immediate(db):
        if purpose in ("activate", "helper"):
            # One open code at a time: a new letter or invitation voids the unused one.
            void_codes(user_id, purpose)
        db.execute(
            "INSERT INTO activation_codes (user_id, purpose, code_hash, expires_at, scope) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                user_id,
                purpose,
                hash_code(code),
                clock.stamp(clock.now() + datetime.timedelta(days=days)),
                json.dumps(scope) if scope else None,
            ],
        )
    return code


def check_code(code: str, purpose: str) -> tuple[dict | None, str | None]:
    """(the code's row, None) when usable, else (None, why): 'wrong', 'used' or 'expired'."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None, "wrong"
    row = next(
        iter(
            get_db().query(
                "SELECT * FROM activation_codes WHERE code_hash = ? AND purpose = ?",
                [hash_code(code), purpose],
            )
        ),
        None,
    )
    if row is None:
        return None, "wrong"
    if row["used_at"]:
        return None, "used"
    if clock.parse(row["expires_at"]) < clock.now():
        return None, "expired"
    return row, None


def void_codes(user_id: int, purpose: str) -> int:
    """Void this person's unused codes of a purpose (a stopped helper's open invitation)."""
    return (
        get_db()
        .execute(
            "UPDATE activation_codes SET used_at = 'void' WHERE user_id = ? AND purpose = ? "
            "AND used_at IS NULL",
            [user_id, purpose],
        )
        .rowcount
    )


def use_code(code_id: int) -> bool:
    """Mark a code used; False if someone used it a moment ago (single use, even when raced)."""
    db = get_db()
    cursor = db.execute(
        "UPDATE activation_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
        [clock.stamp(), code_id],
    )
    return cursor.rowcount == 1


CODE_PROBLEMS = {
    "wrong": _l("We do not know this code. Check the letters and numbers on your letter."),
    "used": _l("This code has already been used. If you did not use it, ask your caseworker."),
    "expired": _l("This code is too old. Ask your caseworker for a new letter."),
}


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt"
    return frozenset(
        line.strip().lower() for line in path.read_text().splitlines() if line and line[0] != "#"
    )


def password_problem(password: str, login: str = "") -> str | None:
    """Why a new password will not do, or None. Length and a list, no composition rules."""
    if len(password) < MIN_PASSWORD:
        return str(_l("Use at least 10 characters. A few words together are easy to remember."))
    if len(password) > 200:
        return str(_l("Use at most 200 characters."))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        return str(_l("Many people use this password, so it is easy to guess. Choose another."))
    if login and login.lower() in lowered:
        return str(_l("Do not use your login id in your password."))
    return None


# --- activation letters ---------------------------------------------------------------------

LETTER_MINUTES = 15  # the new letter must be opened within this time, then the code is gone


def issue_letter(citizen_id: int, staff_id: int) -> None:
    """A new activation code for the citizen's letter (the old one voided), kept server-side
    until this staff member opens the letter once."""
    db = get_db()
    with immediate(db):
        code = issue_code(citizen_id, "activate")
        db.execute(
            "INSERT INTO pending_letters (citizen_id, issued_by, code, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (citizen_id) DO UPDATE SET "
            "issued_by = excluded.issued_by, code = excluded.code, created_at = excluded.created_at",
            [citizen_id, staff_id, code, clock.stamp()],
        )


def take_letter_code(citizen_id: int, staff_id: int) -> str | None:
    """The new letter's code, once, for the staff member who made it; None afterwards."""
    db = get_db()
    with immediate(db):
        row = query_one(
            "SELECT code, created_at FROM pending_letters WHERE citizen_id = ? AND issued_by = ?",
            [citizen_id, staff_id],
        )
        if row is None:
            return None
        db.execute("DELETE FROM pending_letters WHERE citizen_id = ?", [citizen_id])
    made = clock.parse(row["created_at"])
    if clock.now() - made > datetime.timedelta(minutes=LETTER_MINUTES):
        return None
    return row["code"]


def reset_access(citizen_id: int, staff_id: int, reason: str) -> None:
    """Staff reset a citizen's access: old password, passkeys and trusted devices stop working,
    every session ends, a new letter is made, and the act is audited as the staff member's."""
    db = get_db()
    with immediate(db):
        db.execute(
            "UPDATE users SET password_hash = NULL, session_version = session_version + 1, "
            "access_reset_at = ? WHERE id = ? AND role = 'citizen'",
            [clock.stamp(), citizen_id],
        )
        db.execute("DELETE FROM passkeys WHERE user_id = ?", [citizen_id])
        forget_devices(citizen_id)
        issue_letter(citizen_id, staff_id)
        audit(staff_id, "reset-access", citizen_id, reason)


def take_access_reset(user_id: int) -> datetime.datetime | None:
    """When staff reset this person's access, once (to tell them); None when they did not."""
    db = get_db()
    row = query_one("SELECT access_reset_at FROM users WHERE id = ?", [user_id])
    if not row or not row["access_reset_at"]:
        return None
    db.execute("UPDATE users SET access_reset_at = NULL WHERE id = ?", [user_id])
    return clock.parse(row["access_reset_at"])


# --- users ----------------------------------------------------------------------------------


def get_user(user_id: int) -> dict | None:
    """An active user by id."""
    return query_one("SELECT * FROM users WHERE id = ? AND active = 1", [user_id])


def user_by_login(login: str) -> dict | None:
    """An active user by login id."""
    return query_one("SELECT * FROM users WHERE login = ? AND active = 1", [login.strip()])


def set_password(user_id: int, password: str) -> None:
    """A new password; every session made with the old one ends."""
    get_db().execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
        [hasher.hash(password), user_id],
    )


def end_sessions(user_id: int) -> None:
    """Sign out for real: every session and remembered cookie of this person stops working."""
    get_db().execute(
        "UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id]
    )


# --- login ids ------------------------------------------------------------------------------


def login_taken(login: str) -> bool:
    """Whether any account, active or not, already has this login id."""
    return query_one("SELECT 1 FROM users WHERE login = ?", [login.strip()]) is not None


def readable_login(name: str, fallback: str) -> str:
    """A login id people can read aloud and remember: a first name and four digits (amina4821).

    Bro chooses it, so nobody can learn from a "taken" message which login ids exist. A name
    without Latin letters gives the fallback word instead (helper4821).
    """
    folded = unicodedata.normalize("NFKD", (name or "").strip().split(" ")[0])
    first = "".join(ch for ch in folded.lower() if "a" <= ch <= "z")[:12]
    stem = first if len(first) >= 2 else fallback
    for attempt in range(50):
        digits = 4 if attempt < 40 else 6
        login = stem + "".join(secrets.choice("0123456789") for _ in range(digits))
        if not login_taken(login):
            return login
    raise RuntimeError("no free login id")  # 50 tries among 10,000+ numbers: never in practice


def redeem_helper_code(
    code_row: dict, helper_id: int | None, new_helper: dict | None
) -> int | None:
    """Use a helper invitation in one transaction: make the helper (if new) and link them.

    A helper who already helps this citizen gets their link renewed, never a second one.
    Returns the helper's user id, or None when the code was used a moment ago.
    """
    db = get_db()
    scope = json.loads(code_row["scope"] or "{}")
    citizen_id = code_row["user_id"]
    with immediate(db):
        if not use_code(code_row["id"]):
            return None
        if helper_id is None:
            helper_id = (
                db["users"]
                .insert(
                    new_helper
                    | {"login": readable_login(new_helper["name"], "helper"), "role": "helper"}
                )
                .last_pk
            )
        link = query_one(
            "SELECT id FROM helpers WHERE citizen_id = ? AND helper_id = ? AND revoked_at IS NULL",
            [citizen_id, helper_id],
        )
        values = {
            "can_see": 1,
            "can_request_interpreter": 1 if scope.get("interpreter") else 0,
            "expires_on": scope.get("expires_on"),
        }
        if link:
            db["helpers"].update(link["id"], values)
        else:
            db["helpers"].insert(values | {"citizen_id": citizen_id, "helper_id": helper_id})
    return helper_id
