"""Asking for a professional interpreter, and following the request."""

from __future__ import annotations

import datetime
import secrets

from flask import (
    abort,
    flash,
    g,
    redirect,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
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

from .. import interpreting, records
from ..access import citizen_page
from ..content import library
from ..db import audit, get_db
from ..forms import options
from ..languages import LANGUAGES
from ..pages import render
from . import may_request_interpreter, route

FURTHEST_VISIT_DAYS = 2 * 366  # an interpreter is booked for a visit, not for 9999-12-31


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
    if request.method == "GET":
        form.key.data = secrets.token_urlsafe(16)
        form.language.data = citizen["interpreter_language"] or citizen["lang"]
        if citizen["interpreter_dialect"] in interpreting.DIALECTS.get(form.language.data, {}):
            form.dialect.data = citizen["interpreter_dialect"]
        wanted = request.args.get("meeting", "")
        if wanted.isdigit() and any(m["id"] == int(wanted) for m in meetings):
            form.what.data = f"meeting:{wanted}"
    # Only the dialects of the language asked for (Dari and Farsi, Sorani and Kurmanji…).
    form.dialect.choices = options(
        [("", _l("No preference"))]
        + list(interpreting.DIALECTS.get(form.language.data or "", {}).items())
    )
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
