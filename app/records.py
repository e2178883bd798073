"""Queries on citizens' records: caseworkers, meetings, decisions, checklists, helpers.

Every function that reads personal data takes the citizen's id and filters by it; the caller has
already checked that the viewer may see that citizen (see `access.py`). Functions return dicts.
"""

from __future__ import annotations

import datetime
import json

from . import clock, decision_kinds
from .accounts import void_codes
from .clock import TZ, next_working_day, now_local, today  # noqa: F401 (records.today() and friends)
from .db import get_db, immediate, query_one
from .handover_reasons import reason_text
from .meeting_catalogue import PURPOSES, WHO, step

APPEAL_WEEKS = 4


def four_weeks_after(received_on: datetime.date) -> datetime.date:
    """4 weeks after receipt, on the same weekday (retssikkerhedsloven § 67)."""
    return received_on + datetime.timedelta(weeks=APPEAL_WEEKS)


def appeal_deadline(received_on: datetime.date) -> datetime.date:
    """The last day to complain: 4 weeks after receipt, moved to the next working day when that
    day is a Saturday, Sunday or public holiday (Justitsministeriets vejledning nr. 9533 af
    26/6/2018 om beregning af klagefrister, which Ankestyrelsen follows)."""
    return next_working_day(four_weeks_after(received_on))


def days_left(deadline: datetime.date, on: datetime.date | None = None) -> int:
    """Whole days from today (Danish time) to the deadline; negative once it has passed."""
    return (deadline - (on or today())).days


# --- people -------------------------------------------------------------------------------


def first_name(name: str | None) -> str:
    """A person by first name only, as citizens see their interpreter."""
    return (name or "").split(" ")[0]


def get_citizen(citizen_id: int) -> dict | None:
    """A citizen's own row and profile."""
    return query_one(
        "SELECT u.id, u.login, u.name, u.lang, u.last_seen_at, c.interpreter_language, "
        "c.interpreter_dialect, c.phone, u.password_hash IS NOT NULL AS activated "
        "FROM users u JOIN citizens c ON c.user_id = u.id "
        "WHERE u.id = ? AND u.role = 'citizen'",
        [citizen_id],
    )


def get_staff(user_id: int) -> dict | None:
    """A staff member with their contact profile."""
    row = query_one(
        "SELECT u.id, u.name, u.login, u.role, u.active, p.phone, p.email, p.office_hours, "
        "p.languages, "
        "p.substitute_id, p.absent_from, p.absent_to FROM users u "
        "LEFT JOIN staff_profiles p ON p.user_id = u.id WHERE u.id = ?",
        [user_id],
    )
    if row:
        row["languages"] = (row["languages"] or "").split()
    return row


def is_absent(staff: dict, on: datetime.date) -> bool:
    if not staff.get("absent_from") or not staff.get("absent_to"):
        return False
    return staff["absent_from"] <= on.isoformat() <= staff["absent_to"]


def current_assignment(citizen_id: int) -> dict | None:
    return query_one(
        "SELECT * FROM assignments WHERE citizen_id = ? AND valid_to IS NULL", [citizen_id]
    )


def assignment_history(citizen_id: int) -> list[dict]:
    """Every caseworker the citizen has had, newest first, with dates and reasons."""
    return [
        {**row, "reason_text": reason_text(row["reason_id"])}
        for row in get_db().query(
            "SELECT a.*, u.name AS caseworker_name FROM assignments a "
            "JOIN users u ON u.id = a.caseworker_id WHERE a.citizen_id = ? "
            "ORDER BY a.valid_from DESC, a.id DESC",
            [citizen_id],
        )
    ]


def caseworker_card(citizen_id: int, on: datetime.date | None = None) -> dict | None:
    """My caseworker, the substitute while they are away, and the last change (if any)."""
    on = on or today()
    assignment = current_assignment(citizen_id)
    if not assignment:
        return None
    caseworker = get_staff(assignment["caseworker_id"])
    card = {"caseworker": caseworker, "substitute": None, "absent": False, "change": None}
    if caseworker and is_absent(caseworker, on) and caseworker["substitute_id"]:
        card["absent"] = True
        card["absent_to"] = datetime.date.fromisoformat(caseworker["absent_to"])
        card["substitute"] = get_staff(caseworker["substitute_id"])
    history = assignment_history(citizen_id)
    if len(history) > 1:
        previous = history[1]
        card["change"] = {
            "on": datetime.date.fromisoformat(assignment["valid_from"][:10]),
            "assignment_id": assignment["id"],
            "reason_text": reason_text(assignment["reason_id"]),
            "reason": assignment["reason"],  # the caseworker's own Danish words, if any
            "previous": previous["caseworker_name"],
        }
    return card


# --- meetings -----------------------------------------------------------------------------


def with_times(row: dict | None) -> dict | None:
    """A meeting row with its start and end as aware Danish-time datetimes."""
    if row is None:
        return None
    # Stored as Danish local time; aware datetimes so the formatters never shift them.
    row["starts"] = datetime.datetime.fromisoformat(row["starts_at"]).replace(tzinfo=TZ)
    row["ends"] = datetime.datetime.fromisoformat(row["ends_at"]).replace(tzinfo=TZ)
    return row


def with_purposes(rows: list[dict]) -> list[dict]:
    """Meetings with `purpose_ids`: the ids of their purposes in app/meeting_catalogue.py."""
    if not rows:
        return rows
    by_meeting: dict[int, list[str]] = {row["id"]: [] for row in rows}
    marks = ", ".join("?" for _ in by_meeting)
    for found in get_db().query(
        f"SELECT meeting_id, purpose_id FROM meeting_purposes WHERE meeting_id IN ({marks})",
        list(by_meeting),
    ):
        by_meeting[found["meeting_id"]].append(found["purpose_id"])
    for row in rows:
        row["purpose_ids"] = by_meeting[row["id"]]
    return rows


def list_meetings_for(citizen_id: int) -> dict[str, list[dict]]:
    """The citizen's meetings: upcoming (soonest first) and past (latest first)."""
    rows = with_purposes(
        [
            with_times(r)
            for r in get_db().query(
                "SELECT * FROM meetings WHERE citizen_id = ? ORDER BY starts_at", [citizen_id]
            )
        ]
    )
    now = now_local()
    upcoming = [m for m in rows if m["ends"] >= now]
    past = [m for m in rows if m["ends"] < now][::-1]
    return {"upcoming": upcoming, "past": past}


def get_meeting(citizen_id: int, meeting_id: int) -> dict | None:
    """One meeting of this citizen, with its purpose ids; None when it is someone else's."""
    found = with_times(
        query_one(
            "SELECT * FROM meetings WHERE id = ? AND citizen_id = ?", [meeting_id, citizen_id]
        )
    )
    return with_purposes([found])[0] if found else None


def meeting_kind(meeting_id: int) -> str | None:
    """The kind of a meeting (its guide's slug), for a request the caller may already see."""
    row = query_one("SELECT kind FROM meetings WHERE id = ?", [meeting_id])
    return row["kind"] if row else None


def agreements_of(meeting_id: int) -> list[dict]:
    """What was agreed after a meeting (the caller may see the meeting), in order; `due` is a
    date or None."""
    rows = list(
        get_db().query(
            "SELECT step_id, who, due_on FROM meeting_agreements WHERE meeting_id = ? "
            "ORDER BY position",
            [meeting_id],
        )
    )
    for row in rows:
        row["due"] = datetime.date.fromisoformat(row["due_on"]) if row["due_on"] else None
    return rows


def latest_agreed(citizen_id: int, before: datetime.datetime | None = None) -> dict | None:
    """The citizen's latest meeting, started before `before` (default: now), that has
    agreements or an agreement note, with its `agreements`; None when there is none."""
    found = with_times(
        query_one(
            "SELECT * FROM meetings m WHERE citizen_id = ? AND status != 'cancelled' "
            "AND starts_at < ? AND (agreement_note != '' OR EXISTS "
            "(SELECT 1 FROM meeting_agreements a WHERE a.meeting_id = m.id)) "
            "ORDER BY starts_at DESC LIMIT 1",
            [citizen_id, (before or now_local()).replace(tzinfo=None).isoformat()],
        )
    )
    if found:
        found["agreements"] = agreements_of(found["id"])
    return found


def next_meeting(citizen_id: int) -> dict | None:
    upcoming = [m for m in list_meetings_for(citizen_id)["upcoming"] if m["status"] == "scheduled"]
    return upcoming[0] if upcoming else None


def checklist_ticks(meeting_id: int) -> set[str]:
    return {
        r["item"]
        for r in get_db().query(
            "SELECT item FROM checklist_ticks WHERE meeting_id = ?", [meeting_id]
        )
    }


def set_checklist_tick(meeting_id: int, item: str, ticked: bool) -> None:
    """Tick or untick one item; doing the same twice changes nothing."""
    db = get_db()
    with immediate(db):
        if ticked:
            db.execute(
                "INSERT INTO checklist_ticks (meeting_id, item) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [meeting_id, item],
            )
        else:
            db.execute(
                "DELETE FROM checklist_ticks WHERE meeting_id = ? AND item = ?", [meeting_id, item]
            )


# --- decisions ----------------------------------------------------------------------------


def _decision(row: dict | None, on: datetime.date | None = None) -> dict | None:
    if row is None:
        return None
    for key in ("decided_on", "received_on", "appeal_deadline"):
        row[key] = datetime.date.fromisoformat(row[key])
    # Whole sentences in the reader's language; the letter's Danish title stays in row["title"].
    row["heading"] = decision_kinds.heading(row.get("outcome"))
    row["area_label"] = decision_kinds.area_label(row.get("area"))
    row["meaning"] = decision_kinds.meaning(row.get("outcome"))
    row["four_weeks"] = four_weeks_after(row["received_on"])
    row["deadline_moved"] = row["appeal_deadline"] != row["four_weeks"]
    row["days_left"] = days_left(row["appeal_deadline"], on)
    row["deadline_open"] = row["status"] == "open" and row["days_left"] >= 0
    return row


def list_decisions_for(citizen_id: int) -> list[dict]:
    """The citizen's decisions, open deadlines first (soonest first), then the rest."""
    rows = [
        _decision(r)
        for r in get_db().query(
            "SELECT d.*, (SELECT count(*) FROM explanation_requests e WHERE e.decision_id = d.id)"
            " AS explanation_asked FROM decisions d WHERE d.citizen_id = ? "
            "ORDER BY d.appeal_deadline",
            [citizen_id],
        )
    ]
    return [d for d in rows if d["deadline_open"]] + [d for d in rows if not d["deadline_open"]]


def get_decision(citizen_id: int, decision_id: int) -> dict | None:
    """One decision of this citizen; None when it is someone else's."""
    return _decision(
        query_one(
            "SELECT d.*, (SELECT count(*) FROM explanation_requests e WHERE e.decision_id = d.id)"
            " AS explanation_asked FROM decisions d WHERE d.id = ? AND d.citizen_id = ?",
            [decision_id, citizen_id],
        )
    )


def ask_for_explanation(decision_id: int, requested_by: int) -> bool:
    """Record a request for a meeting about the decision; True if new, False if already asked."""
    db = get_db()
    with immediate(db):
        open_request = db.execute(
            "SELECT 1 FROM explanation_requests WHERE decision_id = ? AND read_at IS NULL",
            [decision_id],
        ).fetchone()
        if open_request:
            return False
        db.execute(
            "INSERT INTO explanation_requests (decision_id, requested_by) VALUES (?, ?)",
            [decision_id, requested_by],
        )
    return True


# --- what changed -------------------------------------------------------------------------


def changes_since(citizen_id: int, since: str | None) -> list[dict]:
    """Meetings, decisions and caseworker changes updated after the last visit."""
    if not since:
        return []
    db = get_db()
    changes = [
        {"what": "meeting", "id": r["id"], "kind": r["kind"], "status": r["status"]}
        for r in db.query(
            "SELECT id, kind, status FROM meetings WHERE citizen_id = ? AND updated_at > ?",
            [citizen_id, since],
        )
    ]
    changes += [
        {
            "what": "decision",
            "id": r["id"],
            "title": r["title"],
            "heading": decision_kinds.heading(r["outcome"]),
        }
        for r in db.query(
            "SELECT id, title, outcome FROM decisions WHERE citizen_id = ? AND updated_at > ?",
            [citizen_id, since],
        )
    ]
    changes += [
        {
            "what": "interpreter",
            **r,
            "starts": datetime.datetime.fromisoformat(r["starts_at"]),
        }
        for r in db.query(
            "SELECT r.id, r.reference, r.status, r.visit, r.starts_at, m.kind AS meeting_kind "
            "FROM interpreter_requests r LEFT JOIN meetings m ON m.id = r.meeting_id "
            "WHERE r.citizen_id = ? AND r.updated_at > ? AND r.status != 'requested'",
            [citizen_id, since],
        )
    ]
    if db.execute(
        "SELECT 1 FROM assignments WHERE citizen_id = ? AND valid_from > ? AND "
        "(SELECT count(*) FROM assignments WHERE citizen_id = ?) > 1",
        [citizen_id, since[:10], citizen_id],
    ).fetchone():
        changes.append({"what": "caseworker"})
    return changes


def touch_last_seen(user_id: int) -> str | None:
    """Record this visit; return the previous one."""
    db = get_db()
    with immediate(db):
        previous = db.execute("SELECT last_seen_at FROM users WHERE id = ?", [user_id]).fetchone()
        db.execute("UPDATE users SET last_seen_at = ? WHERE id = ?", [clock.stamp(), user_id])
    return previous[0] if previous else None


# --- helpers ------------------------------------------------------------------------------


def helper_link(helper_id: int, citizen_id: int, on: datetime.date | None = None) -> dict | None:
    """The helper's active link to the citizen (not revoked, not expired), or None."""
    on = on or today()
    return query_one(
        "SELECT * FROM helpers WHERE helper_id = ? AND citizen_id = ? AND revoked_at IS NULL "
        "AND expires_on >= ? ORDER BY id DESC LIMIT 1",
        [helper_id, citizen_id, on.isoformat()],
    )


def _with_dates(rows) -> list[dict]:
    rows = list(rows)
    for row in rows:
        row["expires_on_date"] = datetime.date.fromisoformat(row["expires_on"])
    return rows


def people_helped_by(helper_id: int) -> list[dict]:
    """The citizens this helper may help today."""
    return _with_dates(
        get_db().query(
            "SELECT h.*, u.name AS citizen_name, u.lang AS citizen_lang FROM helpers h "
            "JOIN users u ON u.id = h.citizen_id WHERE h.helper_id = ? AND h.revoked_at IS NULL "
            "AND h.expires_on >= ? ORDER BY u.name",
            [helper_id, today().isoformat()],
        )
    )


def helpers_of(citizen_id: int) -> list[dict]:
    """The citizen's helpers, active first."""
    return _with_dates(
        get_db().query(
            "SELECT h.*, u.name AS helper_name, u.login AS helper_login FROM helpers h "
            "JOIN users u ON u.id = h.helper_id WHERE h.citizen_id = ? "
            "ORDER BY h.revoked_at IS NOT NULL, h.expires_on DESC",
            [citizen_id],
        )
    )


def revoke_helper(citizen_id: int, link_id: int) -> bool:
    """Stop a helper now: every link of that helper to this citizen ends, and the citizen's
    unused invitations are voided. False when the link is not this citizen's."""
    db = get_db()
    with immediate(db):
        link = query_one(
            "SELECT helper_id FROM helpers WHERE id = ? AND citizen_id = ? AND revoked_at IS NULL",
            [link_id, citizen_id],
        )
        if link is None:
            return False
        db.execute(
            "UPDATE helpers SET revoked_at = ? "
            "WHERE citizen_id = ? AND helper_id = ? AND revoked_at IS NULL",
            [clock.stamp(), citizen_id, link["helper_id"]],
        )
        void_codes(citizen_id, "helper")
    return True


# --- my data ------------------------------------------------------------------------------


# Every table that holds something about a citizen: the key it has in the data download, and
# the citizen's rows in it (:c the citizen's id, :login their login id). The erasure preview
# counts with it, and a test fails when a table is in neither this list nor NOT_CITIZEN_DATA,
# or when the download or the erasure misses one of them.
CITIZEN_DATA = {
    "users": ("person", "FROM users WHERE id = :c"),
    "citizens": ("profile", "FROM citizens WHERE user_id = :c"),
    "assignments": ("caseworkers", "FROM assignments WHERE citizen_id = :c"),
    "meetings": ("meetings", "FROM meetings WHERE citizen_id = :c"),
    "meeting_purposes": (
        "meeting_purposes",
        "FROM meeting_purposes WHERE meeting_id IN (SELECT id FROM meetings WHERE citizen_id = :c)",
    ),
    "meeting_agreements": (
        "meeting_agreements",
        "FROM meeting_agreements WHERE meeting_id IN "
        "(SELECT id FROM meetings WHERE citizen_id = :c)",
    ),
    "checklist_ticks": (
        "checklists",
        "FROM checklist_ticks WHERE meeting_id IN (SELECT id FROM meetings WHERE citizen_id = :c)",
    ),
    "meeting_feedback": (
        "answers_after_meetings",
        "FROM meeting_feedback WHERE meeting_id IN (SELECT id FROM meetings WHERE citizen_id = :c)",
    ),
    "checkins": ("check_ins", "FROM checkins WHERE citizen_id = :c"),
    "caseworker_views": ("caseworker_views", "FROM caseworker_views WHERE citizen_id = :c"),
    "decisions": ("decisions", "FROM decisions WHERE citizen_id = :c"),
    "explanation_requests": (
        "explanation_requests",
        "FROM explanation_requests WHERE decision_id IN "
        "(SELECT id FROM decisions WHERE citizen_id = :c)",
    ),
    "interpreter_requests": (
        "interpreter_requests",
        "FROM interpreter_requests WHERE citizen_id = :c",
    ),
    "interpreter_request_events": (
        "interpreter_request_timelines",
        "FROM interpreter_request_events WHERE request_id IN "
        "(SELECT id FROM interpreter_requests WHERE citizen_id = :c)",
    ),
    "translation_requests": (
        "translation_requests",
        "FROM translation_requests WHERE citizen_id = :c",
    ),
    "helpers": ("helpers", "FROM helpers WHERE citizen_id = :c"),
    "activation_codes": ("codes", "FROM activation_codes WHERE user_id = :c"),
    "pending_letters": ("letter_waiting_to_print", "FROM pending_letters WHERE citizen_id = :c"),
    "passkeys": ("passkeys", "FROM passkeys WHERE user_id = :c"),
    "known_devices": ("devices_signed_in_from", "FROM known_devices WHERE user_id = :c"),
    "login_failures": ("failed_sign_ins", "FROM login_failures WHERE login = :login"),
}
# Tables with nothing about a citizen, or kept on purpose, and why.
NOT_CITIZEN_DATA = {
    "audit_log": "kept after erasure under a random audit number only; downloaded as access_log",
    "content_meta": "the content's version",
    "search_index": "the guides' search index (and its FTS5 shadow tables)",
    "language_requests": "anonymous 'my language is missing' form, linked to nobody",
    "accessibility_reports": "anonymous 'something does not work' form, linked to nobody",
    "guide_feedback": "anonymous 'was this page helpful?' votes",
    "interpreters": "the interpreter register (interpreters, not citizens)",
    "staff_profiles": "staff contact details",
    "evaluation_changes": "what the municipality changed after the evaluation, written by staff "
    "for the public report",
    "report_figures": "anonymous counts of a published quarter of the evaluation, kept as published",
}


def citizen_rows(citizen_id: int) -> dict[str, int]:
    """How many rows of each CITIZEN_DATA table belong to the citizen."""
    db = get_db()
    login = query_one("SELECT login FROM users WHERE id = ?", [citizen_id])
    params = {"c": citizen_id, "login": login["login"] if login else None}
    return {
        table: db.execute(f"SELECT count(*) {rows}", params).fetchone()[0]
        for table, (_key, rows) in CITIZEN_DATA.items()
    }


def export_for(citizen_id: int) -> dict:
    """Everything Bro holds about the citizen, for download."""
    db = get_db()

    def rows(sql: str, *params) -> list[dict]:
        return list(db.query(sql, list(params)))

    person = rows(
        "SELECT id, login, name, lang, created_at, last_seen_at FROM users WHERE id = ?", citizen_id
    )
    return {
        "exported_at": clock.stamp(),
        "person": person[0] if person else None,
        "profile": rows(
            "SELECT interpreter_language, interpreter_dialect, phone FROM citizens WHERE user_id = ?",
            citizen_id,
        ),
        "caseworkers": rows(
            "SELECT a.valid_from, a.valid_to, a.reason_id, a.reason, u.name AS caseworker "
            "FROM assignments a "
            "JOIN users u ON u.id = a.caseworker_id WHERE a.citizen_id = ? ORDER BY a.valid_from",
            citizen_id,
        ),
        "meetings": rows(
            "SELECT * FROM meetings WHERE citizen_id = ? ORDER BY starts_at", citizen_id
        ),
        "meeting_purposes": [
            {**row, "purpose": str(PURPOSES[row["purpose_id"]].text)}
            if row["purpose_id"] in PURPOSES
            else row
            for row in rows(
                "SELECT p.meeting_id, p.purpose_id FROM meeting_purposes p "
                "JOIN meetings m ON m.id = p.meeting_id WHERE m.citizen_id = ? "
                "ORDER BY p.meeting_id",
                citizen_id,
            )
        ],
        "meeting_agreements": [
            {
                **row,
                "step": str(found.text) if (found := step(row["kind"], row["step_id"])) else "",
                "who_words": str(WHO.get(row["who"], "")),
            }
            for row in rows(
                "SELECT a.meeting_id, m.kind, a.position, a.step_id, a.who, a.due_on "
                "FROM meeting_agreements a JOIN meetings m ON m.id = a.meeting_id "
                "WHERE m.citizen_id = ? ORDER BY a.meeting_id, a.position",
                citizen_id,
            )
        ],
        "checklists": rows(
            "SELECT t.* FROM checklist_ticks t JOIN meetings m ON m.id = t.meeting_id "
            "WHERE m.citizen_id = ?",
            citizen_id,
        ),
        "decisions": rows(
            "SELECT * FROM decisions WHERE citizen_id = ? ORDER BY received_on", citizen_id
        ),
        "explanation_requests": rows(
            "SELECT e.* FROM explanation_requests e JOIN decisions d ON d.id = e.decision_id "
            "WHERE d.citizen_id = ?",
            citizen_id,
        ),
        "interpreter_requests": [
            {**row, "interpreter": first_name(row["interpreter"]) or None}
            for row in rows(
                "SELECT r.reference, r.meeting_id, r.visit, r.starts_at, r.ends_at, r.place, "
                "r.language, r.dialect, r.mode, r.gender, r.note, r.status, r.cancel_reason, "
                "i.name AS interpreter, r.video_url, r.created_at, r.updated_at "
                "FROM interpreter_requests r LEFT JOIN interpreters i ON i.id = r.interpreter_id "
                "AND r.status IN ('booked', 'done') WHERE r.citizen_id = ? ORDER BY r.starts_at",
                citizen_id,
            )
        ],  # the interpreter by first name, as the citizen's pages show them
        "translation_requests": rows(
            "SELECT source, object_id, lang, danish, requested_at, translation, translated_at "
            "FROM translation_requests WHERE citizen_id = ? ORDER BY requested_at",
            citizen_id,
        ),
        "helpers": rows(
            "SELECT h.can_see, h.can_request_interpreter, h.expires_on, h.revoked_at, h.created_at, "
            "u.name AS helper FROM helpers h JOIN users u ON u.id = h.helper_id WHERE h.citizen_id = ?",
            citizen_id,
        ),
        "passkeys": rows(
            "SELECT created_at, last_used_at, transports FROM passkeys WHERE user_id = ?",
            citizen_id,
        ),
        "answers_after_meetings": rows(
            "SELECT f.meeting_id, f.understood, f.interpreting, f.next_known, f.free_text, "
            "f.free_text_lang, f.created_at, f.updated_at FROM meeting_feedback f "
            "JOIN meetings m ON m.id = f.meeting_id WHERE m.citizen_id = ?",
            citizen_id,
        ),
        "check_ins": rows(
            "SELECT period, life_better, help_mattered, working_together, need, free_text, "
            "free_text_lang, created_at, updated_at FROM checkins WHERE citizen_id = ? "
            "ORDER BY period",
            citizen_id,
        ),
        # The caseworker's views, shared with the citizen or not: everything Bro holds about them.
        "caseworker_views": rows(
            "SELECT period, aim, effect, next_step, note, shared, created_at, updated_at "
            "FROM caseworker_views WHERE citizen_id = ? ORDER BY period",
            citizen_id,
        ),
        "interpreter_request_timelines": rows(
            "SELECT r.reference, e.at, e.status, e.detail FROM interpreter_request_events e "
            "JOIN interpreter_requests r ON r.id = e.request_id WHERE r.citizen_id = ? "
            "ORDER BY e.at",
            citizen_id,
        ),
        "codes": rows(
            "SELECT purpose, created_at, expires_at, used_at FROM activation_codes "
            "WHERE user_id = ?",
            citizen_id,
        ),
        "letter_waiting_to_print": rows(
            "SELECT created_at FROM pending_letters WHERE citizen_id = ?", citizen_id
        ),
        "devices_signed_in_from": rows(
            "SELECT created_at, last_used_at FROM known_devices WHERE user_id = ?", citizen_id
        ),
        "failed_sign_ins": rows(
            "SELECT f.failures, f.locked_until, f.last_failure_at FROM login_failures f "
            "JOIN users u ON u.login = f.login WHERE u.id = ?",
            citizen_id,
        ),
        "access_log": rows(
            "SELECT a.at, a.action, u.name AS by_whom, u.role FROM audit_log a "
            "LEFT JOIN users u ON u.audit_id = a.actor_id "
            "WHERE a.subject_id = (SELECT audit_id FROM users WHERE id = ?) ORDER BY a.at",
            citizen_id,
        ),
    }


def export_json(citizen_id: int) -> str:
    return json.dumps(export_for(citizen_id), ensure_ascii=False, indent=2, default=str)
