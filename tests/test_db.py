"""The database: WAL, pragmas, migrations, append-only audit log, demo seed."""

import datetime
import json
import sqlite3
from pathlib import Path

import pytest

from app import clock
from app.db import MIGRATIONS, connect, migrate, schema_version
from app.demo import logins_path, seed_demo


def test_pragmas(app):
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_migrations_run_once_and_are_idempotent(tmp_path):
    db = connect(str(tmp_path / "m.sqlite3"))
    assert schema_version(db) == 0
    assert migrate(db) == len(MIGRATIONS)
    assert migrate(db) == len(MIGRATIONS)
    assert "users" in db.table_names() and "audit_log" in db.table_names()


def test_init_db_command(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert f"schema version {len(MIGRATIONS)}" in result.output


def test_audit_log_is_append_only(app):
    db = connect(app.config["DATABASE"])
    db.execute("INSERT INTO audit_log (actor_id, action) VALUES (1, 'test')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET action = 'changed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")
    assert db.execute("SELECT action FROM audit_log").fetchone()[0] == "test"


def test_demo_seed_once_and_logins_file(app):
    logins = seed_demo(app)
    assert logins is not None and len(logins) == 17  # 4 staff, 12 citizens, 1 helper
    assert {e["lang"] for e in logins if e["role"] == "citizen"} == {
        "da", "en", "ar", "fa", "prs", "ps", "ckb", "kmr", "so", "ti", "tr", "uk",
    }  # fmt: skip
    saved = json.loads(logins_path(app).read_text())
    assert saved == logins
    assert all({"role", "login", "password", "name", "lang"} <= set(e) for e in saved)
    assert seed_demo(app) is None  # a second run keeps the data
    db = connect(app.config["DATABASE"])
    assert (
        db.execute("SELECT count(*) FROM users WHERE password_hash IS NOT NULL").fetchone()[0] == 17
    )
    citizens = [e for e in saved if e["role"] == "citizen"]
    assert all(e["caseworker"] for e in citizens)
    assert db.execute("SELECT count(*) FROM interpreters").fetchone()[0] == 20
    kinds = {row["kind"] for row in db.query("SELECT DISTINCT kind FROM meetings")}
    assert len(kinds) == 6
    assert all(
        not (row["password_hash"] or "").startswith("demo-")
        for row in db.query("SELECT * FROM users")
    )
    # Three quarters of answers for the public report, from former participants without a login.
    periods = [row[0] for row in db.execute("SELECT DISTINCT period FROM checkins ORDER BY 1")]
    assert len(periods) == 3
    former = db.execute(
        "SELECT count(*) FROM users WHERE role = 'citizen' AND password_hash IS NULL"
    ).fetchone()[0]
    assert former > 0
    assert db.execute("SELECT count(*) FROM meeting_feedback").fetchone()[0] >= 3 * former


def test_seed_demo_command_prints_logins(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "citizen01" in result.output and "coordinator" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "not seeded again" in again.output and "citizen01" in again.output


def test_each_test_writes_to_its_own_copy_of_the_demo_town(
    app, demo_logins, demo_template, frozen_clock, tmp_path
):
    """The demo town is seeded once into a template and copied per test: a WAL file in this
    test's folder with its logins beside it, the clock stopped at a working Wednesday, 10:00."""
    assert Path(app.config["DATABASE"]).parent == tmp_path == logins_path(app).parent
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert json.loads(logins_path(app).read_text()) == demo_logins
    assert clock.now() == frozen_clock and clock.now_local().hour == 10
    assert clock.today().weekday() == 2 and clock.is_working_day(clock.today())
    first = db.execute(
        "SELECT min(starts_at) FROM meetings WHERE starts_at > ?", [clock.today().isoformat()]
    )
    assert first.fetchone()[0].startswith((clock.today() + datetime.timedelta(days=2)).isoformat())
    with db.conn:
        db.execute("UPDATE users SET name = 'Changed' WHERE login = 'citizen01'")
    template = sqlite3.connect(demo_template / "bro.sqlite3")
    try:
        name = template.execute("SELECT name FROM users WHERE login = 'citizen01'").fetchone()[0]
    finally:
        template.close()
    assert name == "Lars Demo"  # the template is never written to


def test_old_timestamps_are_normalised_to_the_one_stored_format(tmp_path):
    """Rows written before clock.py (…+00:00) read and compare like the new ones (…Z)."""
    from app import clock

    db = connect(str(tmp_path / "old.sqlite3"))
    for step in MIGRATIONS[:11]:  # the schema as it was before the one-format migration
        step(db)
    db.execute(f"PRAGMA user_version = {11}")
    db.execute("INSERT INTO users (login, name, role) VALUES ('x', 'X', 'citizen')")
    db.execute(
        "INSERT INTO activation_codes (user_id, purpose, code_hash, expires_at) "
        "VALUES (1, 'activate', 'h', '2026-12-04T19:30:00+00:00')"
    )
    migrate(db)
    stored = db.execute("SELECT expires_at FROM activation_codes").fetchone()[0]
    assert stored == "2026-12-04T19:30:00Z"
    assert clock.parse(stored) == clock.parse("2026-12-04T19:30:00+00:00")


def test_an_action_commits_whole_or_not_at_all(app, demo_logins):
    """Saving a meeting, its interpreter request and the audit row is one transaction:
    when the audit row cannot be written, no meeting and no request are left behind."""
    import datetime
    import sqlite3 as sqlite

    from app import caseload, clock
    from app.db import connect

    db = connect(app.config["DATABASE"])
    citizen, caseworker = db.execute(
        "SELECT citizen_id, caseworker_id FROM assignments WHERE valid_to IS NULL LIMIT 1"
    ).fetchone()
    counts = "SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM interpreter_requests)"
    before = tuple(db.execute(counts).fetchone())
    db.execute(
        "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    starts = datetime.datetime.combine(
        clock.today() + datetime.timedelta(days=3), datetime.time(10)
    )
    values = {"kind": "jobcenter-meeting", "starts_at": starts,
              "ends_at": starts + datetime.timedelta(hours=1), "interpreter_needed": True,
              "interpreter_language": "ar"}  # fmt: skip
    with app.test_request_context("/en/"), pytest.raises(sqlite.IntegrityError):
        caseload.save_meeting(citizen, caseworker, values)
    assert tuple(db.execute(counts).fetchone()) == before
