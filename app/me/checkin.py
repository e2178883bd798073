"""The check-in every three months: four short questions in the citizen's own voice.

Only the citizen answers (a helper gets a 404): the answer is their own voice. The form works
offline through the phone's outbox like the answers after a meeting: it carries its quarter and
an idempotency key, so an answer kept on the phone counts in the quarter it was given and is
stored once however often it arrives.
"""

from __future__ import annotations

import secrets

from flask import flash, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from .. import checkins
from ..access import citizen_page, own_only
from ..db import audit
from ..forms import options
from ..pages import render
from . import route

CHOOSE = _l("Choose an answer")


def _scale(values: dict) -> list:
    return options([(str(key), label) for key, label in values.items()])


class CheckinForm(FlaskForm):
    life_better = RadioField(
        checkins.QUESTIONS["life_better"],
        choices=_scale(checkins.LIFE),
        validators=[InputRequired(message=CHOOSE)],
    )
    help_mattered = RadioField(
        checkins.QUESTIONS["help_mattered"],
        choices=_scale(checkins.HELP),
        validators=[InputRequired(message=CHOOSE)],
    )
    working_together = RadioField(
        checkins.QUESTIONS["working_together"],
        choices=_scale(checkins.WORKING),
        validators=[InputRequired(message=CHOOSE)],
    )
    need = RadioField(
        checkins.QUESTIONS["need"],
        choices=options(checkins.NEEDS.items()),
        validators=[InputRequired(message=CHOOSE)],
    )
    free_text = TextAreaField(
        _l("Anything else? Write in any language (optional)"),
        validators=[Length(max=2000, message=_l("Write at most 2000 characters"))],
    )
    period = HiddenField()
    key = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])


@route("/checkin", methods=["GET", "POST"])
@citizen_page
def checkin(citizen: dict):
    """Four short questions; one answer per quarter, a second answer changes the first."""
    own_only()
    form = CheckinForm()
    period = checkins.answer_period(form.period.data if request.method == "POST" else None)
    existing = checkins.get_checkin(citizen["id"], period)
    if request.method == "GET":
        form.period.data = period
        form.key.data = secrets.token_urlsafe(16)
        if existing:
            for name in ("life_better", "help_mattered", "working_together", "need", "free_text"):
                getattr(form, name).data = str(existing[name])
    if form.validate_on_submit():
        stored = checkins.save_checkin(
            citizen["id"],
            period,
            {
                "life_better": int(form.life_better.data),
                "help_mattered": int(form.help_mattered.data),
                "working_together": int(form.working_together.data),
                "need": form.need.data,
                "free_text": (form.free_text.data or "").strip(),
                "free_text_lang": g.lang,
            },
            form.key.data,
        )
        if stored:
            audit(current_user.id, "answered-checkin", citizen["id"])
        flash(_l("Thank you. Your answer helps the municipality do better."))
        return redirect(url_for("me.home", _anchor="checkin"), 303)
    return render(
        "me/checkin.html",
        status=422 if form.errors else 200,
        citizen=citizen,
        form=form,
        period=period,
        starts=checkins.period_start(period),
        existing=existing,
    )
