"""Queries and writes for the staff side: caseloads, citizens, meetings, decisions, hand-over,
absence, staff accounts, the audit log and erasure.

Access to a citizen is decided in one place, `staff_can_open`; every caller checks it first.
"""

from __future__ import annotations

import datetime

from . import clock, interpreting, records
from .accounts import issue_letter, readable_login
from .db import audit, get_db, immediate, query_one


def staff_can_open(staff: dict, citizen_id: int, on: datetime.date | None = None) -> bool:
    """The coordinator, the citizen's caseworker, or the caseworker's substitute while away."""
    if staff["role"] == "coordinator":
        return records.get_citizen(citizen_id) is not None
    assignment = records.current_assignment(citizen_id)
    if not assignment:
        return False
    if assignment["caseworker_id"] == staff["id"]:
        return True
    caseworker = records.get_staff(assignment["caseworker_id"])
    return bool(
        caseworker
        and caseworker["substitute_id"] == staff["id"]
        and records.is_absent(caseworker, on or records.today())
    )


def may_hand_over(staff: dict, citizen_id: int) -> bool:
    """Only the citizen's own caseworker or the coordinator moves a citizen to someone else.

    A stand-in acts for an absent colleague's citizens, but does not take them or give them
    away: that decision waits for the caseworker, or goes to the coordinator.
    """
    if staff["role"] == "coordinator":
        return True
    assignment = records.current_assignment(citizen_id)
    return bool(assignment and assignment["caseworker_id"] == staff["id"])


def covered_caseworkers(staff_id: int, on: datetime.date | None = None) -> list[int]:
    """Me, plus every caseworker I stand in for today."""
    on = (on or records.today()).isoformat()
    rows = get_db().query(
        "SELECT user_id FROM staff_profiles WHERE substitute_id = ? AND absent_from <= ? "
        "AND absent_to >= ?",
        [staff_id, on, on],
    )
    return [staff_id, *[row["user_id"] for row in rows]]


def list_caseload(
    staff: dict, query: str = "", lang: str = "", on: datetime.date | None = None
) -> list[dict]:
    """My citizens (all of them for the coordinator) with next meeting, deadlines and requests."""
    on = on or records.today()
    params: list = [records.now_local().replace(tzinfo=None).isoformat(), on.isoformat()]
    where = ["a.valid_to IS NULL"]
    if staff["role"] != "coordinator":
        ids = covered_caseworkers(staff["id"], on)
        where.append(f"a.caseworker_id IN ({', '.join('?' * len(ids))})")
        params.extend(ids)
    if query.strip():
        where.append("(u.name LIKE ? ESCAPE '\\' OR u.login LIKE ? ESCAPE '\\')")
        pattern = (
            "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        params.extend([pattern, pattern])
    if lang:
        where.append("u.lang = ?")
        params.append(lang)
    sql = f"""
        SELECT u.id, u.name, u.login, u.lang, a.caseworker_id, cw.name AS caseworker_name,
          (SELECT min(m.starts_at) FROM meetings m WHERE m.citizen_id = u.id
             AND m.status = 'scheduled' AND m.ends_at >= ?1) AS next_meeting,
          (SELECT count(*) FROM decisions d WHERE d.citizen_id = u.id AND d.status = 'open'
             AND d.appeal_deadline >= ?2) AS open_deadlines,
          (SELECT count(*) FROM explanation_requests e JOIN decisions d ON d.id = e.decision_id
             WHERE d.citizen_id = u.id AND e.read_at IS NULL) AS unread_explanations,
          (SELECT count(*) FROM interpreter_requests r WHERE r.citizen_id = u.id
             AND r.status = 'requested') AS open_interpreter_requests
        FROM users u
        JOIN assignments a ON a.citizen_id = u.id
        JOIN users cw ON cw.id = a.caseworker_id
        WHERE {" AND ".join(where)}
        ORDER BY next_meeting IS NULL, next_meeting, u.name
        LIMIT 500
    """
    # ?1 and ?2 are numbered; the rest are positional after them.
    rows = list(get_db().query(sql, params))
    for row in rows:
        row["next_meeting_at"] = (
            datetime.datetime.fromisoformat(row["next_meeting"]).replace(tzinfo=records.TZ)
            if row["next_meeting"]
            else None
        )
    return rows


def caseworkers(active_only: bool = True) -> list[dict]:
    sql = "SELECT id, name, login, role, active FROM users WHERE role IN ('caseworker', 'coordinator')"
    if active_only:
        sql += " AND active = 1"
    return list(get_db().query(sql + " ORDER BY role DESC, name"))


def create_citizen(
    name: str,
    lang: str,
    interpreter_language: str | None,
    interpreter_dialect: str | None,
    phone: str | None,
    caseworker_id: int,
    actor_id: int,
) -> int:
    """A new citizen with a caseworker and their first activation letter, audited as the staff
    member's act, in one transaction."""
    db = get_db()
    with immediate(db):
        user_id = (
            db["users"]
            .insert(
                {
                    # A first name and four digits: read aloud and remembered, chosen by Bro.
                    "login": readable_login(name, "bro"),
                    "name": name.strip(),
                    "role": "citizen",
                    "lang": lang,
                }
            )
            .last_pk
        )
        db["citizens"].insert(
            {
                "user_id": user_id,
                "interpreter_language": interpreter_language or None,
                "interpreter_dialect": (interpreter_dialect or "").strip() or None,
                "phone": (phone or "").strip() or None,
            }
        )
        db["assignments"].insert(
            {
                "citizen_id": user_id,
                "caseworker_id": caseworker_id,
                "valid_from": records.today().isoformat(),
                "reason": "",
            }
        )
        issue_letter(user_id, actor_id)
        audit(actor_id, "created-citizen", user_id)
    return user_id


def hand_over(
    citizen_id: int, to_caseworker: int, reason_id: str, note: str, actor_id: int
) -> bool:
    """Move the citizen to another caseworker, audited; the history stays. False if already
    theirs. `reason_id` is from handover_reasons.REASONS; `note` the caseworker's own Danish
    words (optional)."""
    db = get_db()
    today = records.today().isoformat()
    with immediate(db):
        current = db.execute(
            "SELECT id, caseworker_id FROM assignments WHERE citizen_id = ? AND valid_to IS NULL",
            [citizen_id],
        ).fetchone()
        if current and current["caseworker_id"] == to_caseworker:
            return False
        if current:
            db.execute("UPDATE assignments SET valid_to = ? WHERE id = ?", [today, current["id"]])
        db.execute(
            "INSERT INTO assignments (citizen_id, caseworker_id, valid_from, reason_id, reason) "
            "VALUES (?, ?, ?, ?, ?)",
            [citizen_id, to_caseworker, today, reason_id, note.strip()],
        )
        audit(actor_id, "handed-over", citizen_id)
    return True


def move_caseload(
    from_caseworker: int, to_caseworker: int, reason_id: str, note: str, actor_id: int
) -> int:
    """Hand every citizen of one caseworker to another, all or none, each audited (and the move
    as a whole); returns how many moved."""
    db = get_db()
    with immediate(db):
        citizens = [
            row["citizen_id"]
            for row in db.query(
                "SELECT citizen_id FROM assignments WHERE caseworker_id = ? AND valid_to IS NULL",
                [from_caseworker],
            )
        ]
        moved = sum(
            1
            for citizen_id in citizens
            if hand_over(citizen_id, to_caseworker, reason_id, note, actor_id)
        )
        audit(actor_id, "moved-caseload", None, f"{moved}")
    return moved


def set_absence(
    staff_id: int, substitute_id: int | None, start: datetime.date | None, end: datetime.date | None
) -> None:
    get_db().execute(
        "UPDATE staff_profiles SET substitute_id = ?, absent_from = ?, absent_to = ? WHERE user_id = ?",
        [
            substitute_id,
            start.isoformat() if start else None,
            end.isoformat() if end else None,
            staff_id,
        ],
    )


def save_meeting(
    citizen_id: int, caseworker_id: int, values: dict, meeting_id: int | None = None
) -> int:
    """Create or change a meeting, its purposes, interpreter request and audit row, in one
    transaction; the citizen sees it at once. The caseworker saving it is the actor."""
    db = get_db()
    row = {
        "kind": values["kind"],
        "starts_at": values["starts_at"].isoformat(),
        "ends_at": values["ends_at"].isoformat(),
        "place": values.get("place") or None,
        "address": values.get("address") or None,
        "video_url": values.get("video_url") or None,
        "purpose": values.get("purpose") or "",
        "interpreter_needed": 1 if values.get("interpreter_needed") else 0,
        "interpreter_language": values.get("interpreter_language") or None,
        "updated_at": clock.stamp(),
    }
    with immediate(db):
        if meeting_id is None:
            meeting_id = (
                db["meetings"]
                .insert({"citizen_id": citizen_id, "caseworker_id": caseworker_id, **row})
                .last_pk
            )
            audit(caseworker_id, "scheduled-meeting", citizen_id)
        else:
            db["meetings"].update(meeting_id, row)
            audit(caseworker_id, "changed-meeting", citizen_id)
        # The chosen purposes replace the meeting's earlier ones.
        db.execute("DELETE FROM meeting_purposes WHERE meeting_id = ?", [meeting_id])
        for purpose_id in values.get("purpose_ids") or []:
            db.execute(
                "INSERT INTO meeting_purposes (meeting_id, purpose_id) VALUES (?, ?)",
                [meeting_id, purpose_id],
            )
        interpreting.sync_meeting(db, meeting_id)  # "interpreter needed" makes the request itself
    return meeting_id


def save_agreements(
    meeting_id: int, citizen_id: int, actor_id: int, items: list[dict], note: str
) -> None:
    """Record what was agreed after a meeting (replacing what was recorded before), its Danish
    note and the audit row, in one transaction; the citizen sees it at once."""
    db = get_db()
    with immediate(db):
        db.execute("DELETE FROM meeting_agreements WHERE meeting_id = ?", [meeting_id])
        for position, item in enumerate(items, start=1):
            db.execute(
                "INSERT INTO meeting_agreements (meeting_id, position, step_id, who, due_on) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    meeting_id,
                    position,
                    item["step_id"],
                    item["who"],
                    item["due"].isoformat() if item.get("due") else None,
                ],
            )
        db.execute(
            "UPDATE meetings SET agreement_note = ?, updated_at = ? WHERE id = ?",
            [note, clock.stamp(), meeting_id],
        )
        audit(actor_id, "recorded-agreements", citizen_id)


def cancel_meeting(meeting_id: int, citizen_id: int, actor_id: int) -> None:
    """Cancel a meeting (it stays, marked cancelled), its interpreter request and audit row."""
    db = get_db()
    with immediate(db):
        db.execute(
            "UPDATE meetings SET status = 'cancelled', updated_at = ? WHERE id = ?",
            [clock.stamp(), meeting_id],
        )
        interpreting.sync_meeting(db, meeting_id)
        audit(actor_id, "cancelled-meeting", citizen_id)


def get_meeting_for_staff(meeting_id: int) -> dict | None:
    """Any meeting by id (the caller has checked the caseworker may see it)."""
    found = records.with_times(query_one("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
    return records.with_purposes([found])[0] if found else None


def get_decision_for_staff(decision_id: int) -> dict | None:
    row = next(
        iter(get_db().query("SELECT citizen_id FROM decisions WHERE id = ?", [decision_id])), None
    )
    return records.get_decision(row["citizen_id"], decision_id) if row else None


def save_decision(citizen_id: int, caseworker_id: int, values: dict) -> int:
    """Record a decision and its audit row; the appeal deadline is computed, never typed."""
    received = values["received_on"]
    db = get_db()
    with immediate(db):
        decision_id = (
            db["decisions"]
            .insert(
                {
                    "citizen_id": citizen_id,
                    "caseworker_id": caseworker_id,
                    "title": values["title"].strip(),
                    "area": values["area"],
                    "outcome": values["outcome"],
                    "committee": 1 if values.get("committee") else 0,
                    "decided_on": values["decided_on"].isoformat(),
                    "received_on": received.isoformat(),
                    "appeal_deadline": records.appeal_deadline(received).isoformat(),
                    "updated_at": clock.stamp(),
                }
            )
            .last_pk
        )
        audit(caseworker_id, "recorded-decision", citizen_id)
    return decision_id


def set_decision_status(decision_id: int, status: str) -> None:
    get_db().execute(
        "UPDATE decisions SET status = ?, updated_at = ? WHERE id = ?",
        [status, clock.stamp(), decision_id],
    )


def explanation_requests_for(citizen_id: int) -> list[dict]:
    return list(
        get_db().query(
            "SELECT e.*, d.title FROM explanation_requests e JOIN decisions d ON d.id = e.decision_id "
            "WHERE d.citizen_id = ? ORDER BY e.created_at DESC",
            [citizen_id],
        )
    )


def mark_explanation_read(citizen_id: int, request_id: int) -> None:
    get_db().execute(
        "UPDATE explanation_requests SET read_at = ? WHERE id = ? AND read_at IS NULL AND "
        "decision_id IN (SELECT id FROM decisions WHERE citizen_id = ?)",
        [clock.stamp(), request_id, citizen_id],
    )


# --- coordinator ----------------------------------------------------------------------------


def create_staff(login: str, name: str, role: str, lang: str) -> int:
    db = get_db()
    with immediate(db):
        user_id = (
            db["users"]
            .insert({"login": login.strip(), "name": name.strip(), "role": role, "lang": lang})
            .last_pk
        )
        db["staff_profiles"].insert({"user_id": user_id, "languages": lang})
    return user_id


def set_active(user_id: int, active: bool) -> None:
    get_db().execute(
        "UPDATE users SET active = ?, session_version = session_version + 1 WHERE id = ? "
        "AND role IN ('caseworker', 'coordinator')",
        [1 if active else 0, user_id],
    )


def audit_entries(
    actor: str = "", subject: str = "", action: str = "", limit: int = 200
) -> list[dict]:
    """The audit log, newest first, filtered by actor name/login, subject id or action."""
    where, params = [], []
    if actor:
        where.append("(actor.name LIKE ? OR actor.login LIKE ?)")
        params += [f"%{actor}%", f"%{actor}%"]
    if subject:
        where.append("(subject.login = ? OR subject.name LIKE ?)")
        params += [subject, f"%{subject}%"]
    if action:
        where.append("a.action LIKE ?")
        params.append(f"%{action}%")
    sql = (
        "SELECT a.*, actor.name AS actor_name, actor.role AS actor_role, subject.name AS subject_name "
        "FROM audit_log a LEFT JOIN users actor ON actor.audit_id = a.actor_id "
        "LEFT JOIN users subject ON subject.audit_id = a.subject_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.id DESC LIMIT ?"
    )
    return list(get_db().query(sql, [*params, limit]))


ERASED_TABLES = ("meetings", "decisions", "helpers", "activation_codes", "citizens", "assignments")


def erasure_preview(citizen_id: int) -> dict:
    """What erasing the citizen will delete, table by table (the tables that hold any)."""
    return {table: n for table, n in records.citizen_rows(citizen_id).items() if n}


def erase_citizen(citizen_id: int, actor_id: int) -> str:
    """Delete the citizen and every personal row; audit rows stay under a pseudonym."""
    db = get_db()
    with immediate(db):
        row = db.execute(
            "SELECT login, audit_id FROM users WHERE id = ? AND role = 'citizen'", [citizen_id]
        ).fetchone()
        if row is None:
            return ""
        pseudonym = f"audit #{row['audit_id']}"
        db.execute(
            "INSERT INTO audit_log (actor_id, action, subject_id, detail) VALUES "
            "((SELECT audit_id FROM users WHERE id = ?), 'erased-citizen', ?, '')",
            [actor_id, row["audit_id"]],
        )
        db.execute("DELETE FROM login_failures WHERE login = ?", [row["login"]])
        # Foreign keys cascade from users to meetings, decisions, ticks, requests, helpers,
        # codes, citizens and assignments. The audit rows keep only the audit number.
        db.execute("DELETE FROM users WHERE id = ?", [citizen_id])
    # Move the WAL into the database file, so deleted pages are overwritten there too.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return pseudonym
