"""Sign-in throttling: failures per login id, and the devices a person signed in from before.

A guesser is slowed per account: from the 5th wrong password in a row the login id is locked for
1, 2, 4 … up to 60 minutes, and the count starts again after a day without failures. The lock
stops strangers, not the owner: a phone or computer that signed in to this account before holds a
device cookie, and with it the right password still works during a lock (the "device cookie"
pattern OWASP recommends against lock-out abuse). Wrong passwords from that device count against
the device, which stops being trusted after a few of them. A coordinator can lift a lock.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import secrets

from . import clock
from .db import get_db, immediate, query_one

LOCK_AFTER = 5  # failures before the first lock-out
MAX_LOCK_MINUTES = 60
FORGET_FAILURES_AFTER = datetime.timedelta(days=1)
DEVICE_FAILURES = 10  # wrong passwords from a trusted device before it is trusted no more
DEVICE_COOKIE = "bro_device"
# Script-readable: says (opaquely) who is signed in on this phone; set and cleared by auth.
SIGNED_IN_COOKIE = "bro_signed_in"
DEVICE_DAYS = 365
REMEMBER_DAYS = 30  # "keep me signed in": the remember-me cookie lasts this long


def _key(login: str) -> str:
    return (login or "").strip()[:100]


def minutes_locked(login: str) -> int:
    """Minutes until this login id may try again from an unknown device (0 when it may)."""
    row = query_one("SELECT locked_until FROM login_failures WHERE login = ?", [_key(login)])
    if not row or not row["locked_until"]:
        return 0
    left = (clock.parse(row["locked_until"]) - clock.now()).total_seconds()
    return max(0, math.ceil(left / 60))


def record_failure(login: str) -> None:
    """Count a wrong password; from the 5th in a row, lock for 1, 2, 4 … up to 60 minutes."""
    db = get_db()
    now = clock.now()
    with immediate(db):
        row = query_one(
            "SELECT failures, last_failure_at FROM login_failures WHERE login = ?", [_key(login)]
        )
        failures = 1
        if row and row["last_failure_at"]:
            last = clock.parse(row["last_failure_at"])
            if now - last < FORGET_FAILURES_AFTER:
                failures = row["failures"] + 1
        locked_until = None
        if failures >= LOCK_AFTER:
            minutes = min(2 ** (failures - LOCK_AFTER), MAX_LOCK_MINUTES)
            locked_until = clock.stamp(now + datetime.timedelta(minutes=minutes))
        db.execute(
            "INSERT INTO login_failures (login, failures, locked_until, last_failure_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, "
            "locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at",
            [_key(login), failures, locked_until, clock.stamp(now)],
        )


def clear_failures(login: str) -> None:
    """Forget the failures of a login id (after a right password, or a coordinator's unlock)."""
    get_db().execute("DELETE FROM login_failures WHERE login = ?", [_key(login)])


def locked_logins() -> set[str]:
    """Login ids (lower case) locked right now, for the coordinator's staff list."""
    rows = get_db().query(
        "SELECT login FROM login_failures WHERE locked_until > ?", [clock.stamp()]
    )
    return {row["login"].lower() for row in rows}


# --- devices that signed in before ----------------------------------------------------------


def _hash(token: str) -> str:
    # The token has 256 random bits: a plain SHA-256 makes a stolen table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def trusted_device(token: str | None, user_id: int) -> dict | None:
    """The device row when this cookie belongs to this user's account, else None."""
    if not token or len(token) > 100:
        return None
    return query_one(
        "SELECT id, failures FROM known_devices WHERE token_hash = ? AND user_id = ?",
        [_hash(token), user_id],
    )


def remember_device(token: str | None, user_id: int) -> str:
    """After a right password: keep trusting this device (or start to); returns its token."""
    db = get_db()
    now = clock.stamp()
    with immediate(db):
        if token and trusted_device(token, user_id):
            db.execute(
                "UPDATE known_devices SET failures = 0, last_used_at = ? WHERE token_hash = ?",
                [now, _hash(token)],
            )
            return token
        token = secrets.token_urlsafe(32)
        db.execute(
            "INSERT INTO known_devices (user_id, token_hash, created_at, last_used_at) "
            "VALUES (?, ?, ?, ?)",
            [user_id, _hash(token), now, now],
        )
    return token


def device_failure(device_id: int) -> None:
    """A wrong password from a trusted device; after a few the device is trusted no more."""
    db = get_db()
    with immediate(db):
        db.execute("UPDATE known_devices SET failures = failures + 1 WHERE id = ?", [device_id])
        db.execute(
            "DELETE FROM known_devices WHERE id = ? AND failures >= ?", [device_id, DEVICE_FAILURES]
        )


def forget_devices(user_id: int) -> int:
    """Trust none of this person's devices any more (access reset, erasure); returns how many."""
    return get_db().execute("DELETE FROM known_devices WHERE user_id = ?", [user_id]).rowcount


def devices_of(user_id: int) -> list[dict]:
    """The devices this person signed in from, for their data download (no tokens)."""
    return list(
        get_db().query(
            "SELECT created_at, last_used_at FROM known_devices WHERE user_id = ? ORDER BY id",
            [user_id],
        )
    )
