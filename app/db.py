"""The only place that opens SQLite: connections, pragmas, migrations and the db commands."""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click
import sqlite_utils
from flask import Flask, current_app, g
from flask.cli import with_appcontext

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",  # erased personal data is overwritten, not left in free pages
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = FULL",
)


def connect(path: str) -> sqlite_utils.Database:
    """Open the database file in WAL mode with Bro's pragmas."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit transactions; we open them ourselves
    # (db.atomic() or immediate()) so a write is never left half-done.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        conn.execute(pragma)
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    return sqlite_utils.Database(conn)


def get_db() -> sqlite_utils.Database:
    """The request's database connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def query_one(sql: str, params: Iterable = ()) -> dict | None:
    """The first row of a query as a dict, or None when there is none."""
    return next(iter(get_db().query(sql, params)), None)


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextlib.contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the lock before it reads (BEGIN IMMEDIATE).

    Inside another transaction it becomes a SAVEPOINT, so one action can wrap several query
    functions that each use it: everything commits together, or nothing does.
    """
    if db.conn.in_transaction:
        name = f"nested_{id(db)}_{_depth(db)}"
        db.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            db.execute(f"ROLLBACK TO {name}")
            db.execute(f"RELEASE {name}")
            raise
        else:
            db.execute(f"RELEASE {name}")
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")


def _depth(db: sqlite_utils.Database) -> int:
    """A counter per connection, so nested savepoints get distinct names."""
    depth = getattr(db, "_bro_savepoints", 0) + 1
    db._bro_savepoints = depth
    return depth


# --- migrations -------------------------------------------------------------------------
# Each migration runs once, in order, inside one transaction; PRAGMA user_version records
# how many have run. Never edit a migration that has shipped: add a new one.

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    MIGRATIONS.append(fn)
    return fn


@migration
def _001_users_and_audit(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            login TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('citizen', 'helper', 'caseworker', 'coordinator')),
            lang TEXT NOT NULL DEFAULT 'da',
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            actor_id INTEGER,
            action TEXT NOT NULL,
            subject_id INTEGER,
            detail TEXT
        );
        CREATE INDEX audit_log_subject ON audit_log (subject_id, at);
        CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


@migration
def _002_search(db: sqlite_utils.Database) -> None:
    # The search index is derived from content/ and rebuilt when the content changes.
    db.executescript(
        """
        CREATE TABLE content_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE VIRTUAL TABLE search_index USING fts5 (
            lang UNINDEXED, kind UNINDEXED, slug UNINDEXED, anchor UNINDEXED,
            doc_title UNINDEXED, heading UNINDEXED, body UNINDEXED,
            title_norm, body_norm,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


@migration
def _003_language_requests(db: sqlite_utils.Database) -> None:
    # "My language is missing": no personal data required; contact is optional.
    db.executescript(
        """
        CREATE TABLE language_requests (
            id INTEGER PRIMARY KEY,
            language TEXT NOT NULL,
            contact TEXT,
            asked_from TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """
    )


@migration
def _004_citizens_meetings_decisions(db: sqlite_utils.Database) -> None:
    # The personal side. Store the minimum: no CPR number, no health details.
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE users ADD COLUMN last_seen_at TEXT;
        CREATE TABLE staff_profiles (
            user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            phone TEXT, email TEXT, office_hours TEXT,
            languages TEXT NOT NULL DEFAULT '',          -- prefixes, space separated
            substitute_id INTEGER REFERENCES users (id),
            absent_from TEXT, absent_to TEXT             -- ISO dates, inclusive
        );
        CREATE TABLE citizens (
            user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            interpreter_language TEXT,                   -- a prefix, e.g. prs
            interpreter_dialect TEXT,
            phone TEXT
        );
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            caseworker_id INTEGER NOT NULL REFERENCES users (id),
            valid_from TEXT NOT NULL,
            valid_to TEXT,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX assignments_current ON assignments (citizen_id) WHERE valid_to IS NULL;
        CREATE INDEX assignments_caseworker ON assignments (caseworker_id, valid_to);
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            caseworker_id INTEGER REFERENCES users (id),
            kind TEXT NOT NULL,                          -- a meeting guide's slug
            starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,   -- local time, ISO
            place TEXT, address TEXT, video_url TEXT,
            purpose TEXT NOT NULL DEFAULT '',
            interpreter_needed INTEGER NOT NULL DEFAULT 0,
            interpreter_language TEXT,
            status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX meetings_citizen ON meetings (citizen_id, starts_at);
        CREATE INDEX meetings_caseworker ON meetings (caseworker_id, starts_at);
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            caseworker_id INTEGER REFERENCES users (id),
            title TEXT NOT NULL, area TEXT NOT NULL DEFAULT '',
            decided_on TEXT NOT NULL, received_on TEXT NOT NULL, appeal_deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'appealed', 'closed')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX decisions_citizen ON decisions (citizen_id, appeal_deadline);
        CREATE TABLE explanation_requests (
            id INTEGER PRIMARY KEY,
            decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
            requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            read_at TEXT
        );
        CREATE UNIQUE INDEX explanation_once ON explanation_requests (decision_id) WHERE read_at IS NULL;
        CREATE TABLE checklist_ticks (
            meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            ticked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (meeting_id, item)
        );
        CREATE TABLE activation_codes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            purpose TEXT NOT NULL CHECK (purpose IN ('activate', 'helper')),
            code_hash TEXT NOT NULL UNIQUE,              -- sha256 of a 80-bit random code
            expires_at TEXT NOT NULL,
            used_at TEXT,
            scope TEXT,                                  -- helper invitations: JSON of the scope
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE helpers (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            helper_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            can_see INTEGER NOT NULL DEFAULT 1,
            can_request_interpreter INTEGER NOT NULL DEFAULT 0,
            expires_on TEXT NOT NULL,
            revoked_at TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX helpers_helper ON helpers (helper_id);
        CREATE INDEX helpers_citizen ON helpers (citizen_id);
        CREATE TABLE interpreters (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            languages TEXT NOT NULL,                     -- prefixes, space separated
            dialects TEXT NOT NULL DEFAULT '',
            certification TEXT NOT NULL CHECK (certification IN
                ('state-authorised', 'trained-exam', 'tested', 'none')),
            modes TEXT NOT NULL DEFAULT 'in-person',     -- in-person video phone
            gender TEXT, fields TEXT NOT NULL DEFAULT '',
            phone TEXT, email TEXT,
            active INTEGER NOT NULL DEFAULT 1
        );
        """
    )


@migration
def _005_login_failures(db: sqlite_utils.Database) -> None:
    # Failed sign-ins per login id, for lock-outs that grow with each further failure.
    db.executescript(
        """
        CREATE TABLE login_failures (
            login TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            locked_until TEXT
        );
        """
    )


@migration
def _006_pseudonymous_audit(db: sqlite_utils.Database) -> None:
    # The audit log names people by a random audit number, not their user id. Erasing a person
    # deletes the only link from that number to them; the audit rows stay, now pseudonymous.
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN audit_id INTEGER;
        UPDATE users SET audit_id = abs(random());
        CREATE UNIQUE INDEX users_audit_id ON users (audit_id);
        CREATE TRIGGER users_audit_id AFTER INSERT ON users WHEN NEW.audit_id IS NULL
        BEGIN UPDATE users SET audit_id = abs(random()) WHERE id = NEW.id; END;
        DROP TRIGGER audit_log_no_update;
        UPDATE audit_log SET
            actor_id = (SELECT audit_id FROM users WHERE users.id = audit_log.actor_id),
            subject_id = (SELECT audit_id FROM users WHERE users.id = audit_log.subject_id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


@migration
def _007_interpreter_requests(db: sqlite_utils.Database) -> None:
    # A request names who, when, which language and mode; booking names a certified interpreter.
    db.executescript(
        """
        CREATE TABLE interpreter_requests (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
            visit TEXT CHECK (visit IN ('meeting', 'gp', 'dentist')),
            starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,   -- Danish local time
            place TEXT,
            language TEXT NOT NULL, dialect TEXT,
            mode TEXT NOT NULL CHECK (mode IN ('in-person', 'video', 'phone')),
            gender TEXT CHECK (gender IN ('f', 'm')),
            note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'requested'
                CHECK (status IN ('requested', 'booked', 'done', 'cancelled')),
            interpreter_id INTEGER REFERENCES interpreters (id),
            video_url TEXT,
            cancel_reason TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX interpreter_requests_citizen ON interpreter_requests (citizen_id, starts_at);
        CREATE INDEX interpreter_requests_open ON interpreter_requests (status, starts_at);
        CREATE INDEX interpreter_bookings ON interpreter_requests (interpreter_id, starts_at)
            WHERE status = 'booked';
        CREATE UNIQUE INDEX one_open_request_per_meeting ON interpreter_requests (meeting_id)
            WHERE meeting_id IS NOT NULL AND status IN ('requested', 'booked');
        CREATE TABLE interpreter_request_events (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES interpreter_requests (id) ON DELETE CASCADE,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            status TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX interpreter_request_events_request ON interpreter_request_events (request_id, at);
        """
    )


@migration
def _008_feedback(db: sqlite_utils.Database) -> None:
    # The citizen's own voice after a meeting, and anonymous "was this guide helpful?".
    db.executescript(
        """
        CREATE TABLE meeting_feedback (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
            answered_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            understood INTEGER NOT NULL CHECK (understood BETWEEN 1 AND 3),
            interpreting TEXT NOT NULL
                CHECK (interpreting IN ('good', 'partly', 'poor', 'none', 'family')),
            next_known INTEGER NOT NULL CHECK (next_known BETWEEN 1 AND 3),
            free_text TEXT NOT NULL DEFAULT '',
            free_text_lang TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE guide_feedback (
            id INTEGER PRIMARY KEY,
            lang TEXT NOT NULL,
            slug TEXT NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            missing TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX guide_feedback_guide ON guide_feedback (slug, lang);
        """
    )


@migration
def _009_passkeys(db: sqlite_utils.Database) -> None:
    # Passkeys (WebAuthn): sign in with the phone's screen lock. Only the public key is stored.
    db.executescript(
        """
        CREATE TABLE passkeys (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            credential_id BLOB NOT NULL UNIQUE,
            public_key BLOB NOT NULL,
            sign_count INTEGER NOT NULL DEFAULT 0,
            transports TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            last_used_at TEXT
        );
        CREATE INDEX passkeys_user ON passkeys (user_id);
        ALTER TABLE users ADD COLUMN webauthn_handle BLOB;
        """
    )


@migration
def _010_sign_in_throttle(db: sqlite_utils.Database) -> None:
    # Failures are forgotten after a quiet day; devices that signed in before pass a lock-out.
    db.executescript(
        """
        ALTER TABLE login_failures ADD COLUMN last_failure_at TEXT;
        CREATE TABLE known_devices (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            failures INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );
        CREATE INDEX known_devices_user ON known_devices (user_id);
        """
    )


@migration
def _011_letters_and_access_resets(db: sqlite_utils.Database) -> None:
    # A new letter's code waits here, server-side, until the letter is shown once (never in a
    # cookie); access_reset_at tells the citizen, once, that staff reset their access.
    db.executescript(
        """
        CREATE TABLE pending_letters (
            citizen_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
            issued_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        ALTER TABLE users ADD COLUMN access_reset_at TEXT;
        """
    )


@migration
def _012_one_timestamp_format(db: sqlite_utils.Database) -> None:
    # Python once wrote some timestamps as 2026-12-04T19:30:00+00:00; SQLite's defaults and
    # clock.stamp() write 2026-12-04T19:30:00Z. One format, so stored times compare as text.
    columns = {
        "activation_codes": ("expires_at", "used_at"),
        "pending_letters": ("created_at",),
        "login_failures": ("locked_until", "last_failure_at"),
        "known_devices": ("created_at", "last_used_at"),
        "users": ("access_reset_at",),
    }
    for table, names in columns.items():
        for name in names:
            db.execute(
                f"UPDATE {table} SET {name} = substr({name}, 1, 19) || 'Z' "
                f"WHERE {name} LIKE '%+00:00'"
            )


@migration
def _013_decision_area_and_outcome(db: sqlite_utils.Database) -> None:
    # A decision is an area + an outcome (decision_kinds.py), so the citizen reads its heading in
    # their own language; the letter's Danish title stays beside it. `committee`: decided by the
    # children and young people committee, so a complaint goes straight to Ankestyrelsen.
    db.execute("ALTER TABLE decisions ADD COLUMN outcome TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE decisions ADD COLUMN committee INTEGER NOT NULL DEFAULT 0")
    # The area was free Danish text; the words the demo and early users typed become their key,
    # anything else typed becomes 'other' (its words are still in the letter's title).
    known = {
        "ydelse": "benefit",
        "kontanthjælp": "benefit",
        "sociale ydelser": "health-aid",
        "beskæftigelse": "programme",
        "bolig": "housing",
        "børn og familie": "children-family",
    }
    for row in db.execute("SELECT DISTINCT area FROM decisions WHERE area != ''").fetchall():
        key = known.get(row[0].strip().lower(), "other")
        db.execute("UPDATE decisions SET area = ? WHERE area = ?", [key, row[0]])
    # A deadline on a Saturday, Sunday or public holiday moves to the next working day.
    from .clock import next_working_day  # core to core; imported here to keep db.py's top small

    for row in db.execute("SELECT id, appeal_deadline FROM decisions").fetchall():
        stored = datetime.date.fromisoformat(row[1])
        if next_working_day(stored) != stored:
            db.execute(
                "UPDATE decisions SET appeal_deadline = ? WHERE id = ?",
                [next_working_day(stored).isoformat(), row[0]],
            )


@migration
def _014_meeting_purposes(db: sqlite_utils.Database) -> None:
    # A meeting's purposes are ids from app/meeting_catalogue.py, so the citizen reads them in
    # their language; meetings.purpose stays as the caseworker's optional Danish free text.
    db.executescript(
        """
        CREATE TABLE meeting_purposes (
            meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
            purpose_id TEXT NOT NULL,
            PRIMARY KEY (meeting_id, purpose_id)
        );
        """
    )


@migration
def _015_meeting_agreements(db: sqlite_utils.Database) -> None:
    # What was agreed after a meeting: steps from app/meeting_catalogue.py, who does each and by
    # when; agreement_note is the caseworker's optional Danish free text beside them.
    db.executescript(
        """
        CREATE TABLE meeting_agreements (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            who TEXT NOT NULL CHECK (who IN ('you', 'we', 'both')),
            due_on TEXT                                  -- ISO date, optional
        );
        CREATE INDEX meeting_agreements_meeting ON meeting_agreements (meeting_id, position);
        ALTER TABLE meetings ADD COLUMN agreement_note TEXT NOT NULL DEFAULT '';
        """
    )


@migration
def _016_accessibility_reports(db: sqlite_utils.Database) -> None:
    # "Something does not work": anonymous, like language_requests; the retention rule
    # accessibility_reports deletes each one after its period.
    db.executescript(
        """
        CREATE TABLE accessibility_reports (
            id INTEGER PRIMARY KEY,
            page TEXT NOT NULL DEFAULT '',
            problem TEXT NOT NULL,
            contact TEXT,
            asked_from TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """
    )


@migration
def _017_written_translations(db: sqlite_utils.Database) -> None:
    # A citizen asks for a caseworker's Danish words in their own language; a person answers.
    # `danish` keeps the words as they were when asked: if the caseworker changes them later,
    # the translation no longer fits and the citizen sees the Danish again (and may ask again).
    # A hand-over's reason becomes a choice from a translated list (reason_id); `reason` stays
    # as the caseworker's optional Danish words.
    db.executescript(
        """
        CREATE TABLE translation_requests (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            source TEXT NOT NULL
                CHECK (source IN ('meeting-purpose', 'meeting-agreements', 'handover')),
            object_id INTEGER NOT NULL,
            lang TEXT NOT NULL,
            danish TEXT NOT NULL,
            requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            requested_at TEXT NOT NULL,
            translation TEXT,
            translated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            translated_at TEXT,
            UNIQUE (citizen_id, source, object_id, lang, danish)
        );
        CREATE INDEX translation_requests_open ON translation_requests (translated_at, requested_at);
        ALTER TABLE assignments ADD COLUMN reason_id TEXT NOT NULL DEFAULT '';
        """
    )


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations this database has not seen; return the new version."""
    with immediate(db):
        version = schema_version(db)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    return schema_version(db)


def audit(
    actor_id: int | None, action: str, subject_id: int | None = None, detail: str = ""
) -> None:
    """Append one line to the audit log; people are stored by their audit number (see 006)."""
    get_db().execute(
        "INSERT INTO audit_log (actor_id, action, subject_id, detail) VALUES ("
        "(SELECT audit_id FROM users WHERE id = ?), ?, "
        "(SELECT audit_id FROM users WHERE id = ?), ?)",
        (actor_id, action, subject_id, detail),
    )


def health() -> dict:
    """The database's state for /healthz; raises when it cannot be read."""
    db = get_db()
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return {
        "ok": True,
        "schema_version": schema_version(db),
        "schema_expected": len(MIGRATIONS),
        "journal_mode": db.execute("PRAGMA journal_mode").fetchone()[0],
    }


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it to the latest schema."""
    db = connect(current_app.config["DATABASE"])
    version = migrate(db)
    click.echo(f"Database {current_app.config['DATABASE']} at schema version {version}.")


def backup_to(path: str) -> int:
    """Copy the live database to `path` with SQLite's online backup API; returns its pages.

    Safe while Bro serves requests: the copy is a consistent snapshot of one moment.
    """
    source = connect(current_app.config["DATABASE"])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(path)
    try:
        source.conn.backup(target)
        pages = target.execute("PRAGMA page_count").fetchone()[0]
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException("the backup failed its integrity check")
    finally:
        target.close()
        source.close()
    return pages


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH (safe while Bro runs)."""
    pages = backup_to(path)
    click.echo(
        f"Backed up {current_app.config['DATABASE']} to {path} ({pages} pages, integrity ok)."
    )


@click.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask: replace the database.")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Replace the database with the backup at PATH. Stop Bro first."""
    backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException(f"{path} is damaged; nothing was changed")
        if not yes:
            click.confirm(f"Replace {current_app.config['DATABASE']} with {path}?", abort=True)
        target = connect(current_app.config["DATABASE"])
        try:
            backup.backup(target.conn)
        finally:
            target.close()
    finally:
        backup.close()
    click.echo(f"Restored {current_app.config['DATABASE']} from {path}.")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    # Bring the schema up to date at start so a new release never serves an old schema.
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.close()


# --- migrations added after the commands above (they run in the order they are defined) -----


@migration
def _018_checkins(db: sqlite_utils.Database) -> None:
    # The check-in every quarter in the citizen's own voice (one answer per citizen and period;
    # a second is an update), the caseworker's view of the same period (shown to the citizen only
    # when shared), what the municipality changed because of the answers (published), and each
    # published quarter's counts, kept as they were published (public_report.py).
    db.executescript(
        """
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            period TEXT NOT NULL,                        -- calendar quarter, e.g. 2026-Q4
            life_better INTEGER NOT NULL CHECK (life_better BETWEEN 1 AND 3),
            help_mattered INTEGER NOT NULL CHECK (help_mattered BETWEEN 1 AND 3),
            working_together INTEGER NOT NULL CHECK (working_together BETWEEN 1 AND 3),
            need TEXT NOT NULL CHECK (need IN
                ('job', 'danish', 'housing', 'health', 'children', 'money', 'talk', 'other')),
            free_text TEXT NOT NULL DEFAULT '',
            free_text_lang TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (citizen_id, period)
        );
        CREATE INDEX checkins_period ON checkins (period);
        CREATE TABLE caseworker_views (
            id INTEGER PRIMARY KEY,
            citizen_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            written_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            aim TEXT NOT NULL,                           -- keys of app/checkins.py
            effect TEXT NOT NULL,
            next_step TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',               -- the caseworker's Danish words
            shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (citizen_id, period)
        );
        CREATE TABLE evaluation_changes (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,                        -- the quarter whose answers led to it
            tag TEXT NOT NULL,                           -- keys of public_report.CHANGE_TAGS
            text_da TEXT NOT NULL,
            written_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX evaluation_changes_period ON evaluation_changes (period);
        CREATE TABLE report_figures (                -- a quarter's counts as published
            period TEXT NOT NULL,
            measure TEXT NOT NULL,
            answer TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (period, measure, answer)
        );
        """
    )
