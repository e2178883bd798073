"""Staff: the caseworker's view of a citizen's quarter beside the citizen's check-in, and the
coordinator's notes of what the municipality changed because of the answers (published).

The caseworker's view is optional, short choices and Danish words; the citizen sees it only when
the caseworker shares it. A change note is published as written (Danish) with a tag from a
translated list, so every language shows what it is about.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from .. import checkins, clock, public_report
from ..access import coordinator_only, staff_only
from ..db import audit
from ..forms import options, required_options
from ..pages import render
from . import bp, open_citizen

CHOOSE = _l("Choose an answer")


class ViewForm(FlaskForm):
    aim = RadioField(
        checkins.VOICE_QUESTIONS["aim"],
        choices=options(checkins.AIMS.items()),
        validators=[InputRequired(message=CHOOSE)],
    )
    effect = RadioField(
        checkins.VOICE_QUESTIONS["effect"],
        choices=options(checkins.EFFECTS.items()),
        validators=[InputRequired(message=CHOOSE)],
    )
    next_step = RadioField(
        checkins.VOICE_QUESTIONS["next_step"],
        choices=options(checkins.NEXT_STEPS.items()),
        validators=[InputRequired(message=CHOOSE)],
    )
    note = TextAreaField(
        _l("In your own words, in Danish (optional)"),
        validators=[Length(max=1000, message=_l("Write at most 1000 characters"))],
    )
    shared = BooleanField(_l("Show my view to the citizen on their page"))


def _period_or_404(period: str) -> str:
    """A quarter that has begun (a caseworker writes about what has happened), else a 404."""
    if not checkins.is_period(period) or period > checkins.period_of(clock.today()):
        abort(404)
    return period


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/checkins/<period>", methods=["GET", "POST"])
@staff_only
def caseworker_view(citizen_id: int, period: str):
    """The caseworker's view of the citizen's quarter, beside the citizen's own answer."""
    person = open_citizen(citizen_id)
    period = _period_or_404(period)
    existing = checkins.get_view(citizen_id, period)
    form = ViewForm(data=existing if existing else None)
    if form.validate_on_submit():
        checkins.save_view(
            citizen_id,
            period,
            current_user.id,
            {
                "aim": form.aim.data,
                "effect": form.effect.data,
                "next_step": form.next_step.data,
                "note": (form.note.data or "").strip(),
                "shared": 1 if form.shared.data else 0,
            },
        )
        audit(current_user.id, "wrote-caseworker-view", citizen_id, period)
        flash(
            _l("Saved. The citizen can see your view.")
            if form.shared.data
            else _l("Saved. Only staff can see your view.")
        )
        return redirect(url_for("staff.citizen", citizen_id=citizen_id, _anchor="checkins"), 303)
    return render(
        "staff/caseworker_view.html",
        status=422 if form.errors else 200,
        form=form,
        citizen=person,
        period=period,
        starts=checkins.period_start(period),
        checkin=checkins.get_checkin(citizen_id, period),
        questions=checkins.QUESTIONS,
        choices=checkins.CHOICES,
    )


class ChangeForm(FlaskForm):
    period = SelectField(_l("Which quarter's answers led to it"), validators=[InputRequired()])
    tag = SelectField(
        _l("What it is about (shown in every language)"),
        choices=required_options(public_report.CHANGE_TAGS.items()),
        validators=[InputRequired()],
    )
    text_da = TextAreaField(
        _l("What we changed, in Danish (published as written)"),
        validators=[
            DataRequired(message=_l("Write what was changed")),
            Length(max=400, message=_l("Write at most 400 characters")),
        ],
    )


@bp.route("/<lang>/staff/report/changes", methods=["GET", "POST"])
@coordinator_only
def evaluation_changes():
    """What we changed because of the answers: written by the coordinator, shown in the public
    report under the quarter it answers, the tag in the reader's language."""
    form = ChangeForm()
    periods = public_report.recent_periods()
    form.period.choices = required_options(
        [(p, format_date(checkins.period_start(p), "QQQQ y")) for p in periods]
    )
    if form.validate_on_submit():
        public_report.save_change(
            form.period.data, form.tag.data, form.text_da.data.strip(), current_user.id
        )
        audit(current_user.id, "wrote-evaluation-change", None, form.period.data)
        flash(_l("Published in the evaluation report."))
        return redirect(url_for("staff.evaluation_changes"), 303)
    return render(
        "staff/evaluation_changes.html",
        status=422 if form.errors else 200,
        form=form,
        changes=public_report.list_changes(),
        tags=public_report.CHANGE_TAGS,
        start_of=checkins.period_start,
    )


@bp.post("/<lang>/staff/report/changes/<int:change_id>/delete")
@coordinator_only
def delete_evaluation_change(change_id: int):
    """Take a note out of the public report."""
    if not public_report.delete_change(change_id):
        abort(404)
    audit(current_user.id, "deleted-evaluation-change", None, str(change_id))
    flash(_l("Removed from the evaluation report."))
    return redirect(url_for("staff.evaluation_changes"), 303)
