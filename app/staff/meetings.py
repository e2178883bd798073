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
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
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
from ..forms import options, required_options
from ..meeting_catalogue import PURPOSES, WHO, purposes_for, steps_for
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
    purposes = SelectMultipleField(_l("Why: choose at least one purpose"), choices=[])
    purpose = TextAreaField(
        _l("Anything else, in Danish (optional)"),
        validators=[Length(max=500, message=_l("Write at most 500 characters"))],
    )
    interpreter_needed = BooleanField(_l("An interpreter is needed"))
    # No Optional() here: it would stop the check below when the field is empty.
    interpreter_language = SelectField(_l("Interpreter language"), default="")

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(str(_l("The meeting must end after it starts")))

    def validate_purposes(self, field):
        if not field.data:
            raise ValidationError(str(_l("Choose at least one purpose")))
        fitting = {entry.id for entry in purposes_for(self.kind.data)}
        if not set(field.data) <= fitting:
            raise ValidationError(str(_l("Choose purposes for this kind of meeting")))

    def validate_interpreter_language(self, field):
        if self.interpreter_needed.data and not field.data:
            raise ValidationError(str(_l("Choose the interpreter language")))


def _meeting_form(obj: dict | None = None) -> MeetingForm:
    form = MeetingForm()
    lib = library()
    form.kind.choices = required_options(
        [(slug, lib.title_of(g.lang, slug)) for slug in MEETING_KINDS]
    )
    form.interpreter_language.choices = options(language_choices(str(_l("No interpreter"))))
    form.purposes.choices = options([(key, str(entry.text)) for key, entry in PURPOSES.items()])
    if obj and request.method == "GET":
        form.kind.data = obj["kind"]
        form.day.data = obj["starts"].date()
        form.start.data = obj["starts"].time()
        form.end.data = obj["ends"].time()
        form.place.data = obj["place"]
        form.address.data = obj["address"]
        form.video_url.data = obj["video_url"]
        form.purposes.data = obj["purpose_ids"]
        form.purpose.data = obj["purpose"]
        form.interpreter_needed.data = bool(obj["interpreter_needed"])
        form.interpreter_language.data = obj["interpreter_language"] or ""
    return form


def _purpose_groups(form: MeetingForm) -> list[dict]:
    """The purposes to tick, one group per meeting kind, with the ones already chosen."""
    chosen = set(form.purposes.data or [])
    lib = library()
    return [
        {
            "kind": slug,
            "title": lib.title_of(g.lang, slug),
            "entries": [
                {"id": entry.id, "text": entry.text, "checked": entry.id in chosen}
                for entry in purposes_for(slug)
            ],
        }
        for slug in MEETING_KINDS
    ]


def _meeting_values(form: MeetingForm) -> dict:
    return {
        "kind": form.kind.data,
        "starts_at": datetime.datetime.combine(form.day.data, form.start.data),
        "ends_at": datetime.datetime.combine(form.day.data, form.end.data),
        "place": (form.place.data or "").strip(),
        "address": (form.address.data or "").strip(),
        "video_url": (form.video_url.data or "").strip(),
        "purpose_ids": list(form.purposes.data),
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
        purpose_groups=_purpose_groups(form),
    )


def _open_meeting(meeting_id: int) -> tuple[dict, dict]:
    """The meeting and its citizen, if this staff member may open the record (audited); else 404."""
    meeting = caseload.get_meeting_for_staff(meeting_id)
    if not meeting:
        abort(404)
    return meeting, open_citizen(meeting["citizen_id"])


@bp.route("/<lang>/staff/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_meeting(meeting_id: int):
    """Change a meeting."""
    meeting, person = _open_meeting(meeting_id)
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
        purpose_groups=_purpose_groups(form),
    )


@bp.post("/<lang>/staff/meetings/<int:meeting_id>/cancel")
@staff_only
def cancel_meeting(meeting_id: int):
    """Cancel a meeting (it stays in the history, marked cancelled)."""
    meeting, person = _open_meeting(meeting_id)
    caseload.cancel_meeting(meeting_id, person["id"], current_user.id)
    flash(_l("The meeting is cancelled. The citizen can see it now."))
    return redirect(url_for("staff.citizen", citizen_id=person["id"]), 303)


# --- what we agreed -----------------------------------------------------------------------

AGREEMENT_ROWS = 5  # rows on the form: at most five steps per meeting (saving replaces them all)


class AgreementRow(Form):
    step = SelectField(_l("Next step"), default="")
    who = SelectField(_l("Who does it"), default="")
    due = DateField(_l("By when (optional)"), validators=[Optional()])

    def validate_who(self, field):
        if self.step.data and field.data not in WHO:
            raise ValidationError(str(_l("Choose who does this step")))


class AgreementsForm(FlaskForm):
    rows = FieldList(
        FormField(AgreementRow), min_entries=AGREEMENT_ROWS, max_entries=AGREEMENT_ROWS
    )
    note = TextAreaField(
        _l("Anything else, in Danish (optional)"),
        validators=[Length(max=1000, message=_l("Write at most 1000 characters"))],
    )

    def validate_note(self, field):
        if not any(row.step.data for row in self.rows) and not (field.data or "").strip():
            raise ValidationError(str(_l("Choose at least one next step")))


def _agreements_form(meeting: dict, agreed: list[dict]) -> AgreementsForm:
    form = AgreementsForm()
    if request.method == "GET":
        for row, item in zip(form.rows, agreed, strict=False):
            row.step.data, row.who.data, row.due.data = item["step_id"], item["who"], item["due"]
        form.note.data = meeting["agreement_note"]
    steps = options([("", "—")] + [(e.id, str(e.text)) for e in steps_for(meeting["kind"])])
    who = options([("", "—")] + [(key, str(words)) for key, words in WHO.items()])
    for row in form.rows:
        row.step.choices, row.who.choices = steps, who
    return form


@bp.route("/<lang>/staff/meetings/<int:meeting_id>/agreements", methods=["GET", "POST"])
@staff_only
def meeting_agreements(meeting_id: int):
    """Record what was agreed at a meeting: steps from the catalogue, who, by when."""
    meeting, person = _open_meeting(meeting_id)
    form = _agreements_form(meeting, records.agreements_of(meeting_id))
    if form.validate_on_submit():
        items = [
            {"step_id": row.step.data, "who": row.who.data, "due": row.due.data}
            for row in form.rows
            if row.step.data
        ]
        caseload.save_agreements(
            meeting_id, person["id"], current_user.id, items, (form.note.data or "").strip()
        )
        flash(_l("What you agreed is saved. The citizen can see it now."))
        if not items and person["lang"] != "da":
            flash(
                _l(
                    "With no step chosen, the citizen gets only your Danish words. Choose a step "
                    "if one fits, so they can read it in their language."
                )
            )
        return redirect(url_for("staff.citizen", citizen_id=person["id"]), 303)
    return render(
        "staff/meeting_agreements.html",
        status=422 if form.errors else 200,
        form=form,
        citizen=person,
        meeting=meeting,
        kind_title=library().title_of(g.lang, meeting["kind"]),
    )
