"""The caseworker's workspace and the coordinator's tools.

Staff screens are in Danish and English; other prefixes redirect to English. Citizens and helpers
get a 404 on every staff route, and a caseworker opens only citizens of their own caseload (or of a
caseworker they stand in for) — `caseload.staff_can_open` decides, and every look is audited.
"""

from __future__ import annotations

import datetime
import functools

import segno
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
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
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from . import accounts, caseload, interpreting, records, signin
from .access import coordinator_only, staff_only
from .content import GUIDES, library
from .db import audit
from .forms import options
from .languages import BY_CODE, LANGUAGES
from .pages import render

bp = Blueprint("staff", __name__)


def open_citizen(citizen_id: int) -> dict:
    """The citizen, if this staff member may open the record; audited. Otherwise a 404."""
    if not caseload.staff_can_open(g.staff, citizen_id):
        abort(404)
    citizen = records.get_citizen(citizen_id)
    if citizen is None:
        abort(404)
    audit(current_user.id, f"staff-view {request.endpoint}", citizen_id)
    return citizen


def _language_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(lang.code, f"{lang.endonym} ({lang.name})") for lang in LANGUAGES]
    return [("", blank), *choices] if blank is not None else choices


def _caseworker_choices(exclude: int | None = None) -> list[tuple[str, str]]:
    return [
        (str(row["id"]), row["name"])
        for row in caseload.caseworkers()
        if row["role"] == "caseworker" and row["id"] != exclude
    ]


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
        languages=_language_choices(str(_l("All languages"))),
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
    form.lang.choices = options(_language_choices())
    form.interpreter_language.choices = options(_language_choices(str(_l("No interpreter"))))
    form.caseworker.choices = options(_caseworker_choices())
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
        )
        accounts.issue_letter(citizen_id, current_user.id)
        audit(current_user.id, "created-citizen", citizen_id)
        return redirect(url_for("staff.letter", citizen_id=citizen_id), 303)
    return render("staff/citizen_form.html", status=422 if form.errors else 200, form=form)


@bp.get("/<lang>/staff/citizens/<int:citizen_id>")
@staff_only
def citizen(citizen_id: int):
    """The citizen's record: profile, caseworker history, meetings, decisions, requests."""
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
    form.kind.choices = options(
        [
            (slug, lib.title_of(g.lang, slug))
            for slug, (kind, _ids) in GUIDES.items()
            if kind == "meeting"
        ]
    )
    form.interpreter_language.choices = options(_language_choices(str(_l("No interpreter"))))
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
            audit(current_user.id, "scheduled-meeting", citizen_id)
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
        audit(current_user.id, "changed-meeting", person["id"])
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
    caseload.cancel_meeting(meeting_id)
    audit(current_user.id, "cancelled-meeting", person["id"])
    flash(_l("The meeting is cancelled. The citizen can see it now."))
    return redirect(url_for("staff.citizen", citizen_id=person["id"]), 303)


# --- decisions ------------------------------------------------------------------------------


class DecisionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Enter a title")), Length(max=200)]
    )
    area = StringField(_l("Area"), validators=[Length(max=100)])
    decided_on = DateField(_l("Decided on"), validators=[InputRequired(message=_l("Enter a date"))])
    received_on = DateField(
        _l("Received by the citizen on"), validators=[InputRequired(message=_l("Enter a date"))]
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
        audit(current_user.id, "recorded-decision", citizen_id)
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


# --- hand-over and absence ------------------------------------------------------------------


class HandOverForm(FlaskForm):
    caseworker = SelectField(_l("New caseworker"), validators=[InputRequired()])
    reason = StringField(
        _l("Reason (the citizen sees it)"),
        validators=[DataRequired(message=_l("Write a short reason")), Length(max=300)],
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
    form.caseworker.choices = options(
        _caseworker_choices(exclude=current["caseworker_id"] if current else None)
    )
    if form.validate_on_submit():
        caseload.hand_over(citizen_id, int(form.caseworker.data), form.reason.data)
        audit(current_user.id, "handed-over", citizen_id)
        flash(_l("The citizen has a new caseworker. They can see the change and the reason."))
        if caseload.staff_can_open(g.staff, citizen_id):
            return redirect(url_for("staff.citizen", citizen_id=citizen_id), 303)
        return redirect(url_for("staff.home"), 303)
    return render(
        "staff/handover.html", status=422 if form.errors else 200, form=form, citizen=person
    )


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
    form.substitute.choices = options([("", "—"), *_caseworker_choices(exclude=current_user.id)])
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
    reason = StringField(
        _l("Reason (the citizens see it)"),
        validators=[DataRequired(message=_l("Write a short reason")), Length(max=300)],
    )

    def validate_target(self, field):
        if field.data == self.source.data:
            raise ValidationError(str(_l("Choose two different caseworkers")))


@bp.route("/<lang>/staff/move-caseload", methods=["GET", "POST"])
@coordinator_only
def move_caseload():
    """Move a whole caseload to another caseworker."""
    form = MoveForm()
    form.source.choices = form.target.choices = options(_caseworker_choices())
    if form.validate_on_submit():
        moved = caseload.move_caseload(
            int(form.source.data), int(form.target.data), form.reason.data
        )
        audit(current_user.id, "moved-caseload", None, f"{moved}")
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


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# --- interpreters ---------------------------------------------------------------------------


@bp.get("/<lang>/staff/interpreters")
@staff_only
def interpreter_queue():
    """Open interpreter requests of my caseload, soonest first, each with the free matches."""
    ids = (
        None
        if current_user.role == "coordinator"
        else caseload.covered_caseworkers(current_user.id)
    )
    items = [
        {
            "req": req,
            "matches": interpreting.matching_interpreters(req)
            if req["status"] == "requested"
            else [],
        }
        for req in interpreting.queue(ids)
    ]
    return render("staff/interpreter_queue.html", items=items)


def _open_request(request_id: int) -> dict:
    """A request of a citizen this staff member may open; otherwise a 404."""
    req = interpreting.staff_request(request_id)
    if not req:
        abort(404)
    open_citizen(req["citizen_id"])
    return req


@bp.post("/<lang>/staff/interpreters/<int:request_id>/book")
@staff_only
def book_interpreter(request_id: int):
    """Book one of the matching interpreters; a race's loser gets a clear message."""
    req = _open_request(request_id)
    interpreter = request.form.get("interpreter", "")
    video_url = request.form.get("video_url", "").strip()[:300]
    if video_url and not video_url.startswith("https://"):
        flash(_l("Enter a full video link starting with https://"))
        return redirect(url_for("staff.interpreter_queue"), 303)
    try:
        interpreting.book(request_id, int(interpreter) if interpreter.isdigit() else -1, video_url)
    except interpreting.Conflict:
        flash(
            _l(
                "This interpreter is no longer free at that time, or the request was already "
                "handled. Look at the list again and choose another."
            )
        )
        return redirect(url_for("staff.interpreter_queue", _anchor=f"request-{request_id}"), 303)
    audit(current_user.id, "booked-interpreter", req["citizen_id"])
    flash(_l("Booked. The citizen can see it now."))
    return redirect(url_for("staff.interpreter_queue"), 303)


@bp.post("/<lang>/staff/interpreters/<int:request_id>/<action>")
@staff_only
def interpreter_action(request_id: int, action: str):
    """Mark a request done, or cancel it with a reason the citizen sees."""
    req = _open_request(request_id)
    if action == "done":
        interpreting.set_status(request_id, "done")
    elif action == "cancel":
        reason = request.form.get("reason", "").strip()[:300]
        if not reason:
            flash(_l("Write a short reason; the citizen sees it."))
            return redirect(
                url_for("staff.interpreter_queue", _anchor=f"request-{request_id}"), 303
            )
        interpreting.set_status(request_id, "cancelled", reason)
    else:
        abort(404)
    audit(current_user.id, f"interpreter-{action}", req["citizen_id"])
    return redirect(url_for("staff.interpreter_queue"), 303)


class InterpreterRegisterForm(FlaskForm):
    name = StringField(
        _l("Full name"), validators=[DataRequired(message=_l("Enter the name")), Length(max=100)]
    )
    languages = StringField(
        _l("Languages (codes, separated by spaces, e.g. ar prs)"),
        validators=[DataRequired(message=_l("Enter at least one language")), Length(max=100)],
    )
    dialects = StringField(_l("Dialects (e.g. levantine iraqi)"), validators=[Length(max=200)])
    certification = SelectField(
        _l("Certification"),
        choices=options(interpreting.CERTIFICATION_LABELS.items()),
    )
    modes = StringField(
        _l("Modes (in-person video phone)"),
        validators=[DataRequired(message=_l("Enter at least one mode"))],
    )
    gender = SelectField(
        _l("Gender"), choices=options([("", "–"), ("f", _l("Woman")), ("m", _l("Man"))]), default=""
    )
    fields = StringField(
        _l("Fields (health social legal employment)"), validators=[Length(max=100)]
    )
    phone = StringField(_l("Phone"), validators=[Length(max=30)])
    email = StringField(_l("E-mail"), validators=[Length(max=100)])
    active = BooleanField(_l("Active"), default=True)

    def validate_languages(self, field):
        unknown = [c for c in field.data.lower().split() if c not in interpreting.known_languages()]
        if unknown:
            raise ValidationError(
                str(_l("Unknown language code: %(codes)s", codes=" ".join(unknown)))
            )

    def validate_modes(self, field):
        if any(m not in interpreting.MODES for m in field.data.lower().split()):
            raise ValidationError(str(_l("Use only in-person, video and phone")))

    def validate_fields(self, field):
        if any(f not in interpreting.FIELDS for f in (field.data or "").lower().split()):
            raise ValidationError(str(_l("Use only health, social, legal and employment")))


def _register_values(form: InterpreterRegisterForm) -> dict:
    return {
        "name": form.name.data.strip(),
        "languages": " ".join(form.languages.data.lower().split()),
        "dialects": " ".join((form.dialects.data or "").lower().split()),
        "certification": form.certification.data,
        "modes": " ".join(form.modes.data.lower().split()),
        "gender": form.gender.data or None,
        "fields": " ".join((form.fields.data or "").lower().split()),
        "phone": (form.phone.data or "").strip() or None,
        "email": (form.email.data or "").strip() or None,
        "active": 1 if form.active.data else 0,
    }


@bp.route("/<lang>/staff/register", methods=["GET", "POST"])
@coordinator_only
def register():
    """The register of interpreters: the list and a form to add one."""
    form = InterpreterRegisterForm()
    if form.validate_on_submit():
        interpreting.save_interpreter(_register_values(form))
        audit(current_user.id, "added-interpreter", None)
        flash(_l("The interpreter is added."))
        return redirect(url_for("staff.register"), 303)
    page = request.args.get("page", 1, type=int) or 1
    interpreters, total = interpreting.list_interpreters(page)
    return render(
        "staff/register.html",
        status=422 if form.errors else 200,
        form=form,
        interpreters=interpreters,
        total=total,
        page=page,
        pages=max(1, -(-total // interpreting.REGISTER_PAGE)),
    )


@bp.route("/<lang>/staff/register/<int:interpreter_id>", methods=["GET", "POST"])
@coordinator_only
def edit_interpreter(interpreter_id: int):
    """Edit or deactivate an interpreter."""
    found = interpreting.get_interpreter(interpreter_id)
    if not found:
        abort(404)
    form = InterpreterRegisterForm(data=found if request.method == "GET" else None)
    if request.method == "GET":
        form.gender.data = found["gender"] or ""
        form.active.data = bool(found["active"])
    if form.validate_on_submit():
        interpreting.save_interpreter(_register_values(form), interpreter_id)
        audit(current_user.id, "changed-interpreter", None)
        flash(_l("Saved."))
        return redirect(url_for("staff.register"), 303)
    return render(
        "staff/interpreter_form.html",
        status=422 if form.errors else 200,
        form=form,
        interpreter=found,
    )


SHOWN_PROBLEMS = 50  # the first problems, then a count: a broken 10 MB file is not a 10 MB page


@bp.route("/<lang>/staff/register/import", methods=["GET", "POST"])
@coordinator_only
def import_interpreters():
    """CSV import: every row valid, or nothing is imported and each bad line is named."""
    problems: list[tuple[int, str]] = []
    imported = None
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        raw = upload.read() if upload else b""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
            problems = [(0, "the file is not UTF-8 text")]
        if text is not None:
            rows, problems = interpreting.parse_csv(text)
            if not problems:
                imported = interpreting.import_interpreters(rows)
                audit(current_user.id, "imported-interpreters", None, str(imported))
        status = 422 if problems else 200
    return render(
        "staff/import.html",
        status=status,
        problems=problems[:SHOWN_PROBLEMS],
        more_problems=max(0, len(problems) - SHOWN_PROBLEMS),
        imported=imported,
        max_rows=interpreting.MAX_IMPORT_ROWS,
    )
