"""The citizen's own pages, and the same pages for a helper acting with the citizen's consent.

Every view gets its citizen from `citizen_page`, which allows the citizen themself (under
/<lang>/me) or a helper with an active link (under /<lang>/helping/<citizen_id>). Anything else is
a 404, so nobody learns whether another person's record exists.

One module per thing a person does: home, meetings, decisions, interpreter, helpers, data,
checkin.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g

from ..content import library
from ..meeting_catalogue import WHO, purposes, step

bp = Blueprint("me", __name__)


def route(rule: str, **options):
    """Register a view twice: /<lang>/me<rule> for the citizen, /<lang>/helping/<id><rule>."""

    def register(view):
        endpoint = options.pop("endpoint", view.__name__)
        bp.add_url_rule(
            f"/<lang>/me{rule}", endpoint, view, defaults={"citizen_id": None}, **options
        )
        bp.add_url_rule(f"/<lang>/helping/<int:citizen_id>{rule}", endpoint, view, **options)
        return view

    return register


def _add_citizen_id(endpoint: str, values: dict) -> None:
    """Inside a helper's view, links to the citizen's pages stay in that helper context."""
    link = g.get("helping")
    if link and "citizen_id" not in values and endpoint.startswith("me."):
        values["citizen_id"] = link["citizen_id"]


def guide_for(slug: str):
    """The guide for a meeting kind, in my language or the fallback order of the library."""
    return library().guide_or_fallback(g.lang, slug)


def may_request_interpreter() -> bool:
    """The citizen may; a helper only with that scope in their invitation."""
    link = g.get("helping")
    return link is None or bool(link["can_request_interpreter"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.url_defaults(_add_citizen_id)
    app.jinja_env.globals.update(
        may_request_interpreter=may_request_interpreter,
        guide_for=guide_for,
        meeting_purposes=purposes,  # ids → catalogue entries (words in my language)
        agreement_step=step,  # (kind, id) → a catalogue entry
        agreement_who=WHO.get,  # you / we / both → words
    )


# The views register their routes on bp when imported.
from . import (  # noqa: E402, F401
    checkin,
    data,
    decisions,
    helpers,
    home,
    interpreter,
    meetings,
    translations,
)
