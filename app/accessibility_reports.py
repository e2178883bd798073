"""Reports of accessibility problems ("something does not work"): anonymous, stored once per key."""

from __future__ import annotations

from .db import get_db, immediate


def save_accessibility_report(
    problem: str, page: str | None, contact: str | None, asked_from: str, key: str
) -> None:
    """Store a report; the same idempotency key (a form sent twice) is stored only once."""
    db = get_db()
    with immediate(db):
        db.execute(
            "INSERT INTO accessibility_reports (problem, page, contact, asked_from, "
            "idempotency_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            [
                problem.strip(),
                (page or "").strip(),
                (contact or "").strip() or None,
                asked_from,
                key,
            ],
        )


def list_accessibility_reports() -> list[dict]:
    """All reports, newest first, for the coordinator."""
    return list(
        get_db().query("SELECT * FROM accessibility_reports ORDER BY created_at DESC, id DESC")
    )
