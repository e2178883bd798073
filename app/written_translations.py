"""Written translation requests: a citizen asks for a caseworker's Danish words in their
language, and a person (a translator or the caseworker) writes the translation.

Bro never machine-translates: legal and personal text must not be guessed. What a caseworker
types is shown as Danish (`lang="da"`); beside it the citizen can ask for it in their language.
A request keeps the Danish words as they were when asked, so a translation is only shown while
the caseworker's words are unchanged. Asking twice for the same words is stored once.

Sources (what can be asked about): a meeting's "anything else" words (`meeting-purpose`), the
note after a meeting (`meeting-agreements`) and a hand-over's own words (`handover`).
"""

from __future__ import annotations

import datetime

from . import caseload, clock
from .db import audit, get_db, immediate, query_one

SOURCES = ("meeting-purpose", "meeting-agreements", "handover")

# source → the caseworker's current words for one of the citizen's records (filtered by owner)
_CURRENT_TEXT = {
    "meeting-purpose": "SELECT purpose AS text FROM meetings WHERE id = ? AND citizen_id = ?",
    "meeting-agreements": (
        "SELECT agreement_note AS text FROM meetings WHERE id = ? AND citizen_id = ?"
    ),
    "handover": "SELECT reason AS text FROM assignments WHERE id = ? AND citizen_id = ?",
}


def current_text(citizen_id: int, source: str, object_id: int) -> str:
    """The caseworker's words on the citizen's own record now; '' when there are none (or the
    record is not theirs)."""
    if source not in _CURRENT_TEXT:
        return ""
    row = query_one(_CURRENT_TEXT[source], [object_id, citizen_id])
    return (row["text"] or "").strip() if row else ""


def ask(citizen_id: int, source: str, object_id: int, lang: str, asked_by: int) -> bool:
    """Record a request for the current words in `lang`, audited; False when the same words were
    already asked for in that language (a second tap or an offline replay), or there are none."""
    db = get_db()
    with immediate(db):
        danish = current_text(citizen_id, source, object_id)
        if not danish:
            return False
        cursor = db.execute(
            "INSERT OR IGNORE INTO translation_requests "
            "(citizen_id, source, object_id, lang, danish, requested_by, requested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [citizen_id, source, object_id, lang, danish, asked_by, clock.stamp()],
        )
        if cursor.rowcount:
            audit(asked_by, "asked-translation", citizen_id, f"{source} {object_id} {lang}")
        return bool(cursor.rowcount)


def for_citizen(citizen_id: int, lang: str) -> dict[tuple[str, int, str], dict]:
    """The citizen's requests in `lang`, keyed by (source, record id, the Danish words asked
    about): a page looks up the words it shows, and an answer to older words never matches."""
    rows = get_db().query(
        "SELECT * FROM translation_requests WHERE citizen_id = ? AND lang = ?", [citizen_id, lang]
    )
    return {(row["source"], row["object_id"], row["danish"]): _dated(row) for row in rows}


def _dated(row: dict) -> dict:
    row["requested_on"] = clock.day_of(row["requested_at"])
    row["translated_on"] = clock.day_of(row["translated_at"])
    return row


def queue_for(staff: dict, on: datetime.date | None = None) -> list[dict]:
    """Open requests the staff member may answer, oldest first: the coordinator sees all, a
    caseworker those of their own citizens and of colleagues they stand in for today."""
    sql = (
        "SELECT t.*, u.name AS citizen_name FROM translation_requests t "
        "JOIN users u ON u.id = t.citizen_id "
        "JOIN assignments a ON a.citizen_id = t.citizen_id AND a.valid_to IS NULL "
        "WHERE t.translated_at IS NULL"
    )
    params: list = []
    if staff["role"] != "coordinator":
        covered = caseload.covered_caseworkers(staff["id"], on)
        sql += f" AND a.caseworker_id IN ({', '.join('?' * len(covered))})"
        params.extend(covered)
    sql += " ORDER BY t.requested_at, t.id"
    return [_dated(row) for row in get_db().query(sql, params)]


def get_request(request_id: int) -> dict | None:
    """One request with the citizen's name (the caller checks the staff member may open it)."""
    row = query_one(
        "SELECT t.*, u.name AS citizen_name FROM translation_requests t "
        "JOIN users u ON u.id = t.citizen_id WHERE t.id = ?",
        [request_id],
    )
    return _dated(row) if row else None


def answer(request_id: int, translation: str, actor_id: int) -> None:
    """Store the translation a person wrote (or corrected), audited, in one transaction."""
    db = get_db()
    with immediate(db):
        row = db.execute(
            "SELECT citizen_id FROM translation_requests WHERE id = ?", [request_id]
        ).fetchone()
        db.execute(
            "UPDATE translation_requests SET translation = ?, translated_by = ?, translated_at = ? "
            "WHERE id = ?",
            [translation.strip(), actor_id, clock.stamp(), request_id],
        )
        audit(actor_id, "translated", row["citizen_id"], str(request_id))
