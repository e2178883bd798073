"""Staff: scheduling, changing and cancelling a citizen's meetings."""

from __future__ import annotations

import datetime

from flask import (
    abort,
    flash,
    g,
    redirect,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from .. import caseload, records
from ..access import staff_only
from ..content import MEETING_KINDS, library
from ..forms import options
from ..pages import render
from . import bp, language_choices, open_citizen

# --- meetings -------------------------------------------------------------------------------


class MeetingForm(FlaskForm):
    kind = SelectField(_l("Kind of meeting"), validators=[InputRequired()])
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date"))])
    start = TimeField(_l("Starts"), validators=[InputRequired(message=_l("Enter a start time"))])
    end = TimeField(_l("Ends"), validators=[InputRequired(message=_l("Enter an end time"))])
    place = StringField(_l("Place"), validators=[Length(max=100)])
    address = StringField(_l("Address"), validators=[Length(max=200)])
    video_url = StringField(
        _l("Video link"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full link starting with https://")),
            Length(max=300),
        ],
    )
    purpose = TextAreaField(
        _l("Why: the purpose, in short, plain words"),
        validators=[Length(max=500, message=_l("Write at most 500 characters"))],
    )
    interpreter_needed = BooleanField(_l("An interpreter is needed"))
    # No Optional() here: it would stop the check below when the field is empty.
    interpreter_language = SelectField(_l("Interpreter language"), default="")

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(str(_l("The meeting must end after it starts")))

    def validate_interpreter_language(self, field):
        if self.interpreter_needed.data and not field.data:
            raise ValidationError(str(_l("Choose the interpreter language")))


def _meeting_form(obj: dict | None = None) -> MeetingForm:
    form = MeetingForm()
    lib = library()
    form.kind.choices = options([(slug, lib.title_of(g.lang, slug)) for slug in MEETING_KINDS])
    form.interpreter_language.choices = options(language_choices(str(_l("No interpreter"))))
    if obj and request.method == "GET":
        form.kind.data = obj["kind"]
        form.day.data = obj["starts"].date()
        form.start.data = obj["starts"].time()
        form.end.data = obj["ends"].time()
        form.place.data = obj["place"]
        form.address.data = obj["address"]
        form.video_url.data = obj["video_url"]
        form.purpose.data = obj["purpose"]
        form.interpreter_needed.data = bool(obj["interpreter_needed"])
        form.interpreter_language.data = obj["interpreter_language"] or ""
    return form


def _meeting_values(form: MeetingForm) -> dict:
    return {
        "kind": form.kind.data,
        "starts_at": datetime.datetime.combine(form.day.data, form.start.data),
        "ends_at": datetime.datetime.combine(form.day.data, form.end.data),
        "place": (form.place.data or "").strip(),
        "address": (form.address.data or "").strip(),
        "video_url": (form.video_url.data or "").strip(),
        "purpose": (form.purpose.data or "").strip(),
        "interpreter_needed": form.interpreter_needed.data,
        "interpreter_language": form.interpreter_language.data,
    }


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/meetings/new", methods=["GET", "POST"])
@staff_only
def new_meeting(citizen_id: int):
    """Schedule a meeting; the citizen sees it at once."""
    person = open_citizen(citizen_id)
    form = _meeting_form()
    if request.method == "GET" and person["interpreter_language"]:
        form.interpreter_needed.data = True
        form.interpreter_language.data = person["interpreter_language"]
    if form.validate_on_submit():
        if form.day.data < records.today():
            form.day.errors.append(_l("The date has passed. Choose today or a later day."))
        else:
            caseload.save_meeting(citizen_id, current_user.id, _meeting_values(form))
            flash(_l("The meeting is saved. The citizen can see it now."))
            return redirect(url_for("staff.citizen", citizen_id=citizen_id), 303)
    return render(
        "staff/meeting_form.html",
        status=422 if form.errors else 200,
        form=form,
        citizen=person,
        meeting=None,
    )


@bp.route("/<lang>/staff/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_meeting(meeting_id: int):
    """Change a meeting."""
    meeting = caseload.get_meeting_for_staff(meeting_id)
    if not meeting:
        abort(404)
    person = open_citizen(meeting["citizen_id"])
    form = _meeting_form(meeting)
    if form.validate_on_submit():
        caseload.save_meeting(person["id"], current_user.id, _meeting_values(form), meeting_id)
        flash(_l("The meeting is saved. The citizen can see it now."))
        return redirect(url_for("staff.citizen", citizen_id=person["id"]), 303)
    return render(
        "staff/meeting_form.html",
        status=422 if form.errors else 200,
        form=form,
        citizen=person,
        meeting=meeting,
    )


@bp.post("/<lang>/staff/meetings/<int:meeting_id>/cancel")
@staff_only
def cancel_meeting(meeting_id: int):
    """Cancel a meeting (it stays in the history, marked cancelled)."""
    meeting = caseload.get_meeting_for_staff(meeting_id)
    if not meeting:
        abort(404)
    person = open_citizen(meeting["citizen_id"])
    caseload.cancel_meeting(meeting_id, person["id"], current_user.id)
    flash(_l("The meeting is cancelled. The citizen can see it now."))
    return redirect(url_for("staff.citizen", citizen_id=person["id"]), 303)
