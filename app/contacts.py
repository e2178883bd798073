"""Help near you: emergency, out-of-hours doctor, Borgerservice, jobcentre, legal aid,
counselling and the appeals board, read from content/contacts/<municipality>.toml."""

from __future__ import annotations

import datetime
import re
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from flask import Blueprint, Flask, abort, current_app
from flask_babel import lazy_gettext as _l

from .access import public_page
from .languages import BY_CODE
from .pages import render

bp = Blueprint("contacts", __name__)

# What each kind of contact is, in the reader's language; the order is the page's order.
KINDS = {
    "emergency": (
        _l("Emergency"),
        _l("Call when a life is in danger, someone is badly hurt, or there is a fire."),
    ),
    "doctor-out-of-hours": (
        _l("Doctor when your own doctor is closed"),
        _l("Call first if you are ill and it cannot wait until your own doctor opens."),
    ),
    "borgerservice": (
        _l("Citizen service"),
        _l("Health card, change of address, Digital Post, MitID and passports."),
    ),
    "jobcenter": (
        _l("Job centre"),
        _l("Your meetings about work, your plan and your benefits."),
    ),
    "legal-aid": (
        _l("Free legal advice"),
        _l("Free advice about your rights, also about decisions from the municipality."),
    ),
    "refugee-counselling": (
        _l("Advice for refugees"),
        _l("Volunteers help with questions about residence, family reunification and letters."),
    ),
    "appeals-board": (
        _l("The appeals board"),
        _l(
            "Decides complaints about the municipality's decisions. You send your complaint to "
            "the municipality first; it passes it on."
        ),
    ),
}
DAYS = {
    "every-day": _l("Every day"),
    "weekdays": _l("Monday to Friday"),
    "mon-thu": _l("Monday to Thursday"),
    "fri": _l("Friday"),
    "weekends-and-holidays": _l("Saturdays, Sundays and public holidays"),
}
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PHONE = re.compile(r"^\+?[0-9 ]{3,20}$")
MAP_SEARCH = "https://www.openstreetmap.org/search?query={}"


class ContactsError(ValueError):
    """The contacts file is missing or wrong; the message says where."""


@cache
def load_contacts(path: str) -> dict:
    """The municipality's contacts as plain dicts, checked; raises ContactsError."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContactsError(f"{file.name}: {error}") from None
    problems = check_contacts(data)
    if problems:
        raise ContactsError(f"{file.name}: " + "; ".join(problems))
    contacts = sorted(data["contact"], key=lambda c: list(KINDS).index(c["kind"]))
    return {
        "municipality": data.get("municipality", ""),
        "region": data.get("region", ""),
        "contacts": [_contact(entry) for entry in contacts],
    }


def check_contacts(data: dict) -> list[str]:
    """What is wrong with a contacts file's data, one line each."""
    problems = []
    entries = data.get("contact")
    if not isinstance(entries, list) or not entries:
        return ["no [[contact]] entries"]
    for number, entry in enumerate(entries, 1):
        where = f"contact {number}"
        if entry.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not entry.get("name"):
            problems.append(f"{where}: name is missing")
        if "phone" in entry and not _PHONE.match(str(entry["phone"])):
            problems.append(f"{where}: phone {entry['phone']!r} is not a phone number")
        for key in ("website", "source"):
            if key in entry and not str(entry[key]).startswith("https://"):
                problems.append(f"{where}: {key} must be an https:// address")
        if "checked_on" in entry and not isinstance(entry["checked_on"], datetime.date):
            problems.append(f"{where}: checked_on must be a date (YYYY-MM-DD)")
        if "checked_on" in entry and "source" not in entry:
            problems.append(f"{where}: checked_on needs the source it was checked against")
        for hours in entry.get("hours", []):
            if hours.get("days") not in DAYS:
                problems.append(f"{where}: hours days must be one of {', '.join(DAYS)}")
            for key in ("from", "to"):
                if key in hours and not _TIME.match(str(hours[key])):
                    problems.append(f"{where}: hours {key} must look like 09:30")
        for code in entry.get("languages", []):
            if code not in BY_CODE:
                problems.append(f"{where}: language {code!r} is not one of Bro's languages")
    return problems


def _contact(entry: dict) -> dict:
    phone = str(entry.get("phone", "")).strip()
    address = entry.get("address", "").strip()
    return {
        "kind": entry["kind"],
        "title": KINDS[entry["kind"]][0],
        "text": KINDS[entry["kind"]][1],
        "name": entry["name"],
        "phone": phone,
        "tel": "tel:" + phone.replace(" ", "") if phone else "",
        "address": address,
        "map_url": MAP_SEARCH.format(quote_plus(address)) if address else "",
        "postal": entry.get("postal", "").strip(),
        "hours": [
            {"days": DAYS[h["days"]], "start": h.get("from"), "end": h.get("to")}
            for h in entry.get("hours", [])
        ],
        "languages": [BY_CODE[code] for code in entry.get("languages", [])],
        "website": entry.get("website", ""),
        "website_host": urlsplit(entry.get("website", "")).netloc.removeprefix("www."),
        "source": entry.get("source", ""),
        "checked_on": entry.get("checked_on"),
    }


def contacts_path() -> str:
    """The configured municipality's file (BRO_MUNICIPALITY, default aarhus)."""
    name = current_app.config["MUNICIPALITY"]
    return str(Path(current_app.config["CONTENT_DIR"]) / "contacts" / f"{name}.toml")


@bp.get("/<lang>/help/contacts")
@public_page()
def contacts():
    """Phone numbers, addresses and opening hours of the help near you."""
    try:
        data = load_contacts(contacts_path())
    except ContactsError:
        abort(404)
    return render("contacts/contacts.html", **data)


def init_app(app: Flask) -> None:
    app.config.setdefault("MUNICIPALITY", "aarhus")
    app.register_blueprint(bp)
    # A wrong file should stop the start, not show a broken page to the first reader.
    with app.app_context():
        load_contacts(contacts_path())
