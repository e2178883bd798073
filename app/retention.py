"""Retention: how long each kind of record is kept, and the job that deletes what is due.

One list, `RULES`, says per kind of record what the job does and after how long. The period of
each rule is read from configuration (`RETENTION_<NAME>`, e.g. `RETENTION_CODES = "30 days"`, or
the environment variable `BRO_RETENTION_CODES`); the privacy notice and the record of processing
read the same periods, so a changed period shows everywhere without retyping it.

`flask --app app retention run [--dry-run]` applies the rules in batches, each batch one
transaction with one audit row that says the rule and how many rows (never what they held).

When is a case "closed"? Bro is not the municipality's case system and has no "close case"
button, so Bro counts a citizen's case as closed on the last day anything happened in it: their
last sign-in, the end of their last meeting, the last change to (or appeal deadline of) a
decision, the last change to an interpreter request, the last change of caseworker, or the day
the account was made. When nothing has happened for the configured period, the job deletes the
citizen's meetings, decisions, interpreter requests, check-ins and caseworker's views (and what
hangs on them: checklists, answers after meetings, explanation requests, request timelines). The account itself and the
audit log stay; erasing a person is the coordinator's action.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from . import clock, records
from .db import audit, get_db, immediate

UNITS = ("hour", "day", "month", "year")
BATCH = 500


@dataclass(frozen=True)
class Period:
    """A retention period: an amount of hours, days, months or years; None means "keep"."""

    amount: int | None
    unit: str = "day"

    @classmethod
    def parse(cls, text: str | int | None) -> Period:
        """ "30 days", "24 hours", "12 months", "1 year", or "never" (keep, do not delete)."""
        if text is None or str(text).strip().lower() in ("never", "keep", "none", ""):
            return cls(None)
        match = re.fullmatch(r"\s*(\d+)\s*(hour|day|month|year)s?\s*", str(text).lower())
        if not match:
            raise ValueError(f"not a retention period: {text!r} (say e.g. '30 days' or 'never')")
        return cls(int(match.group(1)), match.group(2))

    @property
    def keeps(self) -> bool:
        return self.amount is None

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        """The moment before which a record is due (None when nothing ever is)."""
        return self._shift(now, -1)

    def after(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The moment a record from `moment` stops being inside the period (None: never)."""
        return self._shift(moment, 1)

    def _shift(self, moment: datetime.datetime, sign: int) -> datetime.datetime | None:
        if self.amount is None:
            return None
        if self.unit == "hour":
            return moment + sign * datetime.timedelta(hours=self.amount)
        if self.unit == "day":
            return moment + sign * datetime.timedelta(days=self.amount)
        months = sign * self.amount * (12 if self.unit == "year" else 1)
        year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
        day = min(moment.day, _days_in(year, month + 1))
        return moment.replace(year=year, month=month + 1, day=day)

    def words(self) -> str:
        """The period in the reader's language: "30 days", "1 year"."""
        if self.amount is None:
            return str(_l("never"))
        n = self.amount
        return {
            "hour": lambda: ngettext("%(num)d hour", "%(num)d hours", n),
            "day": lambda: ngettext("%(num)d day", "%(num)d days", n),
            "month": lambda: ngettext("%(num)d month", "%(num)d months", n),
            "year": lambda: ngettext("%(num)d year", "%(num)d years", n),
        }[self.unit]()

    def __str__(self) -> str:  # for the command line and logs (English)
        if self.amount is None:
            return "never"
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"


def _days_in(year: int, month: int) -> int:
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - datetime.timedelta(days=1)).day


def _stamp(moment: datetime.datetime) -> str:
    """A cutoff as text that compares correctly with every timestamp format Bro stores.

    Bro stores "…T20:00:00Z", "…T20:00:00+00:00" and, for meetings, Danish local time; all
    compare as text. A row exactly at the cutoff sorts after it, so only older rows are due.
    """
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


# --- the rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str  # config key RETENTION_<NAME upper>, and the name in audit rows
    default: str
    action: str  # "delete" or "anonymise"
    what: object  # lazy text: the records, for the privacy notice and the record of processing
    when: object  # lazy text: the period's starting point, with %(period)s
    due: Callable[[], str]  # SQL selecting the ids due; :cutoff and :now are bound
    apply: Callable[[list[int]], dict[str, int]]  # does it; returns rows changed per table
    tables: tuple[
        str, ...
    ] = ()  # the tables it deletes from or empties, for the record of processing

    @property
    def config_key(self) -> str:
        return f"RETENTION_{self.name.upper()}"


def _ids(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _delete(table: str) -> Callable[[list[int]], dict[str, int]]:
    def apply(ids: list[int]) -> dict[str, int]:
        cursor = get_db().execute(f"DELETE FROM {table} WHERE rowid IN ({_ids(ids)})")
        return {table: cursor.rowcount}

    return apply


def _blank_feedback_text(ids: list[int]) -> dict[str, int]:
    cursor = get_db().execute(
        f"UPDATE meeting_feedback SET free_text = '', free_text_lang = NULL WHERE id IN ({_ids(ids)})"
    )
    return {"meeting_feedback": cursor.rowcount}


def _blank_checkin_text(ids: list[int]) -> dict[str, int]:
    cursor = get_db().execute(
        f"UPDATE checkins SET free_text = '', free_text_lang = NULL WHERE id IN ({_ids(ids)})"
    )
    return {"checkins": cursor.rowcount}


def _blank_language_request_contact(ids: list[int]) -> dict[str, int]:
    cursor = get_db().execute(
        f"UPDATE language_requests SET contact = NULL WHERE id IN ({_ids(ids)})"
    )
    return {"language_requests": cursor.rowcount}


# What a closed case's deletion removes, counted with the registry of citizen data so the
# numbers name every table the cascade reaches.
CASE_TABLES = (
    "meetings",
    "meeting_purposes",
    "meeting_agreements",
    "checklist_ticks",
    "meeting_feedback",
    "decisions",
    "explanation_requests",
    "interpreter_requests",
    "interpreter_request_events",
    "translation_requests",
    "checkins",
    "caseworker_views",
)


def _delete_case_records(citizen_ids: list[int]) -> dict[str, int]:
    db = get_db()
    counts = dict.fromkeys(CASE_TABLES, 0)
    for citizen_id in citizen_ids:
        for table in CASE_TABLES:
            rows = records.CITIZEN_DATA[table][1]
            counts[table] += db.execute(
                f"SELECT count(*) {rows}", {"c": citizen_id, "login": None}
            ).fetchone()[0]
        # Requests first (some hang on meetings); foreign keys cascade to the rest.
        for table in (
            "interpreter_requests",
            "translation_requests",
            "meetings",
            "decisions",
            "checkins",
            "caseworker_views",
        ):
            db.execute(f"DELETE FROM {table} WHERE citizen_id = ?", [citizen_id])
    return counts


_LAST_ACTIVITY = """
    max(
      u.created_at,
      coalesce(u.last_seen_at, ''),
      coalesce((SELECT max(m.ends_at) FROM meetings m WHERE m.citizen_id = u.id), ''),
      coalesce((SELECT max(max(d.updated_at), max(d.appeal_deadline)) FROM decisions d
                WHERE d.citizen_id = u.id), ''),
      coalesce((SELECT max(max(r.updated_at), max(r.ends_at)) FROM interpreter_requests r
                WHERE r.citizen_id = u.id), ''),
      coalesce((SELECT max(max(a.valid_from), max(coalesce(a.valid_to, ''))) FROM assignments a
                WHERE a.citizen_id = u.id), '')
    )
"""


# A citizen (alias u) with something the closed_cases rule would delete.
_HAS_CASE_RECORDS = (
    "(EXISTS (SELECT 1 FROM meetings WHERE citizen_id = u.id) OR "
    "EXISTS (SELECT 1 FROM decisions WHERE citizen_id = u.id) OR "
    "EXISTS (SELECT 1 FROM interpreter_requests WHERE citizen_id = u.id) OR "
    "EXISTS (SELECT 1 FROM checkins WHERE citizen_id = u.id) OR "
    "EXISTS (SELECT 1 FROM caseworker_views WHERE citizen_id = u.id))"
)


def last_activity_sql() -> str:
    """SQL for a citizen's last activity (alias u for users): the day their case counts as closed
    when nothing follows it."""
    return _LAST_ACTIVITY


def _audit_log_rows(ids: list[int]) -> dict[str, int]:
    # The log is append-only by trigger; only this rule, when the municipality's archive rules
    # set a period, lifts the trigger inside its own transaction and puts it back.
    db = get_db()
    db.execute("DROP TRIGGER audit_log_no_delete")
    cursor = db.execute(f"DELETE FROM audit_log WHERE id IN ({_ids(ids)})")
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    return {"audit_log": cursor.rowcount}


RULES: tuple[Rule, ...] = (
    Rule(
        "codes",
        "30 days",
        "delete",
        _l("Activation codes and helper invitation codes"),
        _l("Deleted %(period)s after the code expired."),
        lambda: "SELECT id FROM activation_codes WHERE expires_at < :cutoff",
        _delete("activation_codes"),
        ("activation_codes",),
    ),
    Rule(
        "letters",
        "1 day",
        "delete",
        _l("A new activation letter waiting to be printed"),
        _l("Deleted %(period)s after it was made."),
        lambda: "SELECT rowid FROM pending_letters WHERE created_at < :cutoff",
        _delete("pending_letters"),
        ("pending_letters",),
    ),
    Rule(
        "sign_in_failures",
        "24 hours",
        "delete",
        _l("Wrong passwords counted for a login id"),
        _l("Deleted %(period)s after the last wrong password."),
        lambda: (
            "SELECT rowid FROM login_failures WHERE coalesce(last_failure_at, '') < :cutoff "
            "AND coalesce(locked_until, '') < :now"
        ),
        _delete("login_failures"),
        ("login_failures",),
    ),
    Rule(
        "trusted_devices",
        "1 year",
        "delete",
        _l("Phones and computers you signed in from (trusted devices)"),
        _l("Deleted %(period)s after the last sign-in from that device."),
        lambda: "SELECT id FROM known_devices WHERE coalesce(last_used_at, created_at) < :cutoff",
        _delete("known_devices"),
        ("known_devices",),
    ),
    Rule(
        "feedback_text",
        "12 months",
        "anonymise",
        _l("What you wrote in your own words after a meeting"),
        _l(
            "The text is deleted %(period)s after you wrote it. Your answers without names (yes, partly, no) stay."
        ),
        lambda: (
            "SELECT id FROM meeting_feedback WHERE (free_text != '' OR free_text_lang IS NOT "
            "NULL) AND coalesce(updated_at, created_at) < :cutoff"
        ),
        _blank_feedback_text,
        ("meeting_feedback",),
    ),
    Rule(
        "checkin_text",
        "12 months",
        "anonymise",
        _l("What you wrote in your own words in a check-in"),
        _l(
            "The text is deleted %(period)s after you wrote it. Your answers without names (yes, partly, no) stay."
        ),
        lambda: (
            "SELECT id FROM checkins WHERE (free_text != '' OR free_text_lang IS NOT NULL) "
            "AND coalesce(updated_at, created_at) < :cutoff"
        ),
        _blank_checkin_text,
        ("checkins",),
    ),
    Rule(
        "language_request_contact",
        "12 months",
        "anonymise",
        _l("The phone number or e-mail in a 'my language is missing' form"),
        _l("Deleted %(period)s after the form was sent. The name of the language stays."),
        lambda: (
            "SELECT id FROM language_requests WHERE contact IS NOT NULL AND created_at < :cutoff"
        ),
        _blank_language_request_contact,
        ("language_requests",),
    ),
    Rule(
        "accessibility_reports",
        "12 months",
        "delete",
        _l("A report that a part of Bro was hard to use, with the phone number or e-mail in it"),
        _l("Deleted %(period)s after it was sent."),
        lambda: "SELECT id FROM accessibility_reports WHERE created_at < :cutoff",
        _delete("accessibility_reports"),
        ("accessibility_reports",),
    ),
    Rule(
        "closed_cases",
        "5 years",
        "delete",
        _l("Meetings, decisions, interpreter requests and check-ins"),
        _l(
            "Deleted %(period)s after the case is closed, that is, after the last thing that happened in it."
        ),
        lambda: (
            f"SELECT u.id FROM users u WHERE u.role = 'citizen' AND {_HAS_CASE_RECORDS} AND "
            f"{_LAST_ACTIVITY} < :cutoff"
        ),
        _delete_case_records,
        CASE_TABLES,
    ),
    Rule(
        "audit_log",
        "never",
        "delete",
        _l("The log of who opened or changed a record"),
        _l("Deleted %(period)s after it was written."),
        lambda: "SELECT id FROM audit_log WHERE at < :cutoff",
        _audit_log_rows,
        ("audit_log",),
    ),
)
BY_NAME = {rule.name: rule for rule in RULES}


def period(rule: Rule, config=None) -> Period:
    """The rule's period from configuration (one place, read by the job and every page)."""
    config = config if config is not None else current_app.config
    return Period.parse(config.get(rule.config_key, rule.default))


def schedule(config=None) -> list[dict]:
    """Every rule with its period, for the privacy notice and the record of processing."""
    rows = []
    for rule in RULES:
        p = period(rule, config)
        rows.append(
            {
                "name": rule.name,
                "what": rule.what,
                "period": p,
                "keeps": p.keeps,
                "when": None if p.keeps else rule.when % {"period": p.words()},
                "action": rule.action,
            }
        )
    return rows


def case_deleted_on(citizen_id: int, config=None) -> datetime.date | None:
    """The day the nightly job deletes this citizen's meetings, decisions and interpreter
    requests if nothing happens in the case before; None when there is nothing to delete or the
    period is "never". Same SQL and period arithmetic as the closed_cases rule: a record is due
    once its last activity lies before now minus the period, so from the first night after
    last activity plus the period."""
    p = period(BY_NAME["closed_cases"], config)
    if p.keeps:
        return None
    row = (
        get_db()
        .execute(
            f"SELECT {_LAST_ACTIVITY} FROM users u WHERE u.id = ? AND {_HAS_CASE_RECORDS}",
            [citizen_id],
        )
        .fetchone()
    )
    if row is None or not row[0]:
        return None
    # Stored values mix dates, UTC stamps and Danish local times; the job compares them as text
    # in the form YYYY-MM-DDTHH:MM:SS, so read the value the same way.
    last = datetime.datetime.fromisoformat(row[0][:19]) if len(row[0]) > 10 else None
    last = last or datetime.datetime.fromisoformat(row[0][:10])
    due = p.after(last)
    # Due strictly after `due`: a run later that day at midnight or after it on the next day.
    return due.date() if due.time() == datetime.time(0) else due.date() + datetime.timedelta(1)


def last_run() -> dict | None:
    """When the job last ran (not a dry run) and what it did, from its audit row."""
    row = (
        get_db()
        .execute(
            "SELECT at, detail FROM audit_log WHERE action = 'retention-run' ORDER BY id DESC LIMIT 1"
        )
        .fetchone()
    )
    if row is None:
        return None
    return {"at": clock.parse(row[0][:19] + "Z"), "detail": row[1]}


# --- the job --------------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return clock.now()  # the one "now", so tests can freeze it with clock.frozen()


def run(
    now: datetime.datetime | None = None, dry_run: bool = False, batch: int = BATCH
) -> list[dict]:
    """Apply every rule; per rule how many records were (or, with dry_run, would be) handled.

    Each batch is one transaction: its deletions and its audit row (rule and count) commit
    together. A dry run only counts.
    """
    now = now or _now()
    db = get_db()
    results = []
    for rule in RULES:
        p = period(rule)
        cutoff = p.cutoff(now)
        result = {"rule": rule.name, "action": rule.action, "period": str(p), "records": 0}
        result["tables"] = {}
        if cutoff is not None:
            params = {"cutoff": _stamp(cutoff), "now": _stamp(now)}
            if dry_run:
                result["records"] = db.execute(
                    f"SELECT count(*) FROM ({rule.due()})", params
                ).fetchone()[0]
            else:
                while True:
                    with immediate(db):
                        ids = [
                            row[0] for row in db.execute(f"{rule.due()} LIMIT {int(batch)}", params)
                        ]
                        if not ids:
                            break
                        changed = rule.apply(ids)
                        _audit_batch(rule, len(ids), changed)
                    result["records"] += len(ids)
                    for table, n in changed.items():
                        result["tables"][table] = result["tables"].get(table, 0) + n
        results.append(result)
    if not dry_run:
        # One row per run, even when nothing was due, so the coordinator sees that it runs.
        with immediate(db):
            summary = ", ".join(f"{r['rule']} {r['records']}" for r in results)
            audit(None, "retention-run", None, summary)
    if not dry_run and any(r["records"] for r in results):
        # Move the WAL into the database file, so deleted pages are overwritten there too.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return results


def _audit_batch(rule: Rule, records_count: int, changed: dict[str, int]) -> None:
    """One audit row per batch: the rule and the counts, never what the rows held."""
    tables = ", ".join(f"{table} {n}" for table, n in changed.items() if n)
    audit(None, f"retention-{rule.action}", None, f"{rule.name}: {records_count} ({tables})")


# --- commands -------------------------------------------------------------------------------

retention_cli = AppGroup("retention", help="Delete or anonymise what is past its retention period.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what is due; change nothing.")
@click.option("--batch", default=BATCH, show_default=True, help="Rows per transaction.")
def run_command(dry_run: bool, batch: int) -> None:
    """Delete or anonymise every record past its retention period (see RETENTION_* settings)."""
    results = run(dry_run=dry_run, batch=batch)
    verb = (
        {"delete": "would delete", "anonymise": "would anonymise"}
        if dry_run
        else {
            "delete": "deleted",
            "anonymise": "anonymised",
        }
    )
    for result in results:
        if result["period"] == "never":
            click.echo(f"{result['rule']}: kept (retention period: never)")
            continue
        line = f"{result['rule']}: {verb[result['action']]} {result['records']}"
        if result["tables"]:
            line += " (" + ", ".join(f"{t} {n}" for t, n in result["tables"].items() if n) + ")"
        click.echo(f"{line} [after {result['period']}]")
    if dry_run:
        click.echo("Dry run: nothing was changed.")


def init_app(app: Flask) -> None:
    # Each period from the environment when set there (BRO_RETENTION_CODES="30 days"), else the
    # default; create_app(config) may still override it. Checked now, so a typo stops start-up.
    for rule in RULES:
        value = os.environ.get(f"BRO_{rule.config_key}")
        app.config.setdefault(rule.config_key, value if value is not None else rule.default)
        Period.parse(app.config[rule.config_key])
    from . import processing  # adds "retention report" to the group, and "privacy records"

    processing.init_app(app)

    app.cli.add_command(retention_cli)
