"""Asking for a caseworker's Danish words in my language (a person translates them)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from .. import written_translations
from ..access import citizen_page, own_only
from ..forms import options
from . import route


class AskForm(FlaskForm):
    source = SelectField(
        choices=options(written_translations.SOURCES), validators=[InputRequired()]
    )
    object_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**63 - 1)])


@route("/translations", methods=["POST"])
@citizen_page
def ask_translation(citizen: dict):
    """Ask for these Danish words in the language I read now; stored once, then back to them."""
    own_only()
    form = AskForm()
    if not form.validate_on_submit():
        abort(400)
    source, object_id = form.source.data, form.object_id.data
    # Someone else's record, or words that no longer exist, look the same: 404.
    if not written_translations.current_text(citizen["id"], source, object_id):
        abort(404)
    if g.lang != "da":
        written_translations.ask(citizen["id"], source, object_id, g.lang, current_user.id)
    flash(_l("Thank you. A person will translate it, and you will see it here."))
    if source == "handover":
        return redirect(url_for("me.home", _anchor="caseworker-title"), 303)
    return redirect(url_for("me.meeting", meeting_id=object_id), 303)
