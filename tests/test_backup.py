"""Backups are consistent while writes go on, and a restore brings back every acknowledged write."""

import sqlite3
import threading
import time

from app.db import connect


def test_backup_under_write_load_and_restore(app, tmp_path):
    path = app.config["DATABASE"]
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer():
        db = connect(path)
        n = 0
        while not stop.is_set():
            key = f"soak-{n:06d}"
            db.execute(
                "INSERT INTO language_requests (language, asked_from, idempotency_key) VALUES (?, ?, ?)",
                ["Lingala", "da", key],
            )
            acknowledged.append(key)  # the insert has committed: a user would have seen "thank you"
            n += 1
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + 60  # wait on the writer, with a deadline, never for ever
    try:
        while len(acknowledged) < 10:
            assert time.monotonic() < deadline, "the writer stopped before 10 writes"
            time.sleep(0.05)
        before_backup = list(acknowledged)
        backup = tmp_path / "backup" / "bro.sqlite3"
        result = app.test_cli_runner().invoke(args=["backup", str(backup)])
        while len(acknowledged) <= len(before_backup) + 3:
            assert time.monotonic() < deadline, "the writer stopped during the backup"
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert len(before_backup) >= 10  # the writer really was busy

    saved = {
        row[0]
        for row in sqlite3.connect(backup).execute("SELECT idempotency_key FROM language_requests")
    }
    assert set(before_backup) <= saved  # nothing acknowledged before the backup is missing
    assert len(acknowledged) > len(before_backup)

    # Restore over a database that has since changed: the backup's rows come back exactly.
    connect(path).execute("DELETE FROM language_requests")
    restored = app.test_cli_runner().invoke(args=["restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    rows = {
        row[0] for row in connect(path).execute("SELECT idempotency_key FROM language_requests")
    }
    assert rows == saved
    assert connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_damaged_file(app, tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = app.test_cli_runner().invoke(args=["restore", str(broken), "--yes"])
    assert result.exit_code != 0
