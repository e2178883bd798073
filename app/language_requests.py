"""Languages people asked for ("my language is missing"): anonymous, stored once per key."""

from __future__ import annotations

from .db import get_db, immediate


def save_language_request(language: str, contact: str | None, asked_from: str, key: str) -> None:
    """Store a request; the same idempotency key is stored only once."""
    db = get_db()
    with immediate(db):
        db.execute(
            "INSERT INTO language_requests (language, contact, asked_from, idempotency_key) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            [language.strip(), (contact or "").strip() or None, asked_from, key],
        )


def list_language_requests() -> list[dict]:
    """All requests, newest first, for the coordinator."""
    return list(get_db().query("SELECT * FROM language_requests ORDER BY created_at DESC, id DESC"))
