"""My page (what is urgent, what is new, my caseworker) and a helper's list of people."""

from __future__ import annotations

from flask import (
    g,
    redirect,
    session,
)
from flask_login import current_user, login_required

from .. import answers, checkins, clock, records, written_translations
from ..access import citizen_page, home_for, never_stored
from ..pages import render
from . import bp, route

# --- pages --------------------------------------------------------------------------------


DEADLINE_SOON = 14  # days: an appeal deadline this close comes first on my page
MEETING_SOON = 7  # days: so does a meeting this close
VISIT_GAP = 30 * 60  # seconds without opening my page that end a visit


def previous_visit(citizen_id: int) -> str | None:
    """When the citizen's previous visit began: what "new since your last visit" counts from.

    It is kept in the session for the length of this visit (until my page goes unopened for
    30 minutes), so coming back to my page from a meeting still shows what is new, and the
    visit is written to the database once per visit instead of on every view.
    """
    now = int(clock.now().timestamp())
    visit = session.get("visit")
    if not visit or visit.get("user") != citizen_id or now - visit.get("at", 0) > VISIT_GAP:
        visit = {"user": citizen_id, "since": records.touch_last_seen(citizen_id)}
    session["visit"] = {**visit, "at": now}
    return visit["since"]


@route("")
@citizen_page
def home(citizen: dict):
    """My page: my caseworker, my next meeting, open deadlines, what changed; the check-in when
    it is due, and what the caseworker shared of their view."""
    since = None if g.helping else previous_visit(citizen["id"])
    today = records.today()
    decisions = [d for d in records.list_decisions_for(citizen["id"]) if d["deadline_open"]]
    meeting = records.next_meeting(citizen["id"])
    return render(
        "me/home.html",
        citizen=citizen,
        card=records.caseworker_card(citizen["id"]),
        meeting=meeting,
        # The urgent first: deadlines in the next 14 days, a meeting in the next 7.
        meeting_soon=bool(meeting and (meeting["starts"].date() - today).days <= MEETING_SOON),
        urgent=[d for d in decisions if d["days_left"] <= DEADLINE_SOON],
        decisions=[d for d in decisions if d["days_left"] > DEADLINE_SOON],
        agreed=records.latest_agreed(citizen["id"]),
        today=today,
        changes=records.changes_since(citizen["id"], since),
        awaiting=[] if g.helping else answers.awaiting_answer(citizen["id"]),
        written=written_translations.for_citizen(citizen["id"], g.lang),
        checkin_due=None if g.helping else checkins.checkin_due(citizen["id"]),
        shared_views=[] if g.helping else checkins.shared_views(citizen["id"])[:1],
        voice_questions=checkins.VOICE_QUESTIONS,
        voice_choices=checkins.VOICE_CHOICES,
    )


@bp.get("/<lang>/helping")
@login_required
def helping():
    """A helper's start page: the people they help."""
    if current_user.role != "helper":
        return redirect(home_for(current_user), 303)
    return never_stored(render("me/helping.html", people=records.people_helped_by(current_user.id)))
