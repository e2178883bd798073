"""Passkeys as stored: only public keys, with when each was saved and last used."""

from __future__ import annotations

import datetime
import secrets

from . import clock
from .db import get_db, immediate, query_one


def _when(stamp: str | None) -> datetime.datetime | None:
    return clock.parse(stamp) if stamp else None


def list_passkeys(user_id: int) -> list[dict]:
    """The user's passkeys, newest first, with when each was saved and last used (no keys)."""
    rows = get_db().query(
        "SELECT id, created_at, last_used_at FROM passkeys WHERE user_id = ? ORDER BY id DESC",
        [user_id],
    )
    return [
        {**row, "created": _when(row["created_at"]), "used": _when(row["last_used_at"])}
        for row in rows
    ]


def credential_ids(user_id: int) -> list[bytes]:
    """The ids of the user's passkeys, so the phone does not save a second one for Bro."""
    rows = get_db().execute("SELECT credential_id FROM passkeys WHERE user_id = ?", [user_id])
    return [bytes(row[0]) for row in rows.fetchall()]


def find_passkey(credential_id: bytes) -> dict | None:
    """The passkey with this id and its account's user handle, if the account is active."""
    return query_one(
        "SELECT p.*, u.webauthn_handle FROM passkeys p JOIN users u ON u.id = p.user_id "
        "WHERE p.credential_id = ? AND u.active = 1",
        [credential_id],
    )


def user_handle(user_id: int) -> bytes:
    """The random handle the authenticator keeps for this account (never a name or login)."""
    db = get_db()
    with immediate(db):
        row = db.execute("SELECT webauthn_handle FROM users WHERE id = ?", [user_id]).fetchone()
        if row and row[0]:
            return bytes(row[0])
        handle = secrets.token_bytes(32)
        db.execute("UPDATE users SET webauthn_handle = ? WHERE id = ?", [handle, user_id])
        return handle


def save_passkey(
    user_id: int, credential_id: bytes, public_key: bytes, sign_count: int, transports: str
) -> bool:
    """Store a new passkey; False when this authenticator is already registered."""
    db = get_db()
    with immediate(db):
        if db.execute("SELECT 1 FROM passkeys WHERE credential_id = ?", [credential_id]).fetchone():
            return False
        db.execute(
            "INSERT INTO passkeys (user_id, credential_id, public_key, sign_count, transports) "
            "VALUES (?, ?, ?, ?, ?)",
            [user_id, credential_id, public_key, sign_count, transports],
        )
    return True


def remove_passkey(user_id: int, passkey_id: int) -> bool:
    """Delete one of the user's own passkeys; False when it is not theirs (or gone)."""
    cursor = get_db().execute(
        "DELETE FROM passkeys WHERE id = ? AND user_id = ?", [passkey_id, user_id]
    )
    return cursor.rowcount == 1


def record_use(passkey_id: int, sign_count: int) -> None:
    get_db().execute(
        "UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ?",
        [sign_count, clock.stamp(), passkey_id],
    )
