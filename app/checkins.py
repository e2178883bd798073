"""The check-in every three months, in the citizen's own voice, and the caseworker's voice beside it.

A period is a calendar quarter ("2026-Q4"). A citizen answers once per period: a second answer
in the same period changes the first (a UNIQUE (citizen_id, period) row and an upsert), and the
same form sent twice (a double tap, the phone's outbox sending again) is recognised by its
idempotency key and changes nothing. The check-in is offered while the period has no answer, and
again when a decision says the citizen's programme or plan has stopped.

The caseworker may add their own view for the same period (short choices and Danish text); the
citizen sees it only when the caseworker shares it. Free text never leaves the caseworker's and
coordinator's screens: the public report (public_report.py) counts choices only.
"""

from __future__ import annotations

import datetime

from flask_babel import lazy_gettext as _l

from . import clock
from .db import get_db, immediate, query_one

# --- the citizen's questions --------------------------------------------------------------------

QUESTIONS = {
    "life_better": _l("Is your life better than three months ago?"),
    "help_mattered": _l("Did the help from the municipality make a difference?"),
    "working_together": _l("How was working with us?"),
    "need": _l("What do you need most now?"),
}
LIFE = {3: _l("Yes, better"), 2: _l("About the same"), 1: _l("No, worse")}
HELP = {3: _l("Yes"), 2: _l("Partly"), 1: _l("No")}
WORKING = {3: _l("Good"), 2: _l("Partly good"), 1: _l("Not good")}
NEEDS = {
    "job": _l("A job"),
    "danish": _l("Danish lessons"),
    "housing": _l("Housing"),
    "health": _l("Health"),
    "children": _l("My children"),
    "money": _l("Money"),
    "talk": _l("Someone to talk to"),
    "other": _l("Something else"),
}
# Each question's answers, by the name of its column.
CHOICES = {"life_better": LIFE, "help_mattered": HELP, "working_together": WORKING, "need": NEEDS}

# --- the caseworker's voice (shown to the citizen when shared, so in every language) ----------

VOICE_QUESTIONS = {
    "aim": _l("What did we aim for?"),
    "effect": _l("What effect did you see?"),
    "next_step": _l("What should happen next?"),
}
AIMS = {
    "job": _l("A job"),
    "danish": _l("Danish lessons"),
    "housing": _l("Housing"),
    "health": _l("Health"),
    "children": _l("The children and the family"),
    "money": _l("Money"),
    "talk": _l("Support and someone to talk to"),
    "other": _l("Something else"),
}
EFFECTS = {
    "clear": _l("Clear progress"),
    "some": _l("Some progress"),
    "none": _l("No change yet"),
    "harder": _l("Things got harder"),
}
NEXT_STEPS = {
    "continue": _l("Go on as now"),
    "change": _l("Change the plan together"),
    "other-team": _l("Bring in another team"),
    "done": _l("The goal is reached"),
}
VOICE_CHOICES = {"aim": AIMS, "effect": EFFECTS, "next_step": NEXT_STEPS}

# How long after a quarter ends an answer filled in during it (offline, say) still counts there.
LATE_DAYS = 31


# --- periods ------------------------------------------------------------------------------------


def period_of(day: datetime.date) -> str:
    """The calendar quarter of a day: 2026-11-03 → "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def period_start(period: str) -> datetime.date:
    """The first day of a period: "2026-Q4" → 2026-10-01."""
    year, quarter = period.split("-Q")
    return datetime.date(int(year), 3 * int(quarter) - 2, 1)


def previous_period(period: str) -> str:
    """The quarter before: "2026-Q1" → "2025-Q4"."""
    return period_of(period_start(period) - datetime.timedelta(days=1))


def is_period(text: str | None) -> bool:
    """Whether text names a quarter, like "2026-Q4"."""
    try:
        return period_of(period_start(text or "")) == text
    except ValueError:
        return False


def answer_period(asked: str | None, today: datetime.date | None = None) -> str:
    """The period an answer counts in: the one the form was opened in (an answer kept on the
    phone while offline still counts in its own quarter) when that is this quarter, or the last
    one and it ended at most LATE_DAYS ago; otherwise this quarter."""
    today = today or clock.today()
    current = period_of(today)
    if asked == current:
        return current
    last = previous_period(current)
    if asked == last and (today - period_start(current)).days < LATE_DAYS:
        return last
    return current


# --- the citizen's check-in ---------------------------------------------------------------------


def get_checkin(citizen_id: int, period: str) -> dict | None:
    """The citizen's answer for a period, or None."""
    return query_one(
        "SELECT * FROM checkins WHERE citizen_id = ? AND period = ?", [citizen_id, period]
    )


def save_checkin(citizen_id: int, period: str, values: dict, key: str) -> bool:
    """Store the citizen's answer for the period: the first creates it, a later one changes it.

    Returns False (and changes nothing) when this same form was stored already: the same
    idempotency key, sent again by a double tap or the phone's outbox.
    """
    db = get_db()
    with immediate(db):
        held = db.execute(
            "SELECT idempotency_key FROM checkins WHERE citizen_id = ? AND period = ?",
            [citizen_id, period],
        ).fetchone()
        if held and held[0] == key:
            return False
        db.execute(
            "INSERT INTO checkins (citizen_id, period, life_better, help_mattered, "
            "working_together, need, free_text, free_text_lang, idempotency_key, created_at, "
            "updated_at) VALUES (:citizen_id, :period, :life_better, :help_mattered, "
            ":working_together, :need, :free_text, :free_text_lang, :key, :now, :now) "
            "ON CONFLICT (citizen_id, period) DO UPDATE SET life_better = excluded.life_better, "
            "help_mattered = excluded.help_mattered, working_together = excluded.working_together, "
            "need = excluded.need, free_text = excluded.free_text, "
            "free_text_lang = excluded.free_text_lang, idempotency_key = excluded.idempotency_key, "
            "updated_at = :now",
            {
                **values,
                "citizen_id": citizen_id,
                "period": period,
                "key": key,
                "now": clock.stamp(),
            },
        )
    return True


def checkin_due(citizen_id: int, today: datetime.date | None = None) -> dict | None:
    """Whether my page offers the check-in now, and why: "quarter" while this quarter has no
    answer; "plan-ended" when a decision received since the last answer says the citizen's
    programme or plan stops. None when nothing is due."""
    today = today or clock.today()
    period = period_of(today)
    answer = get_checkin(citizen_id, period)
    ended = query_one(
        "SELECT max(received_on) AS day FROM decisions WHERE citizen_id = ? AND area = 'programme' "
        "AND outcome = 'stopped' AND received_on <= ? AND received_on >= ?",
        [citizen_id, today.isoformat(), (today - datetime.timedelta(days=LATE_DAYS)).isoformat()],
    )["day"]
    if ended:
        last = query_one(
            "SELECT max(coalesce(updated_at, created_at)) AS at FROM checkins WHERE citizen_id = ?",
            [citizen_id],
        )["at"]
        if last is None or last[:10] < ended:
            return {"period": period, "reason": "plan-ended", "answer": answer}
    if answer is None:
        return {"period": period, "reason": "quarter", "answer": None}
    return None


def periods_for(citizen_id: int, today: datetime.date | None = None) -> list[dict]:
    """For the staff record: this period and every period with a check-in or a caseworker's
    view, latest first, each with the citizen's answer and the caseworker's view (or None)."""
    db = get_db()
    answers = {
        row["period"]: row
        for row in db.query("SELECT * FROM checkins WHERE citizen_id = ?", [citizen_id])
    }
    views = {row["period"]: row for row in views_for(citizen_id)}
    periods = sorted({period_of(today or clock.today()), *answers, *views}, reverse=True)
    return [
        {
            "period": period,
            "starts": period_start(period),
            "checkin": answers.get(period),
            "view": views.get(period),
        }
        for period in periods
    ]


# --- the caseworker's voice ---------------------------------------------------------------------


def get_view(citizen_id: int, period: str) -> dict | None:
    """The caseworker's view of a citizen's period, or None."""
    return query_one(
        "SELECT * FROM caseworker_views WHERE citizen_id = ? AND period = ?", [citizen_id, period]
    )


def views_for(citizen_id: int) -> list[dict]:
    """Every caseworker view of the citizen, latest period first, with the period's first day."""
    rows = get_db().query(
        "SELECT v.*, u.name AS written_by_name FROM caseworker_views v "
        "LEFT JOIN users u ON u.id = v.written_by WHERE v.citizen_id = ? "
        "ORDER BY v.period DESC",
        [citizen_id],
    )
    return [{**row, "starts": period_start(row["period"])} for row in rows]


def shared_views(citizen_id: int) -> list[dict]:
    """What the caseworker chose to share with the citizen, latest period first."""
    return [view for view in views_for(citizen_id) if view["shared"]]


def save_view(citizen_id: int, period: str, written_by: int, values: dict) -> None:
    """One view per citizen and period: the first creates it, a later one changes it."""
    db = get_db()
    with immediate(db):
        db.execute(
            "INSERT INTO caseworker_views (citizen_id, period, written_by, aim, effect, next_step, "
            "note, shared, created_at, updated_at) VALUES (:citizen_id, :period, :written_by, "
            ":aim, :effect, :next_step, :note, :shared, :now, :now) ON CONFLICT (citizen_id, period) DO UPDATE SET "
            "written_by = excluded.written_by, aim = excluded.aim, effect = excluded.effect, "
            "next_step = excluded.next_step, note = excluded.note, shared = excluded.shared, "
            "updated_at = :now",
            {
                **values,
                "citizen_id": citizen_id,
                "period": period,
                "written_by": written_by,
                "now": clock.stamp(),
            },
        )
