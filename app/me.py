"""The citizen's own pages, and the same pages for a helper acting with the citizen's consent.

Every view gets its citizen from `citizen_page`, which allows the citizen themself (under
/<lang>/me) or a helper with an active link (under /<lang>/helping/<citizen_id>). Anything else is
a 404, so nobody learns whether another person's record exists.
"""

from __future__ import annotations

import datetime
import json
import secrets
import time

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from icalendar import Alarm, Calendar, Event
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from . import accounts, answers, interpreting, records
from .access import citizen_page, home_for, never_stored, own_only
from .content import checklist_items, library
from .db import audit, get_db
from .forms import options
from .languages import BY_CODE, LANGUAGES
from .pages import render

bp = Blueprint("me", __name__)

HELPER_PERIODS = {"30": 30, "90": 90, "365": 365}
FURTHEST_VISIT_DAYS = 2 * 366  # an interpreter is booked for a visit, not for 9999-12-31


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
    return library().guide_or_fallback(g.lang, slug)


# --- pages --------------------------------------------------------------------------------


VISIT_GAP = 30 * 60  # seconds without opening my page that end a visit


def previous_visit(citizen_id: int) -> str | None:
    """When the citizen's previous visit began: what "new since your last visit" counts from.

    It is kept in the session for the length of this visit (until my page goes unopened for
    30 minutes), so coming back to my page from a meeting still shows what is new, and the
    visit is written to the database once per visit instead of on every view.
    """
    now = int(time.time())
    visit = session.get("visit")
    if not visit or visit.get("user") != citizen_id or now - visit.get("at", 0) > VISIT_GAP:
        visit = {"user": citizen_id, "since": records.touch_last_seen(citizen_id)}
    session["visit"] = {**visit, "at": now}
    return visit["since"]


@route("")
@citizen_page
def home(citizen: dict):
    """My page: my caseworker, my next meeting, open deadlines, what changed."""
    since = None if g.helping else previous_visit(citizen["id"])
    decisions = [d for d in records.list_decisions_for(citizen["id"]) if d["deadline_open"]]
    return render(
        "me/home.html",
        citizen=citizen,
        card=records.caseworker_card(citizen["id"]),
        meeting=records.next_meeting(citizen["id"]),
        decisions=decisions,
        changes=records.changes_since(citizen["id"], since),
        awaiting=[] if g.helping else answers.awaiting_answer(citizen["id"]),
    )


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
    return render(
        "me/meeting.html",
        citizen=citizen,
        meeting=found,
        guide=guide,
        items=checklist_items(guide),
        ticked=records.checklist_ticks(meeting_id),
        interpreter_req=interpreting.request_for_meeting(meeting_id),
        after=None if g.helping else answers.after_meeting(found),
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


@route("/meetings/<int:meeting_id>.ics")
@citizen_page
def meeting_ics(citizen: dict, meeting_id: int):
    """The meeting as a calendar file, with a reminder the day before."""
    found = records.get_meeting(citizen["id"], meeting_id)
    if not found:
        abort(404)
    guide = guide_for(found["kind"])
    calendar = Calendar()
    calendar.add("prodid", "-//Bro//Meetings//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{found['id']}@bro")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", found["starts"].replace(tzinfo=records.TZ))
    event.add("dtend", found["ends"].replace(tzinfo=records.TZ))
    event.add("summary", guide.title if guide else found["kind"])
    location = ", ".join(part for part in (found["place"], found["address"]) if part)
    if location or found["video_url"]:
        event.add("location", location or found["video_url"])
    event.add("description", found["purpose"] or "")
    if found["status"] == "cancelled":
        event.add("status", "CANCELLED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", guide.title if guide else found["kind"])
    alarm.add("trigger", datetime.timedelta(days=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    response = make_response(calendar.to_ical())
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{found["id"]}.ics"'
    return response


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


class InviteForm(FlaskForm):
    period = RadioField(
        _l("For how long?"),
        choices=options([("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("1 year"))]),
        default="90",
        validators=[InputRequired(message=_l("Choose for how long"))],
    )
    interpreter = BooleanField(_l("They may ask for an interpreter for me"))


@route("/helpers", methods=["GET", "POST"])
@citizen_page
def helpers(citizen: dict):
    """My helpers: who can see my meetings and decisions; invite one or stop one."""
    own_only()
    form = InviteForm()
    code = None
    if form.validate_on_submit():
        days = HELPER_PERIODS[form.period.data]
        expires_on = (records.today() + datetime.timedelta(days=days)).isoformat()
        code = accounts.issue_code(
            citizen["id"],
            "helper",
            days=7,
            scope={"interpreter": form.interpreter.data, "expires_on": expires_on},
        )
        audit(citizen["id"], "helper-invited", citizen["id"])
    status = 422 if form.errors else 200
    return render(
        "me/helpers.html",
        status=status,
        citizen=citizen,
        form=form,
        code=code,
        links=records.helpers_of(citizen["id"]),
        today=records.today().isoformat(),
    )


@route("/helpers/<int:link_id>/revoke", methods=["POST"])
@citizen_page
def revoke(citizen: dict, link_id: int):
    """Stop a helper's access at once."""
    own_only()
    if not records.revoke_helper(citizen["id"], link_id):
        abort(404)
    audit(citizen["id"], "helper-revoked", citizen["id"], str(link_id))
    flash(_l("The helper can no longer see your pages."))
    return redirect(url_for("me.helpers"), 303)


@route("/data")
@citizen_page
def data(citizen: dict):
    """Everything Bro holds about me, as a JSON file."""
    own_only()
    audit(citizen["id"], "downloaded-data", citizen["id"])
    response = make_response(records.export_json(citizen["id"]))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="bro-my-data.json"'
    return response


@bp.get("/<lang>/helping")
@login_required
def helping():
    """A helper's start page: the people they help."""
    if current_user.role != "helper":
        return redirect(home_for(current_user), 303)
    return never_stored(render("me/helping.html", people=records.people_helped_by(current_user.id)))


# --- template helpers ---------------------------------------------------------------------


def language_name(code: str | None) -> Markup:
    """A language's endonym with its own lang attribute, for "interpreter: <language>"."""
    lang = BY_CODE.get(code or "")
    if not lang:
        return Markup("<bdi>{}</bdi>").format(code or "")
    return Markup('<span lang="{}" dir="{}">{}</span>').format(lang.code, lang.dir, lang.endonym)


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


# --- interpreter requests -----------------------------------------------------------------


class InterpreterForm(FlaskForm):
    what = RadioField(
        _l("What is it for?"),
        validators=[InputRequired(message=_l("Choose what the interpreter is for"))],
    )
    day = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Time"), validators=[Optional()])
    place = StringField(_l("Place (name of the clinic, address)"), validators=[Length(max=200)])
    language = SelectField(
        _l("Language"), validators=[InputRequired(message=_l("Choose a language"))]
    )
    dialect = SelectField(_l("Dialect"), default="")
    mode = RadioField(
        _l("How?"),
        choices=options(interpreting.MODE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose how the interpreter should take part"))],
    )
    gender = RadioField(
        _l("Do you prefer a woman or a man? (optional)"),
        choices=options([("", _l("No preference")), ("f", _l("A woman")), ("m", _l("A man"))]),
        default="",
    )
    note = TextAreaField(
        _l("Anything else we should know? (optional)"),
        validators=[Length(max=500, message=_l("Write at most 500 characters"))],
    )
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])

    def validate_dialect(self, field):
        if field.data and field.data not in interpreting.DIALECTS.get(self.language.data, {}):
            raise ValidationError(str(_l("This dialect does not belong to the language you chose")))


def _interpreter_form(citizen: dict, meetings: list[dict]) -> InterpreterForm:
    form = InterpreterForm()
    lib = library()
    form.what.choices = options(
        [
            (
                f"meeting:{m['id']}",
                _l(
                    "%(title)s, %(date)s",
                    title=lib.title_of(g.lang, m["kind"]),
                    date=format_datetime(m["starts"], "medium"),
                ),
            )
            for m in meetings
        ]
        + [("gp", _l("A visit to my doctor (GP)")), ("dentist", _l("A visit to the dentist"))]
    )
    form.language.choices = options(
        [("", _l("Choose"))]
        + [(lang.code, lang.endonym) for lang in LANGUAGES]
        + [(code, name) for code, name in interpreting.EXTRA_LANGUAGES.items()]
    )
    form.dialect.choices = options(
        [("", _l("No preference"))]
        + [
            (code, label)
            for dialects in interpreting.DIALECTS.values()
            for code, label in dialects.items()
        ]
    )
    if request.method == "GET":
        form.key.data = secrets.token_urlsafe(16)
        form.language.data = citizen["interpreter_language"] or citizen["lang"]
        if citizen["interpreter_dialect"] in interpreting.DIALECTS.get(form.language.data, {}):
            form.dialect.data = citizen["interpreter_dialect"]
        wanted = request.args.get("meeting", "")
        if wanted.isdigit() and any(m["id"] == int(wanted) for m in meetings):
            form.what.data = f"meeting:{wanted}"
    return form


def _open_meetings(citizen_id: int) -> list[dict]:
    """Coming meetings that have no open interpreter request yet."""
    taken = {
        r["meeting_id"]
        for r in interpreting.requests_for(citizen_id)
        if r["meeting_id"] and r["status"] in ("requested", "booked")
    }
    return [
        m
        for m in records.list_meetings_for(citizen_id)["upcoming"]
        if m["status"] == "scheduled" and m["id"] not in taken
    ]


def _already_received(citizen_id: int) -> dict | None:
    """The citizen's request this POST repeats: same idempotency key, or its meeting already
    has an open request. None for a new request."""
    key = request.form.get("key", "")
    what = request.form.get("what", "")
    for held in interpreting.requests_for(citizen_id):
        if key and held["idempotency_key"] == key:
            return held
        open_for_meeting = held["meeting_id"] and held["status"] in ("requested", "booked")
        if open_for_meeting and what == f"meeting:{held['meeting_id']}":
            return held
    return None


def may_request_interpreter() -> bool:
    link = g.get("helping")
    return link is None or bool(link["can_request_interpreter"])


@route("/interpreter/new", methods=["GET", "POST"])
@citizen_page
def new_interpreter_request(citizen: dict):
    """Ask for a professional interpreter; stored once even when sent twice."""
    if not may_request_interpreter():
        abort(404)
    if request.method == "POST":
        held = _already_received(citizen["id"])
        if held:
            # A double tap or the phone's outbox sending again: answer "got it", so the
            # outbox clears, and store nothing new. The same form gets the same confirmation.
            if held["idempotency_key"] == request.form.get("key"):
                return redirect(
                    url_for("me.interpreter_request", request_id=held["id"], new=1), 303
                )
            flash(_l("We already have this request."))
            return redirect(url_for("me.interpreter_request", request_id=held["id"]), 303)
    meetings = _open_meetings(citizen["id"])
    form = _interpreter_form(citizen, meetings)
    if form.validate_on_submit():
        values = _request_values(form, citizen, meetings)
        if values:
            request_id = interpreting.create_request(get_db(), values, key=form.key.data)
            audit(current_user.id, "requested-interpreter", citizen["id"])
            return redirect(url_for("me.interpreter_request", request_id=request_id, new=1), 303)
    return render(
        "me/interpreter_form.html", status=422 if form.errors else 200, citizen=citizen, form=form
    )


def _request_values(form: InterpreterForm, citizen: dict, meetings: list[dict]) -> dict | None:
    """The request's values, or None after adding errors to the form."""
    common = {
        "citizen_id": citizen["id"],
        "requested_by": current_user.id,
        "language": form.language.data,
        "dialect": form.dialect.data,
        "mode": form.mode.data,
        "gender": form.gender.data,
        "note": (form.note.data or "").strip(),
    }
    if form.what.data.startswith("meeting:"):
        meeting = next((m for m in meetings if f"meeting:{m['id']}" == form.what.data), None)
        if meeting is None:  # the meeting has passed or was cancelled since the form was shown
            form.what.errors.append(_l("Choose what the interpreter is for"))
            return None
        return {
            **common,
            "meeting_id": meeting["id"],
            "visit": "meeting",
            "starts_at": meeting["starts_at"],
            "ends_at": meeting["ends_at"],
            "place": meeting["place"],
        }
    ok = True
    if not form.day.data:
        form.day.errors.append(_l("Enter the date of the visit"))
        ok = False
    elif form.day.data < records.today():
        form.day.errors.append(_l("The date has passed. Choose today or a later day."))
        ok = False
    elif form.day.data > records.today() + datetime.timedelta(days=FURTHEST_VISIT_DAYS):
        form.day.errors.append(_l("Choose a day within the next 2 years."))
        ok = False
    if not form.time.data:
        form.time.errors.append(_l("Enter the time of the visit"))
        ok = False
    if not (form.place.data or "").strip():
        form.place.errors.append(_l("Enter the place of the visit"))
        ok = False
    if not ok:
        return None
    starts = datetime.datetime.combine(form.day.data, form.time.data)
    return {
        **common,
        "visit": form.what.data,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=1)).isoformat(),
        "place": form.place.data.strip(),
    }


@route("/interpreter/<int:request_id>")
@citizen_page
def interpreter_request(citizen: dict, request_id: int):
    """One request: its reference, status and dated timeline."""
    found = interpreting.get_request(citizen["id"], request_id)
    if not found:
        abort(404)
    return render(
        "me/interpreter_request.html",
        citizen=citizen,
        req=found,
        events=interpreting.timeline(request_id),
        card=records.caseworker_card(citizen["id"]),
        new=request.args.get("new") == "1",
    )


@route("/interpreter")
@citizen_page
def interpreter_requests(citizen: dict):
    """All my interpreter requests."""
    return render(
        "me/interpreter_requests.html",
        citizen=citizen,
        requests=interpreting.requests_for(citizen["id"]),
    )


def _meeting_kind(req: dict) -> str:
    return records.meeting_kind(req["meeting_id"]) or ""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.url_defaults(_add_citizen_id)
    app.jinja_env.globals.update(
        language_name=language_name,
        osm_link=osm_link,
        office_hours=office_hours,
        may_request_interpreter=may_request_interpreter,
        guide_for=guide_for,
        first_name=interpreting.first_name,
        req_status=lambda status: interpreting.STATUS_LABELS.get(status, status),
        mode_label=lambda mode: interpreting.MODE_LABELS.get(mode, mode),
        certification=lambda value: interpreting.CERTIFICATION_LABELS.get(value, value),
        dialect_label=lambda lang, dialect: interpreting.DIALECTS.get(lang, {}).get(
            dialect, dialect
        ),
        cancel_reason=interpreting.cancel_reason_text,
        req_kind=_meeting_kind,
    )
