"""The gettext catalogs: what is untranslated, per locale, and the English source catalog."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po
from flask import current_app
from flask.cli import AppGroup

from .languages import LANGUAGES

SOURCE_LOCALE = "en"  # msgids are English; its catalog repeats them


def translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


STAFF_LOCALES = ("da", "en")  # staff screens must exist in Danish and English at least


def is_staff_file(filename: str) -> bool:
    """Staff-only screens live in app/staff/, templates/staff/ and files named staff_*."""
    path = Path(filename).as_posix()
    return path.startswith(("templates/staff/", "app/staff/")) or Path(path).name.startswith(
        "staff"
    )


def extract(root: Path, audience: str = "all") -> set[str]:
    """The msgids in the code and templates now: "citizen"-facing, "staff"-only, or "all"."""
    method_map = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found: dict[str, bool] = {}  # msgid → used on a citizen-facing screen
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, keywords=keywords, options_map={"templates/**.html": {}}
    ):
        msgid = _key(message)
        if not msgid:
            continue
        found[msgid] = found.get(msgid, False) or not is_staff_file(filename)
    if audience == "citizen":
        return {m for m, citizen in found.items() if citizen}
    if audience == "staff":
        return {m for m, citizen in found.items() if not citizen}
    return set(found)


def wanted_for(locale: str, root: Path) -> set[str]:
    """What a locale's catalog must translate: everything in Danish and English, else citizen strings."""
    return extract(root, "all" if locale in STAFF_LOCALES else "citizen")


def _key(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def untranslated(catalog_path: Path, wanted: set[str]) -> list[str]:
    """msgids of `wanted` that the catalog lacks, leaves empty or marks fuzzy."""
    catalog = read_catalog(catalog_path)
    done = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            done.add(_key(message.id))
    return sorted(wanted - done)


def screen_text_counts(catalog_path: Path, wanted: set[str]) -> dict[str, int]:
    """Of the strings `wanted`: how many the catalog translates, marks fuzzy (a translation that
    needs checking, never shown) or lacks. Fuzzy and untranslated strings show in English."""
    fuzzy: set[str] = set()
    done: set[str] = set()
    if catalog_path.exists():
        for message in read_catalog(catalog_path):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy and any(strings):
                fuzzy.add(_key(message.id))
            elif not message.fuzzy and all(strings):
                done.add(_key(message.id))
    return {
        "total": len(wanted),
        "translated": len(wanted & done),
        "fuzzy": len(wanted & fuzzy),
        "untranslated": len(wanted - done - fuzzy),
    }


def citizen_screen_texts(root: Path, translations: Path) -> dict[str, dict[str, int]]:
    """Per locale: the counts of `screen_text_counts` for the citizen-facing strings."""
    wanted = extract(root, "citizen")
    return {
        lang.locale: screen_text_counts(
            translations / lang.locale / "LC_MESSAGES" / "messages.po", wanted
        )
        for lang in LANGUAGES
    }


def fill_source_catalog(path: Path) -> int:
    """Make the English catalog say what the msgids say; returns how many were filled."""
    catalog = read_catalog(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return filled


translations_cli = AppGroup("translations", help="Report on and prepare the gettext catalogs.")


@translations_cli.command("report")
def report_command() -> None:
    """Untranslated strings per locale (exit 1 if any)."""
    root = Path(current_app.root_path).parent
    missing_any = False
    for lang in LANGUAGES:
        wanted = wanted_for(lang.locale, root)
        path = translations_dir() / lang.locale / "LC_MESSAGES" / "messages.po"
        missing = untranslated(path, wanted) if path.exists() else sorted(wanted)
        missing_any |= bool(missing)
        click.echo(f"{lang.locale:<6} {len(wanted) - len(missing):>4}/{len(wanted)} translated")
        for msgid in missing[:5]:
            click.echo(f"         missing: {msgid[:70]!r}")
    if missing_any:
        raise SystemExit(1)


@translations_cli.command("fill-source")
def fill_source_command() -> None:
    """Copy msgids into the English catalog (English is the source language)."""
    path = translations_dir() / SOURCE_LOCALE / "LC_MESSAGES" / "messages.po"
    click.echo(f"{fill_source_catalog(path)} English strings filled.")
