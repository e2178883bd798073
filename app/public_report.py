"""The public evaluation report: per quarter, what citizens said in their check-ins and after
their meetings, counted without names, for everyone and for the city council.

Nothing can be worked out about one person, not even by subtraction:

- Every number is a group of answers. A group of fewer than MIN_GROUP (5) is never shown.
- Complementary suppression: within a question, the hidden answers together must also be at
  least MIN_GROUP and never one answer alone, so the total minus the shown answers never gives a
  hidden number or a group of fewer than 5 (`protect`). When the whole question has fewer than 5
  answers, the total is hidden too.
- Nothing changes after it is published, so two days' reports cannot be subtracted either: a
  quarter's answers are shown once it can take no more answers (LATE_DAYS after it ends), and
  they are kept then as they were (`report_figures`), whatever is answered, changed, erased or
  deleted later. Of the running quarter only the number of check-ins so far is shown.
- Free text is never counted or shown here: only choices from the lists.
"""

from __future__ import annotations

import datetime

from flask_babel import lazy_gettext as _l

from . import answers, checkins, clock
from .checkins import LATE_DAYS, period_of, period_start, previous_period
from .db import get_db, immediate

MIN_GROUP = answers.MIN_GROUP
QUARTERS_SHOWN = 8  # two years on the page; the CSV has every quarter

# Each question of the report: where its answers come from, its title and its answers.
MEASURES = {
    "life_better": ("checkins", checkins.QUESTIONS["life_better"], checkins.LIFE),
    "help_mattered": ("checkins", checkins.QUESTIONS["help_mattered"], checkins.HELP),
    "working_together": ("checkins", checkins.QUESTIONS["working_together"], checkins.WORKING),
    "next_known": ("meetings", answers.QUESTIONS["next_known"], answers.SCALE),
    "need": ("checkins", checkins.QUESTIONS["need"], checkins.NEEDS),
    "interpreting": ("meetings", answers.QUESTIONS["interpreting"], answers.INTERPRETING),
}
SOURCES = ("checkins", "meetings")

CHANGE_TAGS = {
    "interpreters": _l("Interpreters"),
    "explaining": _l("Explaining decisions"),
    "meetings": _l("Meetings"),
    "waiting": _l("Waiting times"),
    "contact": _l("Reaching your caseworker"),
    "danish": _l("Danish lessons"),
    "language": _l("Information in your language"),
    "other": _l("Something else"),
}

# The columns of the CSV, for the data dictionary (answers are the codes listed per question).
CSV_COLUMNS = {
    "quarter": _l("The quarter, as year and quarter: 2026-Q3 is July to September 2026."),
    "question": _l(
        "Which question: the codes are listed below. 'checkins' and 'meeting_answers' count "
        "how many answered at all."
    ),
    "answer": _l("Which answer, as a code listed below; 'all' is everyone who answered."),
    "count": _l("How many gave this answer. Empty when the number is hidden."),
    "share_percent": _l("The count as a share of everyone who answered the question, rounded."),
    "hidden": _l(
        "1 when the number is hidden: it is under 5, or hiding it keeps another small number "
        "from being worked out."
    ),
}


# --- suppression ----------------------------------------------------------------------------


def protect(total: int, parts: dict) -> dict:
    """A question's total and answers, with what must be hidden set to None.

    A total under MIN_GROUP hides everything. Otherwise every answer under MIN_GROUP is hidden,
    and more (the smallest shown first) until the hidden answers are at least two and together
    at least MIN_GROUP: then the total minus any shown answers is 0 or a group of 5 or more.
    """
    if total < MIN_GROUP:
        return {"total": None, "cells": dict.fromkeys(parts)}
    hidden = {key for key, count in parts.items() if count < MIN_GROUP}
    while hidden and (len(hidden) < 2 or sum(parts[key] for key in hidden) < MIN_GROUP):
        shown = [key for key in parts if key not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda key: parts[key]))
    return {
        "total": total,
        "cells": {key: None if key in hidden else count for key, count in parts.items()},
    }


def share(count: int | None, total: int | None) -> int | None:
    """A shown count as a whole percentage of its total."""
    if count is None or not total:
        return None
    return round(100 * count / total)


# --- counting -------------------------------------------------------------------------------


def publication_day(period: str) -> datetime.date:
    """The day a quarter's answers are published: when it can take no more answers."""
    following = period_start(period) + datetime.timedelta(days=100)
    return period_start(period_of(following)) + datetime.timedelta(days=LATE_DAYS)


# The quarter of a meeting, from its Danish local start time ("2026-11-03T09:00:00").
_MEETING_QUARTER = (
    "substr(m.starts_at, 1, 4) || '-Q' || ((CAST(substr(m.starts_at, 6, 2) AS INTEGER) + 2) / 3)"
)


def _count(period: str) -> dict[str, dict[str, int]]:
    """The raw counts of a quarter: per source its total, per question its answers."""
    db = get_db()
    counts: dict[str, dict[str, int]] = {source: {"all": 0} for source in SOURCES}
    for name, (_source, _title, options) in MEASURES.items():
        counts[name] = {str(key): 0 for key in options}
    counts["checkins"]["all"] = db.execute(
        "SELECT count(*) FROM checkins WHERE period = ?", [period]
    ).fetchone()[0]
    for name in ("life_better", "help_mattered", "working_together", "need"):
        for answer, n in db.execute(
            f"SELECT {name}, count(*) FROM checkins WHERE period = ? GROUP BY {name}", [period]
        ).fetchall():
            counts[name][str(answer)] = n
    # Answers after meetings count in the meeting's quarter when given in time for the count to
    # be final on publication day (given at least EDIT_DAYS before it, so no edit comes later).
    cutoff = datetime.datetime.combine(
        publication_day(period) - datetime.timedelta(days=answers.EDIT_DAYS),
        datetime.time(),
        clock.TZ,
    )
    where = f"FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id WHERE {_MEETING_QUARTER} = ? AND f.created_at < ?"
    params = [period, clock.stamp(cutoff)]
    counts["meetings"]["all"] = db.execute(f"SELECT count(*) {where}", params).fetchone()[0]
    for name in ("interpreting", "next_known"):
        for answer, n in db.execute(
            f"SELECT f.{name}, count(*) {where} GROUP BY f.{name}", params
        ).fetchall():
            counts[name][str(answer)] = n
    return counts


def _frozen(period: str) -> dict[str, dict[str, int]]:
    """A published quarter's counts as they were on publication day: stored the first time they
    are read on or after it, and read from there ever after."""
    db = get_db()
    rows = db.execute(
        "SELECT measure, answer, count FROM report_figures WHERE period = ?", [period]
    ).fetchall()
    if not rows:
        with immediate(db):
            counts = _count(period)
            db.conn.executemany(
                "INSERT OR IGNORE INTO report_figures (period, measure, answer, count) "
                "VALUES (?, ?, ?, ?)",
                [
                    (period, measure, answer, n)
                    for measure, values in counts.items()
                    for answer, n in values.items()
                ],
            )
        rows = db.execute(
            "SELECT measure, answer, count FROM report_figures WHERE period = ?", [period]
        ).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for measure, answer, n in rows:
        counts.setdefault(measure, {})[answer] = n
    return counts


def _periods(today: datetime.date) -> list[str]:
    """Every quarter with answers (or published figures) up to this one, latest first."""
    db = get_db()
    found = {row[0] for row in db.execute("SELECT DISTINCT period FROM checkins")}
    found |= {row[0] for row in db.execute("SELECT DISTINCT period FROM report_figures")}
    found |= {
        row[0]
        for row in db.execute(
            f"SELECT DISTINCT {_MEETING_QUARTER} FROM meeting_feedback f "
            "JOIN meetings m ON m.id = f.meeting_id"
        )
    }
    current = period_of(today)
    return sorted((p for p in found if checkins.is_period(p) and p <= current), reverse=True)


def quarter(period: str, today: datetime.date) -> dict:
    """One quarter of the report: published (every question, protected) or still running
    (only how many check-ins so far, protected)."""
    published = today >= publication_day(period)
    entry = {
        "period": period,
        "starts": period_start(period),
        "published": published,
        "publication_day": publication_day(period),
    }
    if not published:
        so_far = (
            get_db()
            .execute("SELECT count(*) FROM checkins WHERE period = ?", [period])
            .fetchone()[0]
        )
        entry["checkins"] = so_far if so_far >= MIN_GROUP else None
        entry["meetings"] = None
        entry["measures"] = []
        return entry
    counts = _frozen(period)
    entry["checkins"] = protect(counts["checkins"]["all"], {})["total"]
    entry["meetings"] = protect(counts["meetings"]["all"], {})["total"]
    entry["measures"] = []
    for name, (source, title, options) in MEASURES.items():
        protected = protect(counts[source]["all"], {str(k): counts[name][str(k)] for k in options})
        entry["measures"].append(
            {
                "name": name,
                "title": title,
                "source": source,
                "total": protected["total"],
                "rows": [
                    {
                        "answer": str(key),
                        "label": label,
                        "count": protected["cells"][str(key)],
                        "share": share(protected["cells"][str(key)], protected["total"]),
                    }
                    for key, label in options.items()
                ],
            }
        )
    return entry


def report(today: datetime.date | None = None, limit: int | None = QUARTERS_SHOWN) -> dict:
    """The whole report: quarters latest first, the trend (oldest first) and what changed."""
    today = today or clock.today()
    periods = _periods(today)
    if period_of(today) not in periods:
        periods.insert(0, period_of(today))
    quarters = [quarter(p, today) for p in periods[:limit]]
    changes = list_changes()
    for entry in quarters:
        entry["changes"] = [c for c in changes if c["period"] == entry["period"]]
    trend = []
    for entry in reversed([q for q in quarters if q["published"]]):
        measures = {m["name"]: m for m in entry["measures"]}
        trend.append(
            {
                "period": entry["period"],
                "starts": entry["starts"],
                "checkins": entry["checkins"],
                "life_better": measures["life_better"]["rows"][0]["share"],
                "next_known": measures["next_known"]["rows"][0]["share"],
            }
        )
    return {"quarters": quarters, "trend": trend, "min_group": MIN_GROUP}


def csv_rows(today: datetime.date | None = None) -> list[list]:
    """The open data: one row per published number, hidden ones empty; no free text."""
    data = report(today, limit=None)
    rows = [list(CSV_COLUMNS)]
    for entry in sorted(data["quarters"], key=lambda q: q["period"]):
        if not entry["published"]:
            continue
        for source, name in (("checkins", "checkins"), ("meetings", "meeting_answers")):
            count = entry[source]
            rows.append([entry["period"], name, "all", _cell(count), "", _hidden(count)])
        for measure in entry["measures"]:
            for row in measure["rows"]:
                rows.append(
                    [
                        entry["period"],
                        measure["name"],
                        row["answer"],
                        _cell(row["count"]),
                        _cell(row["share"]),
                        _hidden(row["count"]),
                    ]
                )
    return rows


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _hidden(value: int | None) -> int:
    return 1 if value is None else 0


# --- what we changed --------------------------------------------------------------------------


def list_changes() -> list[dict]:
    """What the municipality changed because of the answers, newest first."""
    return list(
        get_db().query(
            "SELECT id, period, tag, text_da, created_at FROM evaluation_changes "
            "ORDER BY period DESC, id DESC"
        )
    )


def save_change(period: str, tag: str, text_da: str, written_by: int) -> int:
    """A coordinator's note of what changed; returns its id."""
    db = get_db()
    with immediate(db):
        return db.execute(
            "INSERT INTO evaluation_changes (period, tag, text_da, written_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [period, tag, text_da, written_by, clock.stamp()],
        ).lastrowid


def delete_change(change_id: int) -> bool:
    """Remove a note; False when there was none."""
    db = get_db()
    with immediate(db):
        return db.execute("DELETE FROM evaluation_changes WHERE id = ?", [change_id]).rowcount > 0


def recent_periods(today: datetime.date | None = None, count: int = 4) -> list[str]:
    """This quarter and the ones before it, latest first (the choices for a change note)."""
    periods = [period_of(today or clock.today())]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods
