"""My meetings: the list, one meeting, its checklist and its calendar file."""

from __future__ import annotations

import datetime

from flask import (
    abort,
    g,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from icalendar import Alarm, Calendar, Event
from wtforms import (
    BooleanField,
    RadioField,
)
from wtforms.validators import (
    InputRequired,
)

from .. import answers, clock, interpreting, records, written_translations
from ..access import citizen_page, own_only
from ..content import checklist_items, library
from ..forms import options
from ..languages import BY_CODE, DEFAULT
from ..meeting_catalogue import WHO, purposes, step
from ..pages import render
from . import guide_for, route


@route("/meetings")
@citizen_page
def meetings(citizen: dict):
    """My meetings: upcoming and past."""
    return render(
        "me/meetings.html",
        citizen=citizen,
        meetings=records.list_meetings_for(citizen["id"]),
    )


@route("/meetings/<int:meeting_id>")
@citizen_page
def meeting(citizen: dict, meeting_id: int):
    """One meeting: when, where, why, the guide, the interpreter and my checklist."""
    found = records.get_meeting(citizen["id"], meeting_id)
    if not found:
        abort(404)
    guide = guide_for(found["kind"])
    found["agreements"] = records.agreements_of(meeting_id)
    return render(
        "me/meeting.html",
        citizen=citizen,
        meeting=found,
        next_up=records.next_meeting(citizen["id"]),
        today=records.today(),
        guide=guide,
        items=checklist_items(guide),
        ticked=records.checklist_ticks(meeting_id),
        interpreter_req=interpreting.request_for_meeting(meeting_id),
        after=None if g.helping else answers.after_meeting(found),
        written=written_translations.for_citizen(citizen["id"], g.lang),
    )


class TickForm(FlaskForm):
    item = RadioField(validators=[InputRequired()], choices=[])
    ticked = BooleanField()


@route("/meetings/<int:meeting_id>/checklist", methods=["POST"])
@citizen_page
def tick(citizen: dict, meeting_id: int):
    """Tick or untick a checklist item; htmx gets the item back, a plain form goes back."""
    own_only()
    found = records.get_meeting(citizen["id"], meeting_id)
    if not found:
        abort(404)
    items = checklist_items(guide_for(found["kind"]))
    form = TickForm()
    form.item.choices = options([key for key, _html in items])
    if not form.validate_on_submit():
        abort(400)
    records.set_checklist_tick(meeting_id, form.item.data, form.ticked.data)
    if request.headers.get("HX-Request") == "true":
        html = dict(items)[form.item.data]
        return render(
            "me/_checklist_item.html",
            meeting=found,
            key=form.item.data,
            html=html,
            done=form.ticked.data,
        )
    return redirect(url_for("me.meeting", meeting_id=meeting_id, _anchor="checklist"), 303)


def _calendar_text(meeting: dict, agreed: dict | None) -> str:
    """What the meeting is for, as plain lines for a calendar: the purposes in the current
    language, then the caseworker's own words, said to be Danish; then what was agreed at the
    meeting before it (`agreed`, with its `agreements`)."""
    lines = []
    chosen = purposes(meeting["purpose_ids"])
    if chosen:
        lines.append(_("Why"))
        lines.extend(f"- {entry.text}" for entry in chosen)
    if meeting["purpose"]:
        lines.append(_("Your caseworker wrote this in Danish:"))
        lines.append(meeting["purpose"])
    if agreed:
        lines.append("")
        lines.append(_("What we agreed"))
        for item in agreed["agreements"]:
            entry = step(agreed["kind"], item["step_id"])
            words = {"who": WHO.get(item["who"], ""), "step": entry.text if entry else ""}
            if item["due"]:
                lines.append(
                    "- "
                    + _(
                        "%(who)s, by %(date)s: %(step)s",
                        date=format_date(item["due"], "long"),
                        **words,
                    )
                )
            else:
                lines.append("- " + _("%(who)s: %(step)s", **words))
        if agreed["agreement_note"]:
            lines.append(_("Your caseworker wrote this in Danish:"))
            lines.append(agreed["agreement_note"])
    return "\n".join(lines)


@route("/meetings/<int:meeting_id>.ics")
@citizen_page
def meeting_ics(citizen: dict, meeting_id: int):
    """The meeting as a calendar file in the citizen's account language, with a reminder the
    day before."""
    found = records.get_meeting(citizen["id"], meeting_id)
    if not found:
        abort(404)
    # The calendar keeps the file long after this page: it speaks the account's language.
    language = BY_CODE.get(citizen["lang"]) or BY_CODE[DEFAULT]
    with force_locale(language.locale):
        guide = library().guide_or_fallback(language.code, found["kind"])
        title = guide.title if guide else found["kind"]
        text = _calendar_text(found, records.latest_agreed(citizen["id"], before=found["starts"]))
    calendar = Calendar()
    calendar.add("prodid", "-//Bro//Meetings//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{found['id']}@bro")
    event.add("dtstamp", clock.now())
    event.add("dtstart", found["starts"].replace(tzinfo=records.TZ))
    event.add("dtend", found["ends"].replace(tzinfo=records.TZ))
    event.add("summary", title)
    location = ", ".join(part for part in (found["place"], found["address"]) if part)
    if location or found["video_url"]:
        event.add("location", location or found["video_url"])
    event.add("description", text)
    if found["status"] == "cancelled":
        event.add("status", "CANCELLED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "\n".join(part for part in (title, text) if part))
    alarm.add("trigger", datetime.timedelta(days=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    # The times are Danish local times: the file carries the Europe/Copenhagen VTIMEZONE, so
    # a calendar that does not know the zone still shows the right hour.
    calendar.add_missing_timezones()
    response = make_response(calendar.to_ical())
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{found["id"]}.ics"'
    return response
