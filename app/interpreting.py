"""Interpreter requests and the register of interpreters: queries, booking and CSV import.

Booking is the one place two people can collide: the check that the interpreter is free and the
booking itself happen inside one BEGIN IMMEDIATE transaction, so the second caseworker of a race
sees the first one's booking and gets a clear message instead of a double booking.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import secrets

import sqlite_utils
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from . import clock, records
from .db import get_db, immediate, query_one

MODES = ("in-person", "video", "phone")
CERTIFICATIONS = ("state-authorised", "trained-exam", "tested", "none")
FIELDS = ("health", "social", "legal", "employment")
GENDERS = ("f", "m")
# Languages an interpreter can be asked for: Bro's twelve, plus Amharic (often confused with
# Tigrinya, and the right language for some Eritrean and Ethiopian newcomers).
EXTRA_LANGUAGES = {"am": "አማርኛ"}
DIALECTS = {
    "ar": {
        "levantine": _l("Levantine (Syria, Lebanon, Palestine, Jordan)"),
        "iraqi": _l("Iraqi"),
        "egyptian": _l("Egyptian"),
        "gulf": _l("Gulf"),
        "maghrebi": _l("Maghrebi (Morocco, Algeria, Tunisia)"),
        "sudanese": _l("Sudanese"),
    }
}
MODE_LABELS = {"in-person": _l("In person"), "video": _l("By video"), "phone": _l("By phone")}
CERTIFICATION_LABELS = {
    "state-authorised": _l("State-authorised interpreter"),
    "trained-exam": _l("Trained interpreter with an exam"),
    "tested": _l("Tested interpreter"),
    "none": _l("Not certified"),
}
STATUS_LABELS = {
    "requested": _l("Requested"),
    "booked": _l("Booked"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}


CANCEL_REASONS = {
    "meeting-cancelled": _l("The meeting was cancelled."),
    "not-needed": _l("The caseworker marked that no interpreter is needed."),
}


def cancel_reason_text(reason: str | None) -> str | Markup:
    """A machine reason in the reader's language; a caseworker's own words as written, marked
    Danish (they reach citizens who may not read it)."""
    if reason in CANCEL_REASONS:
        return str(CANCEL_REASONS[reason])
    return Markup('<bdi lang="da">{}</bdi>').format(reason or "")


class Conflict(Exception):
    """The interpreter is no longer free, or the request is no longer open."""


def _reference() -> str:
    """A short reference to quote on the phone: T- and 6 characters, no look-alikes."""
    return "T-" + "".join(secrets.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(6))


def _event(db: sqlite_utils.Database, request_id: int, status: str, detail: str = "") -> None:
    db.execute(
        "INSERT INTO interpreter_request_events (request_id, status, detail) VALUES (?, ?, ?)",
        [request_id, status, detail],
    )


def create_request(db: sqlite_utils.Database, values: dict, key: str | None = None) -> int:
    """Store a request once per idempotency key; return its id (the existing one on a replay).

    The caller holds no transaction; this takes BEGIN IMMEDIATE itself.
    """
    key = key or "auto-" + secrets.token_urlsafe(12)
    with immediate(db):
        existing = db.execute(
            "SELECT id FROM interpreter_requests WHERE idempotency_key = ?", [key]
        ).fetchone()
        if existing:
            return existing[0]
        if values.get("meeting_id"):
            open_one = db.execute(
                "SELECT id FROM interpreter_requests WHERE meeting_id = ? "
                "AND status IN ('requested', 'booked')",
                [values["meeting_id"]],
            ).fetchone()
            if open_one:
                return open_one[0]
        request_id = db.execute(
            "INSERT INTO interpreter_requests (reference, citizen_id, requested_by, meeting_id, visit, "
            "starts_at, ends_at, place, language, dialect, mode, gender, note, idempotency_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _reference(),
                values["citizen_id"],
                values.get("requested_by"),
                values.get("meeting_id"),
                values.get("visit", "meeting"),
                values["starts_at"],
                values["ends_at"],
                values.get("place"),
                values["language"],
                values.get("dialect") or None,
                values.get("mode", "in-person"),
                values.get("gender") or None,
                values.get("note") or "",
                key,
            ],
        ).lastrowid
        _event(db, request_id, "requested")
    return request_id


def sync_meeting(db: sqlite_utils.Database, meeting_id: int) -> None:
    """Keep a meeting's interpreter request in step with the meeting.

    Marked "interpreter needed" → a request exists. Moved → the request moves (a booking is
    released, since the interpreter may not be free then). Cancelled → the request is cancelled.
    """
    meeting = db.execute("SELECT * FROM meetings WHERE id = ?", [meeting_id]).fetchone()
    if meeting is None:
        return
    current = db.execute(
        "SELECT * FROM interpreter_requests WHERE meeting_id = ? AND status IN ('requested', 'booked')",
        [meeting_id],
    ).fetchone()
    if meeting["status"] == "cancelled" or not meeting["interpreter_needed"]:
        if current:
            with immediate(db):
                db.execute(
                    "UPDATE interpreter_requests SET status = 'cancelled', cancel_reason = ?, "
                    "updated_at = ? WHERE id = ?",
                    [
                        "meeting-cancelled" if meeting["status"] == "cancelled" else "not-needed",
                        clock.stamp(),
                        current["id"],
                    ],
                )
                _event(db, current["id"], "cancelled", "meeting-cancelled")
        return
    if current is None:
        citizen = db.execute(
            "SELECT interpreter_dialect FROM citizens WHERE user_id = ?", [meeting["citizen_id"]]
        ).fetchone()
        dialect = citizen["interpreter_dialect"] if citizen else None
        create_request(
            db,
            {
                "citizen_id": meeting["citizen_id"],
                "requested_by": meeting["caseworker_id"],
                "meeting_id": meeting_id,
                "visit": "meeting",
                "starts_at": meeting["starts_at"],
                "ends_at": meeting["ends_at"],
                "place": meeting["place"],
                "language": meeting["interpreter_language"],
                "dialect": dialect
                if dialect in DIALECTS.get(meeting["interpreter_language"], {})
                else None,
                "mode": "video" if meeting["video_url"] and not meeting["place"] else "in-person",
            },
        )
        return
    moved = (current["starts_at"], current["ends_at"]) != (meeting["starts_at"], meeting["ends_at"])
    relanguaged = current["language"] != meeting["interpreter_language"]
    if moved or relanguaged:
        with immediate(db):
            db.execute(
                "UPDATE interpreter_requests SET starts_at = ?, ends_at = ?, language = ?, place = ?, "
                "status = 'requested', interpreter_id = NULL, updated_at = ? WHERE id = ?",
                [
                    meeting["starts_at"],
                    meeting["ends_at"],
                    meeting["interpreter_language"],
                    meeting["place"],
                    clock.stamp(),
                    current["id"],
                ],
            )
            _event(db, current["id"], "requested", "meeting-moved")


# --- reading ------------------------------------------------------------------------------


def _request(row: dict | None) -> dict | None:
    if row is None:
        return None
    row["starts"] = datetime.datetime.fromisoformat(row["starts_at"]).replace(tzinfo=records.TZ)
    row["ends"] = datetime.datetime.fromisoformat(row["ends_at"]).replace(tzinfo=records.TZ)
    # Still "requested" after the visit ended: nobody was booked, and the page must say so.
    row["passed_unbooked"] = row["status"] == "requested" and row["ends"] < clock.now_local()
    return row


_REQUEST_SQL = (
    "SELECT r.*, i.name AS interpreter_name, i.certification AS interpreter_certification, "
    "m.kind AS meeting_kind FROM interpreter_requests r "
    "LEFT JOIN interpreters i ON i.id = r.interpreter_id "
    "LEFT JOIN meetings m ON m.id = r.meeting_id "
)


def requests_for(citizen_id: int) -> list[dict]:
    """The citizen's requests, coming first."""
    rows = get_db().query(
        _REQUEST_SQL + "WHERE r.citizen_id = ? ORDER BY r.starts_at DESC", [citizen_id]
    )
    return [_request(r) for r in rows]


def get_request(citizen_id: int, request_id: int) -> dict | None:
    """One of this citizen's requests; None when it is someone else's."""
    row = next(
        iter(
            get_db().query(
                _REQUEST_SQL + "WHERE r.id = ? AND r.citizen_id = ?", [request_id, citizen_id]
            )
        ),
        None,
    )
    return _request(row)


def request_for_meeting(meeting_id: int) -> dict | None:
    row = next(
        iter(
            get_db().query(
                _REQUEST_SQL
                + "WHERE r.meeting_id = ? ORDER BY r.status IN ('requested', 'booked') DESC, r.id DESC LIMIT 1",
                [meeting_id],
            )
        ),
        None,
    )
    return _request(row)


def timeline(request_id: int) -> list[dict]:
    rows = get_db().query(
        "SELECT * FROM interpreter_request_events WHERE request_id = ? ORDER BY id", [request_id]
    )
    out = []
    for row in rows:
        row["when"] = clock.parse(row["at"])
        out.append(row)
    return out


def queue(caseworker_ids: list[int] | None) -> list[dict]:
    """Open requests (requested or booked) of these caseworkers' citizens, soonest first.

    None means every caseload (the coordinator).
    """
    params: list = [records.now_local().replace(tzinfo=None).isoformat(timespec="minutes")]
    where = "r.status IN ('requested', 'booked') AND r.ends_at >= ?"
    if caseworker_ids is not None:
        where += (
            " AND r.citizen_id IN (SELECT citizen_id FROM assignments WHERE valid_to IS NULL AND "
            f"caseworker_id IN ({', '.join('?' * len(caseworker_ids))}))"
        )
        params += caseworker_ids
    rows = get_db().query(
        _REQUEST_SQL.replace("SELECT r.*", "SELECT r.*, u.name AS citizen_name")
        + "JOIN users u ON u.id = r.citizen_id WHERE "
        + where
        + " ORDER BY r.starts_at LIMIT 300",
        params,
    )
    return [_request(r) for r in rows]


def staff_request(request_id: int) -> dict | None:
    return _request(query_one(_REQUEST_SQL + "WHERE r.id = ?", [request_id]))


def matching_interpreters(request: dict, db: sqlite_utils.Database | None = None) -> list[dict]:
    """Active, certified interpreters with the language, dialect, mode (and gender) who are free."""
    return matches_for([request], db)[request["id"]]


def matches_for(
    requests: list[dict], db: sqlite_utils.Database | None = None
) -> dict[int, list[dict]]:
    """The free, fitting interpreters of each request (by id), in two queries for the whole list
    (the register once, the bookings in the requests' time span once) instead of one per request.

    Fitting: active, certified, speaks the language (and dialect), works in the mode (and has
    the gender asked for); free: no other booking overlapping the request's time. Best
    certification first, then by name.
    """
    if not requests:
        return {}
    db = db or get_db()
    register = list(
        db.query(
            "SELECT * FROM interpreters i WHERE i.active = 1 AND i.certification != 'none' "
            "ORDER BY CASE i.certification WHEN 'state-authorised' THEN 0 "
            "WHEN 'trained-exam' THEN 1 ELSE 2 END, i.name"
        )
    )
    ids = [row["id"] for row in register]
    bookings: dict[int, list[tuple[str, str, int]]] = {}
    if ids:
        for row in db.query(
            "SELECT id, interpreter_id, starts_at, ends_at FROM interpreter_requests "
            f"WHERE status = 'booked' AND interpreter_id IN ({', '.join('?' * len(ids))}) "
            "AND starts_at < ? AND ends_at > ?",
            [
                *ids,
                max(r["ends_at"] for r in requests),
                min(r["starts_at"] for r in requests),
            ],
        ):
            bookings.setdefault(row["interpreter_id"], []).append(
                (row["starts_at"], row["ends_at"], row["id"])
            )
    out = {}
    for request in requests:
        out[request["id"]] = [
            row
            for row in register
            if request["language"] in row["languages"].split()
            and request["mode"] in row["modes"].split()
            and (not request.get("dialect") or request["dialect"] in row["dialects"].split())
            and (not request.get("gender") or row["gender"] == request["gender"])
            and not any(
                starts < request["ends_at"]
                and ends > request["starts_at"]
                and other != request["id"]
                for starts, ends, other in bookings.get(row["id"], [])
            )
        ]
    return out


# --- writing (staff) ----------------------------------------------------------------------


def book(request_id: int, interpreter_id: int, video_url: str | None = None, db=None) -> None:
    """Book the interpreter for the request, or raise Conflict. Check and write are one transaction."""
    db = db or get_db()
    with immediate(db):
        request = db.execute(
            "SELECT * FROM interpreter_requests WHERE id = ?", [request_id]
        ).fetchone()
        if request is None or request["status"] != "requested":
            raise Conflict("not-open")
        request = dict(request)
        ok = any(i["id"] == interpreter_id for i in matching_interpreters(request, db))
        if not ok:
            raise Conflict("not-free")
        db.execute(
            "UPDATE interpreter_requests SET status = 'booked', interpreter_id = ?, video_url = ?, "
            "updated_at = ? WHERE id = ?",
            [interpreter_id, video_url or None, clock.stamp(), request_id],
        )
        _event(db, request_id, "booked")


def set_status(request_id: int, status: str, reason: str = "") -> None:
    """Mark done, or cancel with a reason (visible to the citizen)."""
    db = get_db()
    with immediate(db):
        db.execute(
            "UPDATE interpreter_requests SET status = ?, cancel_reason = ?, updated_at = ? WHERE id = ? "
            "AND status IN ('requested', 'booked')",
            [status, reason or None, clock.stamp(), request_id],
        )
        _event(db, request_id, status, reason)


# --- the register -------------------------------------------------------------------------


REGISTER_PAGE = 50  # interpreters per page of the register


def list_interpreters(page: int = 1) -> tuple[list[dict], int]:
    """One page of the register (active first, by name), and how many interpreters in all."""
    total = get_db().execute("SELECT count(*) FROM interpreters").fetchone()[0]
    rows = get_db().query(
        "SELECT * FROM interpreters ORDER BY active DESC, name, id LIMIT ? OFFSET ?",
        [REGISTER_PAGE, (max(page, 1) - 1) * REGISTER_PAGE],
    )
    return list(rows), total


def get_interpreter(interpreter_id: int) -> dict | None:
    return next(
        iter(get_db().query("SELECT * FROM interpreters WHERE id = ?", [interpreter_id])), None
    )


def save_interpreter(values: dict, interpreter_id: int | None = None) -> int:
    db = get_db()
    if interpreter_id is None:
        return db["interpreters"].insert(values).last_pk
    db["interpreters"].update(interpreter_id, values)
    return interpreter_id


CSV_COLUMNS = (
    "name",
    "languages",
    "dialects",
    "certification",
    "modes",
    "gender",
    "fields",
    "phone",
    "email",
    "active",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def known_languages() -> set[str]:
    from .languages import BY_CODE

    return set(BY_CODE) | set(EXTRA_LANGUAGES)


MAX_IMPORT_ROWS = 2000  # a city's register fits; a runaway file is refused before any work


# What Danish Excel writes: Danish column names and the values as the register shows them.
CSV_HEADERS = {
    "navn": "name",
    "sprog": "languages",
    "dialekter": "dialects",
    "certificering": "certification",
    "tolkeformer": "modes",
    "former": "modes",
    "køn": "gender",
    "fagområder": "fields",
    "områder": "fields",
    "telefon": "phone",
    "e-mail": "email",
    "mail": "email",
    "aktiv": "active",
}
CSV_WORDS = {
    "modes": {"fremmøde": "in-person", "fysisk": "in-person", "telefon": "phone"},
    "gender": {"k": "f", "kvinde": "f", "woman": "f", "mand": "m", "man": "m"},
    "fields": {"sundhed": "health", "jura": "legal", "beskæftigelse": "employment"},
}


def decode_csv(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without the BOM Excel writes), else Windows-1252, which
    Danish Excel uses for "CSV (semikolonsepareret)"."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _certification_words() -> dict[str, str]:
    """Every way the register names a certification (Danish and English labels, the codes)."""
    from flask_babel import force_locale

    words = {code: code for code in CERTIFICATIONS}
    for locale in ("da", "en"):
        with force_locale(locale):
            words.update(
                {str(label).casefold(): code for code, label in CERTIFICATION_LABELS.items()}
            )
    return words


def _as_codes(column: str, value: str) -> str:
    """A cell in the register's own terms: "Statsautoriseret tolk" → state-authorised."""
    if column == "certification":
        return _certification_words().get(value.casefold(), value)
    if column in CSV_WORDS:
        words = CSV_WORDS[column]
        parts = value.replace(",", " ").split()
        return " ".join(words.get(part.casefold(), part) for part in parts)
    return value


def read_csv(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """The file's rows as (line number, {column: text}), or the problems that stop reading it
    at all (missing columns, too many rows, no rows). Semicolon or comma (csv.Sniffer), Danish
    or English column names, Danish values. Each row is then checked by the register's own form,
    the same rules as adding one interpreter by hand."""
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    columns = [CSV_HEADERS.get(name.strip().casefold(), name.strip().casefold()) for name in header]
    missing = [c for c in ("name", "languages", "certification", "modes") if c not in columns]
    if missing:
        return [], [(1, f"missing column(s): {', '.join(missing)}")]
    rows: list[tuple[int, dict]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # Excel writes empty lines (";;;;") after the data
        if len(rows) >= MAX_IMPORT_ROWS:
            return [], [
                (reader.line_num, f"the file has more than {MAX_IMPORT_ROWS:,} rows: split it")
            ]
        row = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
        rows.append((reader.line_num, {k: _as_codes(k, row.get(k) or "") for k in CSV_COLUMNS}))
    if not rows:
        return [], [(1, "the file has no rows")]
    return rows, []


def import_interpreters(rows: list[dict]) -> int:
    """Insert all rows in one transaction."""
    db = get_db()
    with immediate(db):
        for row in rows:
            db["interpreters"].insert(row)
    return len(rows)
