"""The demo municipality: fictional people only, with logins printed for a first look."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .auth import hasher
from .db import connect, migrate

# Obviously fictional: every surname is "Demo" or "Eksempel" ("example").
STAFF = [
    ("coordinator", "coordinator", "Karen Eksempel", "da"),
    ("caseworker", "caseworker1", "Mette Demo", "da"),
    ("caseworker", "caseworker2", "Jonas Eksempel", "da"),
    ("caseworker", "caseworker3", "Sara Demo", "en"),
]
CITIZENS = [
    ("da", "Lars Demo"),
    ("en", "Grace Demo"),
    ("ar", "Amal Demo"),
    ("fa", "Shirin Demo"),
    ("prs", "Farid Demo"),
    ("ps", "Gul Demo"),
    ("ckb", "Shilan Demo"),
    ("kmr", "Rojda Demo"),
    ("so", "Hodan Demo"),
    ("ti", "Selam Demo"),
    ("tr", "Elif Demo"),
    ("uk", "Olena Demo"),
]


_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


def logins_path(app: Flask) -> Path:
    """demo-logins.json lives beside the database file."""
    return Path(app.config["DATABASE"]).resolve().parent / "demo-logins.json"


def seed_demo(app: Flask) -> list[dict] | None:
    """Fill an empty database with the demo municipality; None when it already has people."""
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
        if db.execute("SELECT count(*) FROM users").fetchone()[0]:
            return None
        logins = []
        with db.atomic():
            for role, login, name, lang in STAFF:
                logins.append(_add_user(db, role, login, name, lang))
            for number, (lang, name) in enumerate(CITIZENS, start=1):
                logins.append(_add_user(db, "citizen", f"citizen{number:02d}", name, lang))
        path = logins_path(app)
        path.write_text(json.dumps(logins, ensure_ascii=False, indent=2) + "\n")
        path.chmod(0o600)
        return logins
    finally:
        db.close()


def _add_user(db, role: str, login: str, name: str, lang: str) -> dict:
    password = "demo-" + "".join(secrets.choice(_ALPHABET) for _ in range(12))
    db["users"].insert(
        {
            "login": login,
            "name": name,
            "role": role,
            "lang": lang,
            "password_hash": hasher.hash(password),
        }
    )
    return {"role": role, "login": login, "password": password, "name": name, "lang": lang}


def print_logins(app: Flask) -> None:
    path = logins_path(app)
    if not path.exists():
        click.echo("No demo logins (this database was not seeded with the demo).")
        return
    logins = json.loads(path.read_text())
    click.echo(f"Demo logins (also in {path}):")
    for entry in logins:
        click.echo(
            f"  {entry['role']:<12} {entry['login']:<13} {entry['password']:<18} "
            f"{entry['name']} ({entry['lang']})"
        )


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Seed the demo municipality if the database is empty, then print the demo logins."""
    app = current_app._get_current_object()
    if seed_demo(app) is None:
        click.echo("The database already holds people; the demo was not seeded again.")
    print_logins(app)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
