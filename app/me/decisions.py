"""My decisions: deadlines to appeal, and asking for an explanation meeting."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import records
from ..access import citizen_page, own_only
from ..db import audit
from ..pages import render
from . import guide_for, route


@route("/decisions")
@citizen_page
def decisions(citizen: dict):
    """My decisions, open appeal deadlines first."""
    return render(
        "me/decisions.html", citizen=citizen, decisions=records.list_decisions_for(citizen["id"])
    )


@route("/decisions/<int:decision_id>")
@citizen_page
def decision(citizen: dict, decision_id: int):
    """One decision: received, deadline, days left, how to appeal, ask for an explanation."""
    found = records.get_decision(citizen["id"], decision_id)
    if not found:
        abort(404)
    return render(
        "me/decision.html",
        citizen=citizen,
        decision=found,
        guide=guide_for("decisions-and-appeals"),
    )


@route("/decisions/<int:decision_id>/explain", methods=["POST"])
@citizen_page
def explain(citizen: dict, decision_id: int):
    """Ask the caseworker for a meeting to explain the decision (stored once)."""
    own_only()
    found = records.get_decision(citizen["id"], decision_id)
    if not found:
        abort(404)
    if records.ask_for_explanation(decision_id, current_user.id):
        audit(current_user.id, "asked-explanation", citizen["id"], str(decision_id))
    flash(_l("Your caseworker has got your request. They will contact you about a meeting."))
    return redirect(url_for("me.decision", decision_id=decision_id), 303)
