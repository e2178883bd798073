"""The caseworker's workspace and the coordinator's tools.

Staff screens are in Danish and English; other prefixes redirect to English. Citizens and helpers
get a 404 on every staff route, and a caseworker opens only citizens of their own caseload (or of a
caseworker they stand in for) — `caseload.staff_can_open` decides, and every look is audited.

One module per thing a person does: citizens (caseload, record, letters, access, hand-over,
erasure), meetings, decisions, team (absence, staff accounts, caseload moves, audit log),
interpreters (queue, bookings, register) and checkins (the caseworker's view of a citizen's
quarter, the coordinator's notes of what changed); forms live beside their views.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import caseload, records
from ..db import audit
from ..forms import options
from ..handover_reasons import REASONS
from ..languages import LANGUAGES

bp = Blueprint("staff", __name__)


def open_citizen(citizen_id: int) -> dict:
    """The citizen, if this staff member may open the record; audited. Otherwise a 404."""
    if not caseload.staff_can_open(g.staff, citizen_id):
        abort(404)
    citizen = records.get_citizen(citizen_id)
    if citizen is None:
        abort(404)
    audit(current_user.id, f"staff-view {request.endpoint}", citizen_id)
    return citizen


def language_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """The 12 languages as form choices (endonym and English name), optionally with a blank."""
    choices = [(lang.code, f"{lang.endonym} ({lang.name})") for lang in LANGUAGES]
    return [("", blank), *choices] if blank is not None else choices


def caseworker_choices(exclude: int | None = None) -> list[tuple[str, str]]:
    """Active caseworkers as form choices, optionally without one of them."""
    return [
        (str(row["id"]), row["name"])
        for row in caseload.caseworkers()
        if row["role"] == "caseworker" and row["id"] != exclude
    ]


def reason_choices() -> list:
    """Hand-over reasons as form choices, after an empty first option (nothing preselected)."""
    return options([("", str(_l("Choose a reason"))), *((k, str(t)) for k, t in REASONS.items())])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# The views register their routes on bp when imported.
from . import (  # noqa: E402, F401
    checkins,
    citizens,
    data_protection,
    decisions,
    interpreters,
    meetings,
    team,
    translations,
)
