"""Answers in the citizen's own voice: after-meeting answers, guide votes, and the anonymous report.

The report never shows a group of fewer than 5 answers: such a cell says "fewer than 5", and the
totals leave those groups out, so no one can be singled out, not even by subtraction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from flask_babel import lazy_gettext as _l

from . import caseload, clock, records
from .db import get_db, immediate, query_one

EDIT_DAYS = 14
MIN_GROUP = 5
SCALE = {3: _l("Yes"), 2: _l("Partly"), 1: _l("No")}
INTERPRETING = {
    "good": _l("Yes, it was good"),
    "partly": _l("Partly"),
    "poor": _l("No, it was poor"),
    "none": _l("There was no interpreter"),
    "family": _l("A family member interpreted"),
}
QUESTIONS = {
    "understood": _l("Did you understand what was decided?"),
    "interpreting": _l("Was the interpreting good?"),
    "next_known": _l("Do you know what happens next?"),
}


# --- queries --------------------------------------------------------------------------------


def get_answer(meeting_id: int) -> dict | None:
    return query_one("SELECT * FROM meeting_feedback WHERE meeting_id = ?", [meeting_id])


def editable(answer: dict | None) -> bool:
    if answer is None:
        return True
    return clock.now() - clock.parse(answer["created_at"]) <= datetime.timedelta(days=EDIT_DAYS)


def save_answer(meeting_id: int, answered_by: int, values: dict) -> None:
    """One answer per meeting: the first creates it, later ones (within 14 days) change it."""
    db = get_db()
    now = clock.stamp()
    with immediate(db):
        db.execute(
            "INSERT INTO meeting_feedback (meeting_id, answered_by, understood, interpreting, "
            "next_known, free_text, free_text_lang) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (meeting_id) DO UPDATE SET understood = excluded.understood, "
            "interpreting = excluded.interpreting, next_known = excluded.next_known, "
            "free_text = excluded.free_text, free_text_lang = excluded.free_text_lang, updated_at = ?",
            [
                meeting_id,
                answered_by,
                values["understood"],
                values["interpreting"],
                values["next_known"],
                values["free_text"],
                values["free_text_lang"],
                now,
            ],
        )


def awaiting_answer(citizen_id: int) -> list[dict]:
    """Past meetings (not cancelled) without an answer yet, latest first (two queries)."""
    answered = {
        row["meeting_id"]
        for row in get_db().query(
            "SELECT f.meeting_id FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
            "WHERE m.citizen_id = ?",
            [citizen_id],
        )
    }
    return [
        m
        for m in records.list_meetings_for(citizen_id)["past"]
        if m["status"] == "scheduled" and m["id"] not in answered
    ]


def after_meeting(meeting: dict) -> dict | None:
    """For a meeting that is over: the citizen's answer (or None) and whether it may change.
    None while the meeting is coming or when it was cancelled."""
    if meeting["status"] != "scheduled" or meeting["ends"] > records.now_local():
        return None
    answer = get_answer(meeting["id"])
    return {"answer": answer, "editable": editable(answer)}


def answers_for_staff(staff: dict) -> list[dict]:
    """Answers this staff member must read: on meetings they held, and on meetings of citizens
    they are responsible for now (their own, and those of a colleague they stand in for).
    The coordinator reads every answer that signals a family member interpreted."""
    covered = caseload.covered_caseworkers(staff["id"])
    marks = ", ".join("?" * len(covered))
    everyone_family = "OR f.interpreting = 'family'" if staff["role"] == "coordinator" else ""
    rows = get_db().query(
        "SELECT f.*, m.kind, m.starts_at, u.name AS citizen_name, u.id AS citizen_id, "
        "f.interpreting = 'family' AS safety_signal FROM meeting_feedback f "
        "JOIN meetings m ON m.id = f.meeting_id JOIN users u ON u.id = m.citizen_id "
        "LEFT JOIN assignments a ON a.citizen_id = m.citizen_id AND a.valid_to IS NULL "
        f"WHERE m.caseworker_id = ? OR a.caseworker_id IN ({marks}) {everyone_family} "
        "ORDER BY m.starts_at DESC",
        [staff["id"], *covered],
    )
    return list(rows)


def family_signals(month: str | None = None) -> int:
    """How many answers say a family member interpreted: a safety signal to follow up, so it is
    counted whole, small groups included (it is never part of the anonymous tables)."""
    where, params = "", []
    if month:
        where, params = "AND substr(m.starts_at, 1, 7) = ?", [month]
    row = query_one(
        "SELECT count(*) AS n FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
        f"WHERE f.interpreting = 'family' {where}",
        params,
    )
    return row["n"]


def save_guide_feedback(lang: str, slug: str, helpful: bool, missing: str) -> None:
    get_db().execute(
        "INSERT INTO guide_feedback (lang, slug, helpful, missing) VALUES (?, ?, ?, ?)",
        [lang, slug, 1 if helpful else 0, missing.strip()],
    )


# --- the report -----------------------------------------------------------------------------


def _cell(count: int, total: int) -> dict:
    """A count and its share, or suppressed when the group is under 5."""
    if total < MIN_GROUP:
        return {"suppressed": True, "count": None, "share": None}
    return {"suppressed": False, "count": count, "share": round(100 * count / total)}


def report(month: str | None = None) -> dict:
    """Per month, per meeting kind, per language group: counts and shares for each answer."""
    where, params = "", []
    if month:
        where = "WHERE substr(m.starts_at, 1, 7) = ?"
        params.append(month)
    rows = list(
        get_db().query(
            "SELECT substr(m.starts_at, 1, 7) AS month, m.kind, u.lang, f.understood, f.interpreting, "
            "f.next_known FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
            f"JOIN users u ON u.id = m.citizen_id {where}",
            params,
        )
    )
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["month"], row["kind"], row["lang"])].append(row)
    table = []
    for (group_month, kind, lang), answers in sorted(groups.items()):
        total = len(answers)
        table.append(
            {
                "month": group_month,
                "kind": kind,
                "lang": lang,
                "total": total,
                "suppressed": total < MIN_GROUP,
                "understood": {
                    v: _cell(sum(a["understood"] == v for a in answers), total) for v in SCALE
                },
                "interpreting": {
                    v: _cell(sum(a["interpreting"] == v for a in answers), total)
                    for v in INTERPRETING
                },
                "next_known": {
                    v: _cell(sum(a["next_known"] == v for a in answers), total) for v in SCALE
                },
            }
        )
    # Totals count only the groups that are shown. Counting the hidden ones too would let anyone
    # subtract the shown groups from the total and read a lone person's answer.
    shown = [
        a for (_m, _k, _l), answers in groups.items() if len(answers) >= MIN_GROUP for a in answers
    ]
    total = len(shown)
    family = sum(r["interpreting"] == "family" for r in shown)
    guides = list(
        get_db().query(
            "SELECT slug, lang, count(*) AS answers, sum(helpful) AS helpful FROM guide_feedback "
            "GROUP BY slug, lang ORDER BY slug, lang"
        )
    )
    for guide in guides:
        guide.update(_cell(guide["helpful"], guide["answers"]))
    return {
        "groups": table,
        "total": total,
        "left_out": len(rows) - total,
        "family": _cell(family, total),
        "guides": guides,
        "months": sorted({r["month"] for r in rows}, reverse=True),
    }
