"""Staff: recording decisions, their status, and explanation requests."""

from __future__ import annotations

from flask import (
    abort,
    flash,
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
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from .. import caseload, decision_kinds, records
from ..access import staff_only
from ..db import audit
from ..forms import options
from ..pages import render
from . import bp, open_citizen

# --- decisions ------------------------------------------------------------------------------


class DecisionForm(FlaskForm):
    title = StringField(
        _l("The letter's title, in Danish"),
        validators=[DataRequired(message=_l("Enter a title")), Length(max=200)],
    )
    area = SelectField(
        _l("Area"),
        choices=options([("", _l("Choose an area")), *decision_kinds.AREAS.items()]),
        validators=[InputRequired(message=_l("Choose what the decision is about"))],
        default="",
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=options([("", _l("Choose an outcome")), *decision_kinds.OUTCOMES.items()]),
        validators=[InputRequired(message=_l("Choose what was decided"))],
        default="",
    )
    committee = BooleanField(
        _l("Decided by the children and young people committee (børne- og unge-udvalget)")
    )
    decided_on = DateField(_l("Decided on"), validators=[InputRequired(message=_l("Enter a date"))])
    received_on = DateField(
        _l("Received by the citizen on"), validators=[InputRequired(message=_l("Enter a date"))]
    )

    def validate_committee(self, field):
        if field.data and self.area.data not in decision_kinds.COMMITTEE_AREAS:
            raise ValidationError(
                str(_l("Only decisions about children and family come from the committee"))
            )

    def validate_received_on(self, field):
        if self.decided_on.data and field.data and field.data < self.decided_on.data:
            raise ValidationError(str(_l("The citizen cannot receive it before it was decided")))
        if field.data and field.data > records.today():
            raise ValidationError(str(_l("This date is in the future")))


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/decisions/new", methods=["GET", "POST"])
@staff_only
def new_decision(citizen_id: int):
    """Record a decision; Bro computes the appeal deadline (4 weeks, same weekday)."""
    person = open_citizen(citizen_id)
    form = DecisionForm()
    if form.validate_on_submit():
        caseload.save_decision(citizen_id, current_user.id, form.data)
        flash(_l("The decision is saved with its appeal deadline."))
        return redirect(url_for("staff.citizen", citizen_id=citizen_id), 303)
    return render(
        "staff/decision_form.html", status=422 if form.errors else 200, form=form, citizen=person
    )


@bp.post("/<lang>/staff/decisions/<int:decision_id>/status")
@staff_only
def decision_status(decision_id: int):
    """Mark a decision appealed, closed or open again."""
    decision = caseload.get_decision_for_staff(decision_id)
    status = request.form.get("status")
    if not decision or status not in ("open", "appealed", "closed"):
        abort(404)
    person = open_citizen(decision["citizen_id"])
    caseload.set_decision_status(decision_id, status)
    audit(current_user.id, f"decision-{status}", person["id"])
    return redirect(url_for("staff.citizen", citizen_id=person["id"], _anchor="decisions"), 303)


@bp.post("/<lang>/staff/citizens/<int:citizen_id>/explanations/<int:request_id>/read")
@staff_only
def explanation_read(citizen_id: int, request_id: int):
    """Mark a request for an explanation meeting as seen."""
    open_citizen(citizen_id)
    caseload.mark_explanation_read(citizen_id, request_id)
    return redirect(url_for("staff.citizen", citizen_id=citizen_id, _anchor="explanations"), 303)
