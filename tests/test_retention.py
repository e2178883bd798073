"""The retention job on a real SQLite file: rows just past each boundary go, rows just inside stay."""

from __future__ import annotations

import datetime

import pytest

from app import create_app, retention
from app.db import get_db

NOW = datetime.datetime(2026, 12, 4, 12, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def z(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def count(sql: str, *params) -> int:
    return get_db().execute(sql, params).fetchone()[0]


def add_user(login: str, role: str = "citizen", created: str = "2010-01-01T00:00:00Z") -> int:
    db = get_db()
    user_id = db.execute(
        "INSERT INTO users (login, name, role, created_at) VALUES (?, ?, ?, ?)",
        [login, login.title(), role, created],
    ).lastrowid
    if role == "citizen":
        db.execute("INSERT INTO citizens (user_id) VALUES (?)", [user_id])
    return user_id


def add_case(citizen: int, caseworker: int, last: datetime.datetime) -> None:
    """A case whose every date lies on or before `last` (a meeting ending then)."""
    db = get_db()
    local = last.replace(tzinfo=None).isoformat()
    day = last.date().isoformat()
    db.execute(
        "INSERT INTO assignments (citizen_id, caseworker_id, valid_from) VALUES (?, ?, ?)",
        [citizen, caseworker, "2015-01-01"],
    )
    meeting = db.execute(
        "INSERT INTO meetings (citizen_id, caseworker_id, kind, starts_at, ends_at, updated_at) "
        "VALUES (?, ?, 'jobcenter-meeting', ?, ?, ?)",
        [citizen, caseworker, "2015-01-01T09:00:00", local, "2015-01-01T00:00:00Z"],
    ).lastrowid
    db.execute(
        "INSERT INTO meeting_feedback (meeting_id, understood, interpreting, next_known, "
        "free_text, created_at, updated_at) VALUES (?, 3, 'good', 3, '', ?, ?)",
        [meeting, "2015-01-01T00:00:00Z", "2015-01-01T00:00:00Z"],
    )
    decision = db.execute(
        "INSERT INTO decisions (citizen_id, caseworker_id, title, decided_on, received_on, "
        "appeal_deadline, updated_at) VALUES (?, ?, 'Afgørelse', ?, ?, ?, ?)",
        [citizen, caseworker, "2015-01-01", "2015-01-01", "2015-01-29", "2015-01-01T00:00:00Z"],
    ).lastrowid
    db.execute(
        "INSERT INTO explanation_requests (decision_id, created_at) VALUES (?, ?)",
        [decision, "2015-01-02T00:00:00Z"],
    )
    request = db.execute(
        "INSERT INTO interpreter_requests (reference, citizen_id, visit, starts_at, ends_at, "
        "language, mode, idempotency_key, created_at, updated_at) "
        "VALUES (?, ?, 'gp', ?, ?, 'ar', 'phone', ?, ?, ?)",
        [f"R{citizen}", citizen, "2015-01-01T09:00:00", "2015-01-01T10:00:00", f"k{citizen}"]
        + ["2015-01-01T00:00:00Z"] * 2,
    ).lastrowid
    db.execute(
        "INSERT INTO interpreter_request_events (request_id, status, at) VALUES (?, 'requested', ?)",
        [request, "2015-01-01T00:00:00Z"],
    )
    assert day  # the meeting's end is the latest date of the case


@pytest.fixture
def seeded(app):
    """One row just past and one just inside each default boundary, seen from NOW."""
    with app.app_context():
        db = get_db()
        db.execute("BEGIN")
        staff = add_user("cw", "caseworker")
        old, fresh = add_user("old"), add_user("fresh")
        for user, expires in (
            (old, NOW - datetime.timedelta(days=30) - SECOND),
            (fresh, NOW - datetime.timedelta(days=30) + SECOND),
        ):
            for purpose in ("activate", "helper"):
                db.execute(
                    "INSERT INTO activation_codes (user_id, purpose, code_hash, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    [user, purpose, f"{purpose}{user}", iso(expires)],
                )
        db.execute(
            "INSERT INTO pending_letters (citizen_id, issued_by, code, created_at) VALUES "
            "(?, ?, 'X', ?), (?, ?, 'Y', ?)",
            [
                old,
                staff,
                iso(NOW - datetime.timedelta(days=1) - SECOND),
                fresh,
                staff,
                iso(NOW - datetime.timedelta(days=1) + SECOND),
            ],
        )
        db.execute(
            "INSERT INTO login_failures (login, failures, last_failure_at) VALUES "
            "('old', 3, ?), ('fresh', 3, ?)",
            [
                iso(NOW - datetime.timedelta(hours=24) - SECOND),
                iso(NOW - datetime.timedelta(hours=24) + SECOND),
            ],
        )
        year_ago = NOW.replace(year=2025)
        for n, used in enumerate((year_ago - SECOND, year_ago + SECOND)):
            db.execute(
                "INSERT INTO known_devices (user_id, token_hash, created_at, last_used_at) "
                "VALUES (?, ?, ?, ?)",
                [old, f"t{n}", "2020-01-01T00:00:00+00:00", iso(used)],
            )
        add_case(old, staff, datetime.datetime(2021, 12, 4, 11, 59, 59))  # local time
        add_case(fresh, staff, datetime.datetime(2021, 12, 5, 0, 0, 0))
        # Answers after a meeting with free text, written just over and just under 12 months ago.
        for n, written in enumerate((year_ago - SECOND, year_ago + SECOND)):
            meeting = db.execute(
                "INSERT INTO meetings (citizen_id, caseworker_id, kind, starts_at, ends_at) "
                "VALUES (?, ?, 'jobcenter-meeting', '2026-11-01T09:00:00', '2026-11-01T10:00:00')",
                [add_user(f"writer{n}", created="2026-01-01T00:00:00Z"), staff],
            ).lastrowid
            db.execute(
                "INSERT INTO meeting_feedback (meeting_id, understood, interpreting, next_known, "
                "free_text, free_text_lang, created_at, updated_at) "
                "VALUES (?, 2, 'partly', 1, ?, 'ar', ?, ?)",
                [meeting, f"my words {n}", z(written), z(written)],
            )
        # Check-ins with free text, written just over and just under 12 months ago.
        for n, written in enumerate((year_ago - SECOND, year_ago + SECOND)):
            db.execute(
                "INSERT INTO checkins (citizen_id, period, life_better, help_mattered, "
                "working_together, need, free_text, free_text_lang, idempotency_key, created_at, "
                "updated_at) VALUES (?, '2025-Q4', 2, 2, 3, 'job', ?, 'so', ?, ?, ?)",
                [add_user(f"checker{n}", created="2026-01-01T00:00:00Z"), f"checkin words {n}",
                 f"c{n}", z(written), z(written)],
            )  # fmt: skip
        db.execute(
            "INSERT INTO language_requests (language, contact, asked_from, idempotency_key, "
            "created_at) VALUES ('Lingala', '+45 1', 'en', 'a', ?), ('Wolof', '+45 2', 'en', 'b', ?)",
            [z(year_ago - SECOND), z(year_ago + SECOND)],
        )
        db.execute(
            "INSERT INTO accessibility_reports (problem, contact, asked_from, idempotency_key, "
            "created_at) VALUES ('old problem', 'a@b', 'ar', 'a', ?), ('new problem', NULL, 'ti', "
            "'b', ?)",
            [z(year_ago - SECOND), z(year_ago + SECOND)],
        )
        db.execute(
            "INSERT INTO audit_log (action, at) VALUES ('ancient', '2000-01-01T00:00:00.000Z')"
        )
        db.execute("COMMIT")
        # make the writers' cases recent, so only the old case is closed
    return app


def snapshot() -> dict:
    return {
        "codes": count("SELECT count(*) FROM activation_codes"),
        "old codes": count(
            "SELECT count(*) FROM activation_codes WHERE code_hash LIKE '%' || "
            "(SELECT id FROM users WHERE login = 'old')"
        ),
        "letters": count("SELECT count(*) FROM pending_letters"),
        "failures": count("SELECT count(*) FROM login_failures"),
        "devices": count("SELECT count(*) FROM known_devices"),
        "texts": count("SELECT count(*) FROM meeting_feedback WHERE free_text != ''"),
        "checkin texts": count("SELECT count(*) FROM checkins WHERE free_text != ''"),
        "checkins": count("SELECT count(*) FROM checkins"),
        "scores": count("SELECT count(*) FROM meeting_feedback"),
        "contacts": count("SELECT count(*) FROM language_requests WHERE contact IS NOT NULL"),
        "language requests": count("SELECT count(*) FROM language_requests"),
        "meetings": count("SELECT count(*) FROM meetings"),
        "decisions": count("SELECT count(*) FROM decisions"),
        "explanations": count("SELECT count(*) FROM explanation_requests"),
        "requests": count("SELECT count(*) FROM interpreter_requests"),
        "events": count("SELECT count(*) FROM interpreter_request_events"),
        "audit": count("SELECT count(*) FROM audit_log"),
        "users": count("SELECT count(*) FROM users"),
    }


def test_dry_run_counts_what_is_due_and_changes_nothing(seeded):
    with seeded.app_context():
        before = snapshot()
        results = {r["rule"]: r["records"] for r in retention.run(now=NOW, dry_run=True)}
        assert snapshot() == before
    assert results == {
        "codes": 2,
        "letters": 1,
        "sign_in_failures": 1,
        "trusted_devices": 1,
        "feedback_text": 1,
        "checkin_text": 1,
        "language_request_contact": 1,
        "accessibility_reports": 1,
        "closed_cases": 1,
        "audit_log": 0,
    }


def test_run_deletes_exactly_the_rows_past_each_boundary(seeded):
    with seeded.app_context():
        before = snapshot()
        retention.run(now=NOW, batch=1)  # one row per transaction: the loop must still finish
        after = snapshot()
        db = get_db()
        assert after["codes"] == before["codes"] - 2
        assert {r[0] for r in db.execute("SELECT code_hash FROM activation_codes")} == {
            f"activate{db.execute('SELECT id FROM users WHERE login = ?', ['fresh']).fetchone()[0]}",
            f"helper{db.execute('SELECT id FROM users WHERE login = ?', ['fresh']).fetchone()[0]}",
        }
        assert [r[0] for r in db.execute("SELECT code FROM pending_letters")] == ["Y"]
        assert [r[0] for r in db.execute("SELECT login FROM login_failures")] == ["fresh"]
        assert [r[0] for r in db.execute("SELECT token_hash FROM known_devices")] == ["t1"]
        # The free text goes, the anonymous scores stay.
        assert [
            r[0] for r in db.execute("SELECT free_text FROM meeting_feedback WHERE free_text != ''")
        ] == ["my words 1"]
        assert after["scores"] == before["scores"] - 1  # only the old case's answer, with it
        assert [
            r[0] for r in db.execute("SELECT free_text FROM checkins WHERE free_text != ''")
        ] == ["checkin words 1"]
        assert after["checkins"] == before["checkins"]  # the choices stay
        assert [
            r[0] for r in db.execute("SELECT language FROM language_requests WHERE contact IS NULL")
        ] == ["Lingala"]
        assert after["language requests"] == before["language requests"]
        assert [r[0] for r in db.execute("SELECT problem FROM accessibility_reports")] == [
            "new problem"
        ]
        # The old case lost its meetings, decisions and requests and what hangs on them.
        old = db.execute("SELECT id FROM users WHERE login = 'old'").fetchone()[0]
        assert count("SELECT count(*) FROM meetings WHERE citizen_id = ?", old) == 0
        assert count("SELECT count(*) FROM decisions WHERE citizen_id = ?", old) == 0
        assert count("SELECT count(*) FROM interpreter_requests WHERE citizen_id = ?", old) == 0
        assert after["meetings"] == before["meetings"] - 1
        assert after["decisions"] == before["decisions"] - 1
        assert after["explanations"] == before["explanations"] - 1
        assert after["requests"] == before["requests"] - 1
        assert after["events"] == before["events"] - 1
        assert after["users"] == before["users"]  # accounts stay; erasure is a person's decision
        # The audit log is kept by default, and says what the job did by count only.
        rows = list(
            db.query("SELECT action, detail FROM audit_log WHERE action LIKE 'retention-%'")
        )
        assert {"retention-delete", "retention-anonymise", "retention-run"} == {
            r["action"] for r in rows
        }
        assert any(r["detail"].startswith("closed_cases: 1 (meetings 1,") for r in rows)
        assert not any("my words" in r["detail"] or "+45" in r["detail"] for r in rows)
        assert count("SELECT count(*) FROM audit_log WHERE action = 'ancient'") == 1
        # A second run finds nothing more to do.
        assert all(r["records"] == 0 for r in retention.run(now=NOW))


def test_periods_come_from_configuration(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "b.sqlite3"),
            "RETENTION_AUDIT_LOG": "10 years",
            "RETENTION_CODES": "never",
        }
    )
    with app.app_context():
        db = get_db()
        user = add_user("u")
        db.execute(
            "INSERT INTO activation_codes (user_id, purpose, code_hash, expires_at) "
            "VALUES (?, 'activate', 'h', '2001-01-01T00:00:00+00:00')",
            [user],
        )
        db.execute("INSERT INTO audit_log (action, at) VALUES ('old', '2016-12-04T11:59:59Z')")
        db.execute("INSERT INTO audit_log (action, at) VALUES ('new', '2016-12-04T12:00:01Z')")
        retention.run(now=NOW)
        assert count("SELECT count(*) FROM activation_codes") == 1
        actions = {r[0] for r in db.execute("SELECT action FROM audit_log")}
        assert "old" not in actions and "new" in actions
        # the log is append-only again afterwards
        with pytest.raises(Exception, match="append-only"):
            db.execute("DELETE FROM audit_log")


def test_a_mistyped_period_stops_start_up(tmp_path):
    with pytest.raises(ValueError, match="retention period"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "DATABASE": str(tmp_path / "c.sqlite3"),
                "RETENTION_CODES": "30 dayz",
            }
        )


def test_command_prints_what_it_did(seeded):
    runner = seeded.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert "audit_log: kept" in dry.output
    real = runner.invoke(args=["retention", "run"])
    assert real.exit_code == 0, real.output
    # Seen from today, every seeded code is past its period; the run does what the dry run said.
    assert "codes: deleted 4 (activation_codes 4) [after 30 days]" in real.output
    said = [line.split(" (")[0].split(" [")[0] for line in dry.output.splitlines()[:-1]]
    done = [line.split(" (")[0].split(" [")[0] for line in real.output.splitlines()]
    assert [
        s.replace("would ", "").replace("delete ", "deleted ").replace("anonymise ", "anonymised ")
        for s in said
    ] == done


@pytest.mark.parametrize(
    ("text", "now", "cutoff"),
    [
        ("12 months", "2026-03-31T10:00:00", "2025-03-31T10:00:00"),
        ("1 month", "2026-03-31T10:00:00", "2026-02-28T10:00:00"),
        ("1 year", "2028-02-29T10:00:00", "2027-02-28T10:00:00"),
        ("24 hours", "2026-03-31T10:00:00", "2026-03-30T10:00:00"),
    ],
)
def test_period_arithmetic(text, now, cutoff):
    moment = datetime.datetime.fromisoformat(now).replace(tzinfo=datetime.UTC)
    assert retention.Period.parse(text).cutoff(moment).isoformat()[:19] == cutoff


def test_every_table_with_personal_data_is_in_the_record_of_processing():
    from app.processing import ACTIVITIES, NOT_PERSONAL
    from app.records import CITIZEN_DATA, NOT_CITIZEN_DATA

    covered = {table for activity in ACTIVITIES for table in activity.tables}
    registry = set(CITIZEN_DATA) | set(NOT_CITIZEN_DATA)
    assert registry - covered - set(NOT_PERSONAL) == set()
    assert covered <= registry


def test_the_record_of_processing_names_every_table_of_the_schema_with_personal_data(app):
    """The one source: a new table fails here until app/processing.py (and so `privacy records`)
    names it, or it is declared to hold nothing about a person."""
    from app.processing import NOT_PERSONAL, record, tables_in_record

    with app.app_context():
        schema = {
            row[0]
            for row in get_db().execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'search_index_%'"
            )
        }
        missing = schema - tables_in_record() - set(NOT_PERSONAL)
        assert not missing, f"add these tables to an activity in app/processing.py: {missing}"
        listed = {cat["table"] for item in record()["activities"] for cat in item["categories"]}
    assert listed == tables_in_record()
    # Every retention rule deletes from tables the record lists.
    for rule in retention.RULES:
        assert rule.tables and set(rule.tables) <= listed, rule.name


def test_privacy_records_writes_markdown_and_csv(tmp_path):
    import csv

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "r.sqlite3"),
            "RETENTION_ACCESSIBILITY_REPORTS": "3 months",
        }
    )
    runner = app.test_cli_runner()
    markdown = runner.invoke(args=["privacy", "records"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output == runner.invoke(args=["retention", "report"]).output
    assert (
        "| accessibility_reports | anonymous 'something does not work' form, linked to nobody "
        "| accessibility_reports: delete after 3 months |" in markdown.output
    )
    target = tmp_path / "records.csv"
    result = runner.invoke(args=["privacy", "records", "--csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "activity",
        "purpose",
        "legal_basis",
        "data_subjects",
        "recipients",
        "table",
        "holds",
        "retention",
    ]
    by_table = {row["table"]: row for row in rows}
    assert by_table["known_devices"]["retention"] == "trusted_devices: delete after 1 year"
    assert by_table["meetings"]["activity"] == "Citizens' overview of their own case"
    assert by_table["accessibility_reports"]["recipients"] == "The coordinator"
    assert all(row["purpose"] and row["data_subjects"] and row["recipients"] for row in rows)


def test_report_lists_activities_with_periods_from_configuration(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "r.sqlite3"),
            "RETENTION_TRUSTED_DEVICES": "6 months",
        }
    )
    result = app.test_cli_runner().invoke(args=["retention", "report"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Record of processing activities" in out
    assert "## 2. Interpreter requests and bookings" in out
    assert (
        "| known_devices | devices_signed_in_from | trusted_devices: delete after 6 months |" in out
    )
    assert "| meetings | meetings | closed_cases: delete after 5 years |" in out
    assert "audit_log: kept" in out
    assert "controller's details below are examples" in out


EXPECTED_PER_RULE = {
    "codes": 2,
    "letters": 1,
    "sign_in_failures": 1,
    "trusted_devices": 1,
    "feedback_text": 1,
    "checkin_text": 1,
    "language_request_contact": 1,
    "accessibility_reports": 1,
    "closed_cases": 1,
    "audit_log": 0,
}


@pytest.mark.parametrize(("rule", "due"), EXPECTED_PER_RULE.items())
def test_each_kind_with_the_clock_frozen_due_rows_go_and_a_second_run_does_nothing(
    seeded, rule, due
):
    """Per kind of record, the job run with the app's own clock stopped at NOW (no `now=`)."""
    from app import clock

    assert set(EXPECTED_PER_RULE) == set(retention.BY_NAME)  # a new rule needs a line here
    with seeded.app_context(), clock.frozen(NOW):
        first = {r["rule"]: r["records"] for r in retention.run()}
        second = {r["rule"]: r["records"] for r in retention.run()}
    assert first[rule] == due
    assert second[rule] == 0


def test_evaluation_figures_are_the_same_after_the_free_text_is_removed(app):
    """The anonymous report counts the answers, never the words: emptying old free text changes
    no figure in it (a group of 6, so nothing is suppressed)."""
    from app import answers, clock

    with app.app_context():
        db = get_db()
        staff = add_user("cw2", "caseworker")
        written = NOW.replace(year=2025) - datetime.timedelta(days=2)  # over 12 months ago
        for n in range(6):
            citizen = add_user(f"answerer{n}", created="2025-11-01T00:00:00Z")
            meeting = db.execute(
                "INSERT INTO meetings (citizen_id, caseworker_id, kind, starts_at, ends_at) VALUES "
                "(?, ?, 'jobcenter-meeting', '2025-11-20T09:00:00', '2025-11-20T10:00:00')",
                [citizen, staff],
            ).lastrowid
            db.execute(
                "INSERT INTO meeting_feedback (meeting_id, understood, interpreting, next_known, "
                "free_text, free_text_lang, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'ar', ?, ?)",
                [
                    meeting,
                    1 + n % 3,
                    ("good", "partly", "family")[n % 3],
                    3 - n % 3,
                    f"words {n}",
                    z(written),
                    z(written),
                ],
            )
        before = answers.report()
        assert before["total"] == 6 and not before["groups"][0]["suppressed"]
        with clock.frozen(NOW):
            results = {r["rule"]: r["records"] for r in retention.run()}
        assert results["feedback_text"] == 6 and results["closed_cases"] == 0
        assert count("SELECT count(*) FROM meeting_feedback WHERE free_text != ''") == 0
        assert count("SELECT count(*) FROM meeting_feedback WHERE free_text_lang IS NOT NULL") == 0
        assert answers.report() == before
        with clock.frozen(NOW):
            assert all(r["records"] == 0 for r in retention.run())
        assert answers.report() == before


def test_a_run_leaves_one_row_even_when_nothing_was_due_and_a_dry_run_none(app):
    with app.app_context():
        assert retention.last_run() is None
        retention.run(now=NOW, dry_run=True)
        assert retention.last_run() is None
        retention.run(now=NOW)
        retention.run(now=NOW)
        runs = count("SELECT count(*) FROM audit_log WHERE action = 'retention-run'")
        last = retention.last_run()
    assert runs == 2
    assert last["at"].date() >= datetime.date(2026, 1, 1)
    assert "closed_cases 0" in last["detail"]


def test_the_deletion_date_shown_to_staff_is_the_day_the_job_deletes_the_case(seeded):
    """One rule: the job leaves the case alone the day before the date and deletes it that day."""
    with seeded.app_context():
        db = get_db()
        fresh = db.execute("SELECT id FROM users WHERE login = 'fresh'").fetchone()[0]
        staff_only = db.execute("SELECT id FROM users WHERE login = 'cw'").fetchone()[0]
        # The fresh case ends 2021-12-05T00:00:00 (local text), so 5 years on is midnight
        # 2026-12-05: the first run after that is that same day.
        day = retention.case_deleted_on(fresh)
        assert day == datetime.date(2026, 12, 5)
        assert retention.case_deleted_on(staff_only) is None  # no case records
        meetings = "SELECT count(*) FROM meetings WHERE citizen_id = ?"
        before = datetime.datetime.combine(day, datetime.time(23, 59, 59)) - datetime.timedelta(1)
        retention.run(now=before.replace(tzinfo=datetime.UTC))
        assert count(meetings, fresh) == 1
        retention.run(now=datetime.datetime.combine(day, datetime.time(2, 30), datetime.UTC))
        assert count(meetings, fresh) == 0
        assert retention.case_deleted_on(fresh) is None  # nothing left to delete


def test_no_deletion_date_when_cases_are_kept(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE": str(tmp_path / "k.sqlite3"),
            "RETENTION_CLOSED_CASES": "never",
        }
    )
    with app.app_context():
        citizen, staff = add_user("k"), add_user("s", "caseworker")
        add_case(citizen, staff, datetime.datetime(2021, 1, 1, 10, 0))
        assert retention.case_deleted_on(citizen) is None
    app2 = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "k.sqlite3")})
    with app2.app_context():
        assert retention.case_deleted_on(citizen) == datetime.date(2026, 1, 2)
