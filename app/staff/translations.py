"""Staff: the written translation requests of my citizens, and entering a translation."""

from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .. import written_translations
from ..access import staff_only
from ..languages import BY_CODE
from ..pages import render
from . import bp, open_citizen


class TranslationForm(FlaskForm):
    translation = TextAreaField(
        _l("The translation"),
        validators=[
            DataRequired(message=_l("Write the translation")),
            Length(max=2000, message=_l("Write at most 2000 characters")),
        ],
    )


@bp.get("/<lang>/staff/translations")
@staff_only
def translation_queue():
    """Requests waiting for a person to translate: mine (and those I stand in for), oldest
    first; the coordinator sees every one."""
    return render(
        "staff/translation_queue.html",
        requests=written_translations.queue_for(g.staff),
    )


@bp.route("/<lang>/staff/translations/<int:request_id>", methods=["GET", "POST"])
@staff_only
def translate(request_id: int):
    """Enter (or correct) the translation of one request; the citizen sees it marked as
    translated by a person, with the Danish one tap away."""
    found = written_translations.get_request(request_id)
    if not found:
        abort(404)
    citizen = open_citizen(found["citizen_id"])  # 404 unless I may open the record; audited
    form = TranslationForm(data={"translation": found["translation"] or ""})
    if form.validate_on_submit():
        written_translations.answer(request_id, form.translation.data, current_user.id)
        flash(_l("Saved. The citizen now sees the translation."))
        return redirect(url_for("staff.translation_queue"), 303)
    return render(
        "staff/translation_form.html",
        status=422 if form.errors else 200,
        form=form,
        found=found,
        citizen=citizen,
        language=BY_CODE.get(found["lang"]),
    )
