"""Staff: the caseload, a citizen's record, activation letters and access resets, hand-over and erasure."""

from __future__ import annotations

import datetime
import functools

import segno
from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from .. import accounts, caseload, checkins, records, retention
from ..access import coordinator_only, staff_only
from ..content import library
from ..db import audit
from ..forms import options, required_options
from ..languages import BY_CODE
from ..pages import render
from . import bp, caseworker_choices, language_choices, open_citizen, reason_choices

# --- caseload -------------------------------------------------------------------------------


@bp.get("/<lang>/staff")
@staff_only
def home():
    """My caseload: next meeting, open deadlines, unread explanation requests; search and filter."""
    query = request.args.get("q", "")[:100]
    language = request.args.get("language", "")
    if language not in BY_CODE:
        language = ""
    rows = caseload.list_caseload(g.staff, query, language)
    return render(
        "staff/caseload.html",
        rows=rows,
        query=query,
        language=language,
        languages=language_choices(str(_l("All languages"))),
    )


# --- citizens -------------------------------------------------------------------------------


class CitizenForm(FlaskForm):
    name = StringField(
        _l("Full name"), validators=[DataRequired(message=_l("Enter the name")), Length(max=100)]
    )
    lang = SelectField(_l("Language in Bro"), validators=[InputRequired()])
    interpreter_language = SelectField(_l("Interpreter language"), default="")
    interpreter_dialect = StringField(
        _l("Dialect (e.g. Dari, Sorani, Levantine Arabic)"), validators=[Length(max=60)]
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Regexp(r"^\+?[0-9 ]{8,20}$", message=_l("Write a phone number with digits only")),
        ],
    )
    caseworker = SelectField(_l("Caseworker"), validators=[InputRequired()])


@bp.route("/<lang>/staff/citizens/new", methods=["GET", "POST"])
@staff_only
def new_citizen():
    """Create a citizen; an activation code is issued and the letter opens."""
    form = CitizenForm()
    form.lang.choices = required_options(language_choices())
    form.interpreter_language.choices = options(language_choices(str(_l("No interpreter"))))
    form.caseworker.choices = required_options(caseworker_choices())
    if request.method == "GET":
        form.caseworker.data = str(current_user.id)
    if form.validate_on_submit():
        citizen_id = caseload.create_citizen(
            form.name.data,
            form.lang.data,
            form.interpreter_language.data,
            form.interpreter_dialect.data,
            form.phone.data,
            int(form.caseworker.data),
            current_user.id,
        )
        return redirect(url_for("staff.letter", citizen_id=citizen_id), 303)
    return render("staff/citizen_form.html", status=422 if form.errors else 200, form=form)


@bp.get("/<lang>/staff/citizens/<int:citizen_id>")
@staff_only
def citizen(citizen_id: int):
    """The citizen's record: profile, caseworker history, meetings, decisions, requests, and the
    check-ins with the caseworker's view of each quarter."""
    person = open_citizen(citizen_id)
    lib = library()
    return render(
        "staff/citizen.html",
        citizen=person,
        may_hand_over=caseload.may_hand_over(g.staff, citizen_id),
        history=records.assignment_history(citizen_id),
        meetings=records.list_meetings_for(citizen_id),
        decisions=records.list_decisions_for(citizen_id),
        explanations=caseload.explanation_requests_for(citizen_id),
        helpers=records.helpers_of(citizen_id),
        guide_title=functools.partial(lib.title_of, g.lang),
        deleted_on=retention.case_deleted_on(citizen_id),
        checkin_periods=checkins.periods_for(citizen_id),
        checkin_questions=checkins.QUESTIONS,
        checkin_choices=checkins.CHOICES,
        voice_questions=checkins.VOICE_QUESTIONS,
        voice_choices=checkins.VOICE_CHOICES,
    )


@bp.post("/<lang>/staff/citizens/<int:citizen_id>/code")
@staff_only
def reissue_code(citizen_id: int):
    """A new activation letter for a citizen who has not activated yet; the old code is void.

    For an account in use this would hand the account to whoever holds the letter, so it is a
    separate, explicit act with a reason: reset access.
    """
    person = open_citizen(citizen_id)
    if person["activated"]:
        return redirect(url_for("staff.reset_access", citizen_id=citizen_id), 303)
    accounts.issue_letter(citizen_id, current_user.id)
    audit(current_user.id, "reissued-code", citizen_id)
    return redirect(url_for("staff.letter", citizen_id=citizen_id), 303)


class ResetAccessForm(FlaskForm):
    reason = StringField(
        _l("Why? (kept in the audit log)"),
        validators=[DataRequired(message=_l("Write a short reason")), Length(max=300)],
    )


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/reset-access", methods=["GET", "POST"])
@staff_only
def reset_access(citizen_id: int):
    """Reset a citizen's access: password, passkeys and sessions end; a new letter is made."""
    person = open_citizen(citizen_id)
    form = ResetAccessForm()
    if form.validate_on_submit():
        accounts.reset_access(citizen_id, current_user.id, form.reason.data.strip())
        return redirect(url_for("staff.letter", citizen_id=citizen_id), 303)
    return render(
        "staff/reset_access.html", status=422 if form.errors else 200, form=form, citizen=person
    )


@bp.get("/<lang>/staff/citizens/<int:citizen_id>/letter")
@staff_only
def letter(citizen_id: int):
    """The printable activation letter: the citizen's language beside Danish, with a QR code."""
    person = open_citizen(citizen_id)
    code = accounts.take_letter_code(citizen_id, current_user.id)
    if code:
        audit(current_user.id, "letter-shown", citizen_id)
    card = records.caseworker_card(citizen_id)
    caseworker = card["caseworker"]["name"] if card else ""
    columns = []
    expires = records.today() + datetime.timedelta(days=accounts.ACTIVATION_DAYS)
    for code_lang in dict.fromkeys([person["lang"], "da"]):
        language = BY_CODE[code_lang]
        url = url_for("auth.activate", lang=code_lang, code=code, _external=True) if code else ""
        with force_locale(language.locale):
            html = render_template(
                "letters/_activation.html",
                citizen=person,
                caseworker=caseworker,
                code=code,
                url=url,
                expires=expires,
            )
        columns.append({"lang": language, "html": Markup(html)})
    qr = None
    if code:
        target = url_for("auth.activate", lang=person["lang"], code=code, _external=True)
        qr = Markup(segno.make(target, error="m").svg_inline(scale=4, dark="#000", light="#fff"))
    return render("staff/letter.html", citizen=person, code=code, columns=columns, qr=qr)


# --- hand-over -----------------------------------------------------------------------------


class HandOverForm(FlaskForm):
    caseworker = SelectField(_l("New caseworker"), validators=[InputRequired()])
    reason_id = SelectField(
        _l("Reason (the citizen reads it in their language)"),
        validators=[InputRequired(message=_l("Choose a reason"))],
    )
    reason = StringField(
        _l("Your own words, in Danish (optional)"),
        validators=[Length(max=300, message=_l("Write at most 300 characters"))],
    )


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/handover", methods=["GET", "POST"])
@staff_only
def handover(citizen_id: int):
    """Move the citizen to another caseworker; the history stays."""
    person = open_citizen(citizen_id)
    if not caseload.may_hand_over(g.staff, citizen_id):
        abort(404)
    current = records.current_assignment(citizen_id)
    form = HandOverForm()
    form.caseworker.choices = required_options(
        caseworker_choices(exclude=current["caseworker_id"] if current else None)
    )
    form.reason_id.choices = reason_choices()
    if form.validate_on_submit():
        caseload.hand_over(
            citizen_id,
            int(form.caseworker.data),
            form.reason_id.data,
            form.reason.data,
            current_user.id,
        )
        flash(_l("The citizen has a new caseworker. They can see the change and the reason."))
        if caseload.staff_can_open(g.staff, citizen_id):
            return redirect(url_for("staff.citizen", citizen_id=citizen_id), 303)
        return redirect(url_for("staff.home"), 303)
    return render(
        "staff/handover.html", status=422 if form.errors else 200, form=form, citizen=person
    )


# --- erasure ------------------------------------------------------------------------------


@bp.route("/<lang>/staff/citizens/<int:citizen_id>/erase", methods=["GET", "POST"])
@coordinator_only
def erase(citizen_id: int):
    """Erasure on request: a confirmation that names what goes, then every personal row goes."""
    person = open_citizen(citizen_id)
    if request.method == "POST":
        if request.form.get("confirm") != person["login"]:
            flash(_l("Type the login id to confirm."))
            return render(
                "staff/erase.html",
                status=422,
                citizen=person,
                preview=caseload.erasure_preview(citizen_id),
            )
        pseudonym = caseload.erase_citizen(citizen_id, current_user.id)
        flash(
            _l("Erased. The audit log keeps the entries under %(pseudonym)s.", pseudonym=pseudonym)
        )
        return redirect(url_for("staff.home"), 303)
    return render("staff/erase.html", citizen=person, preview=caseload.erasure_preview(citizen_id))
