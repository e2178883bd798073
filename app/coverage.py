"""Language coverage for staff and translators, and "my language is missing" requests."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .access import public_page
from .catalogs import citizen_screen_texts
from .content import GUIDES, coverage, library
from .language_requests import list_language_requests, save_language_request
from .pages import render
from .security import limiter
from .tracking import waiting_parts

bp = Blueprint("coverage", __name__)


@cache
def ui_coverage(translations: str) -> dict[str, dict[str, int]]:
    """Per locale: citizen-facing screen texts translated, fuzzy, untranslated; read once."""
    return citizen_screen_texts(Path(current_app.root_path).parent, Path(translations))


@bp.get("/<lang>/about/languages")
@public_page()
def languages():
    """Per language: guides present, draft or reviewed, parts current or outdated against the
    Danish, glossary size, screen texts translated or needing a check."""
    ui = ui_coverage(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    rows = [{**row, "ui": ui[row["lang"].locale]} for row in coverage(library())]
    waiting = waiting_parts(library(), g.lang)
    return render("coverage/languages.html", rows=rows, guide_total=len(GUIDES), waiting=waiting)


class MissingLanguageForm(FlaskForm):
    language = StringField(
        _l("Which language do you read best?"),
        validators=[
            DataRequired(message=_l("Write the name of your language")),
            Length(max=100, message=_l("Write at most 100 letters")),
        ],
    )
    contact = StringField(
        _l("Phone or e-mail (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Write at most 200 letters"))],
    )
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])


@bp.route("/<lang>/language/missing", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def missing_language():
    """A short form: which language we should add. Stored once per form, for the coordinator."""
    form = MissingLanguageForm()
    if form.validate_on_submit():
        save_language_request(form.language.data, form.contact.data, g.lang, form.key.data)
        return redirect(url_for("coverage.missing_language_thanks"), 303)
    if not form.key.data or form.key.errors:
        form.key.data = secrets.token_urlsafe(16)
    status = 422 if form.errors else 200
    response = render("coverage/missing_language.html", status=status, form=form)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<lang>/language/missing/thanks")
def missing_language_thanks():
    """Confirmation: what happens with the request."""
    return render("coverage/missing_language_thanks.html")


@bp.get("/<lang>/staff/language-requests")
@login_required
def language_requests():
    """The coordinator's list of languages people asked for."""
    if current_user.role != "coordinator":
        abort(404)
    response = render("coverage/language_requests.html", requests=list_language_requests())
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
