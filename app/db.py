"""The only place that opens SQLite: connections, pragmas, migrations and the db commands."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import sqlite_utils
from flask import Flask, current_app, g
from flask.cli import with_appcontext

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
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


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


@contextlib.contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the lock before it reads (BEGIN IMMEDIATE)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")


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
    """Append one line to the audit log."""
    get_db().execute(
        "INSERT INTO audit_log (actor_id, action, subject_id, detail) VALUES (?, ?, ?, ?)",
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


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    # Bring the schema up to date at start so a new release never serves an old schema.
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.close()
