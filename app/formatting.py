"""Formatting for templates: language names, office hours, map links, interpreter labels.

Template globals are for formatting only; they never query the database.
"""

from __future__ import annotations

import datetime
import functools
import json

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from . import interpreting, records
from .languages import BY_CODE


@functools.cache
def language_name(code: str | None) -> Markup:
    """A language's endonym with its own lang attribute, for "interpreter: <language>"."""
    lang = BY_CODE.get(code or "")
    if not lang:
        return Markup("<bdi>{}</bdi>").format(code or "")
    return Markup('<span lang="{}" dir="{}">{}</span>').format(lang.code, lang.dir, lang.endonym)


def language_list(codes: list[str]) -> Markup:
    """Several languages in a sentence with the reader's own list words and separators
    ("English, Dansk و العربية"), each name with its own lang attribute (Babel's list format)."""
    from babel.lists import format_list
    from flask_babel import get_locale

    names = [language_name(code) for code in codes]
    if not names:
        return Markup("")
    marks = [f"\x00{n}\x00" for n in range(len(names))]
    text = str(escape(format_list(marks, locale=get_locale())))
    for mark, name in zip(marks, names, strict=True):
        text = text.replace(mark, str(name))
    return Markup(text)


def mode_names(modes: str | None) -> str:
    """'in-person video' → 'In person, By video' in the reader's language."""
    return ", ".join(str(interpreting.MODE_LABELS.get(m, m)) for m in (modes or "").split())


def dialect_names(dialects: str | None) -> str:
    """'levantine iraqi' → their names, whatever language each dialect belongs to."""
    labels = {
        code: label for group in interpreting.DIALECTS.values() for code, label in group.items()
    }
    return ", ".join(str(labels.get(d, d)) for d in (dialects or "").split())


def office_hours(value: str | None) -> list[str]:
    """Office hours stored as JSON [{"day": 0, "from": "09:00", "to": "12:00"}], in my language."""
    from babel.dates import format_time, get_day_names
    from flask_babel import get_locale

    try:
        slots = json.loads(value or "[]")
    except ValueError:
        return [value or ""]
    days = get_day_names("wide", locale=get_locale())
    lines = []
    for slot in slots:
        start = datetime.time.fromisoformat(slot["from"])
        end = datetime.time.fromisoformat(slot["to"])
        lines.append(
            _l(
                "%(day)s %(start)s–%(end)s",
                day=days[slot["day"]],
                start=format_time(start, "short", locale=get_locale()),
                end=format_time(end, "short", locale=get_locale()),
            )
        )
    return lines


def osm_link(address: str) -> str:
    from urllib.parse import quote

    return "https://www.openstreetmap.org/search?query=" + quote(address)


def danish(text: str | None) -> Markup:
    """Danish words inside a page in another language: marked lang="da" (WCAG 3.1.2), isolated
    so a right-to-left page does not reorder them."""
    return Markup('<bdi lang="da">{}</bdi>').format(text or "")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["danish"] = danish
    app.jinja_env.globals.update(
        language_name=language_name,
        language_list=language_list,
        mode_names=mode_names,
        dialect_names=dialect_names,
        osm_link=osm_link,
        office_hours=office_hours,
        first_name=records.first_name,
        req_status=lambda status: interpreting.STATUS_LABELS.get(status, status),
        mode_label=lambda mode: interpreting.MODE_LABELS.get(mode, mode),
        certification=lambda value: interpreting.CERTIFICATION_LABELS.get(value, value),
        dialect_label=lambda lang, dialect: interpreting.DIALECTS.get(lang, {}).get(
            dialect, dialect
        ),
        cancel_reason=interpreting.cancel_reason_text,
    )
