"""Staff: my absence and stand-in; the coordinator's staff accounts, caseload moves and audit log."""

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
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from .. import accounts, caseload, records, signin
from ..access import coordinator_only, staff_only
from ..db import audit
from ..forms import options, required_options
from ..pages import render
from . import bp, caseworker_choices, reason_choices

# --- absence -------------------------------------------------------------------------------


class AbsenceForm(FlaskForm):
    substitute = SelectField(_l("Substitute"), validators=[Optional()])
    start = DateField(_l("Away from"), validators=[Optional()])
    end = DateField(_l("Away until (including)"), validators=[Optional()])

    def validate_end(self, field):
        if bool(self.start.data) != bool(field.data) or bool(self.substitute.data) != bool(
            field.data
        ):
            raise ValidationError(
                str(_l("Give a substitute and both dates, or none to end the absence"))
            )
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(str(_l("The last day cannot be before the first")))


@bp.route("/<lang>/staff/absence", methods=["GET", "POST"])
@staff_only
def absence():
    """Set a substitute for a period; my citizens see the substitute during it."""
    form = AbsenceForm()
    form.substitute.choices = options([("", "—"), *caseworker_choices(exclude=current_user.id)])
    if request.method == "GET":
        form.substitute.data = str(g.staff["substitute_id"] or "")
        form.start.data = _date(g.staff["absent_from"])
        form.end.data = _date(g.staff["absent_to"])
    if form.validate_on_submit():
        caseload.set_absence(
            current_user.id,
            int(form.substitute.data) if form.substitute.data else None,
            form.start.data,
            form.end.data,
        )
        audit(current_user.id, "set-absence", None)
        flash(_l("Your absence is saved."))
        return redirect(url_for("staff.home"), 303)
    return render("staff/absence.html", status=422 if form.errors else 200, form=form)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- coordinator ----------------------------------------------------------------------------


class StaffForm(FlaskForm):
    name = StringField(
        _l("Full name"), validators=[DataRequired(message=_l("Enter the name")), Length(max=100)]
    )
    login = StringField(
        _l("Login id"),
        validators=[
            DataRequired(message=_l("Choose a login id")),
            Regexp(
                r"^[a-z0-9._-]{3,40}$",
                message=_l("Use 3 to 40 small letters, numbers, dots or dashes"),
            ),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=options([("caseworker", _l("Caseworker")), ("coordinator", _l("Coordinator"))]),
    )
    lang = SelectField(_l("Language"), choices=options([("da", "Dansk"), ("en", "English")]))


@bp.route("/<lang>/staff/accounts", methods=["GET", "POST"])
@coordinator_only
def accounts_page():
    """Staff accounts: create, deactivate, reset password with a one-time code."""
    form = StaffForm()
    code = None
    if form.validate_on_submit():
        if accounts.login_taken(form.login.data):
            form.login.errors.append(_l("This login id is taken. Choose another."))
        else:
            user_id = caseload.create_staff(
                form.login.data, form.name.data, form.role.data, form.lang.data
            )
            code = accounts.issue_code(user_id, "activate", days=7)
            audit(current_user.id, "created-staff", user_id)
    return render(
        "staff/accounts.html",
        status=422 if form.errors else 200,
        form=form,
        code=code,
        people=caseload.caseworkers(active_only=False),
        locked=signin.locked_logins(),
    )


@bp.post("/<lang>/staff/accounts/<int:user_id>/<action>")
@coordinator_only
def account_action(user_id: int, action: str):
    """Deactivate, reactivate, unlock sign-in, or reset a password with a one-time code."""
    person = records.get_staff(user_id)
    if (
        not person
        or person["role"] not in ("caseworker", "coordinator")
        or user_id == current_user.id
    ):
        abort(404)
    code = None
    if action == "deactivate":
        caseload.set_active(user_id, False)
    elif action == "reactivate":
        caseload.set_active(user_id, True)
    elif action == "reset":
        code = accounts.issue_code(user_id, "activate", days=7)
    elif action == "unlock":
        signin.clear_failures(person["login"])
    else:
        abort(404)
    audit(current_user.id, f"staff-{action}", user_id)
    return render(
        "staff/accounts.html",
        form=StaffForm(formdata=None),
        code=code,
        code_for=person["name"],
        unlocked=person["name"] if action == "unlock" else None,
        people=caseload.caseworkers(active_only=False),
        locked=signin.locked_logins(),
    )


class MoveForm(FlaskForm):
    source = SelectField(_l("From caseworker"), validators=[InputRequired()])
    target = SelectField(_l("To caseworker"), validators=[InputRequired()])
    reason_id = SelectField(
        _l("Reason (the citizens read it in their language)"),
        validators=[InputRequired(message=_l("Choose a reason"))],
    )
    reason = StringField(
        _l("Your own words, in Danish (optional)"),
        validators=[Length(max=300, message=_l("Write at most 300 characters"))],
    )

    def validate_target(self, field):
        if field.data == self.source.data:
            raise ValidationError(str(_l("Choose two different caseworkers")))


@bp.route("/<lang>/staff/move-caseload", methods=["GET", "POST"])
@coordinator_only
def move_caseload():
    """Move a whole caseload to another caseworker."""
    form = MoveForm()
    form.source.choices = form.target.choices = required_options(caseworker_choices())
    form.reason_id.choices = reason_choices()
    if form.validate_on_submit():
        moved = caseload.move_caseload(
            int(form.source.data),
            int(form.target.data),
            form.reason_id.data,
            form.reason.data,
            current_user.id,
        )
        flash(ngettext("%(num)d citizen moved.", "%(num)d citizens moved.", moved))
        return redirect(url_for("staff.home"), 303)
    return render("staff/move.html", status=422 if form.errors else 200, form=form)


@bp.get("/<lang>/staff/audit")
@coordinator_only
def audit_log():
    """Who opened whose record, and when; filter by person or action."""
    actor = request.args.get("actor", "")[:100]
    subject = request.args.get("subject", "")[:100]
    action = request.args.get("action", "")[:60]
    return render(
        "staff/audit.html",
        entries=caseload.audit_entries(actor, subject, action),
        actor=actor,
        subject=subject,
        action=action,
    )
