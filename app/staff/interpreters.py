"""Staff: the interpreter queue and bookings; the coordinator's register and CSV import."""

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
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    ValidationError,
)

from .. import caseload, interpreting
from ..access import coordinator_only, staff_only
from ..db import audit
from ..forms import options
from ..pages import render
from . import bp, open_citizen

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
    queue = interpreting.queue(ids)
    matches = interpreting.matches_for([req for req in queue if req["status"] == "requested"])
    items = [{"req": req, "matches": matches.get(req["id"], [])} for req in queue]
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
        validate_choice=False,  # validate_certification says it in the staff member's language
    )
    modes = StringField(
        _l("Modes (in-person video phone)"),
        validators=[DataRequired(message=_l("Enter at least one mode"))],
    )
    gender = SelectField(
        _l("Gender"),
        choices=options([("", "–"), ("f", _l("Woman")), ("m", _l("Man"))]),
        default="",
        validate_choice=False,
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

    def validate_certification(self, field):
        if field.data not in interpreting.CERTIFICATIONS:
            raise ValidationError(
                str(
                    _l(
                        "Use one of: %(values)s",
                        values=", ".join(interpreting.CERTIFICATIONS),
                    )
                )
            )

    def validate_gender(self, field):
        if (field.data or "") not in ("", *interpreting.GENDERS):
            raise ValidationError(str(_l("Use f, m or leave it empty")))

    def validate_email(self, field):
        if field.data and not interpreting.EMAIL.match(field.data.strip()):
            raise ValidationError(str(_l("Write an e-mail address like name@example.dk")))

    @classmethod
    def from_csv_row(cls, row: dict) -> InterpreterRegisterForm:
        """The form filled from one CSV row, so the import checks exactly what the page checks.
        Returns the form with an extra error when the active column is not yes/no."""
        active = row.get("active", "").lower()
        data = MultiDict({k: v for k, v in row.items() if k != "active"})
        data["languages"] = data.get("languages", "").lower()
        data["modes"] = data.get("modes", "").lower()
        data["gender"] = data.get("gender", "").lower()
        if active in ("", "1", "yes", "true", "ja", "x"):
            data["active"] = "y"
        form = cls(formdata=data, meta={"csrf": False})
        form.active_problem = active not in (
            "",
            "1",
            "0",
            "yes",
            "no",
            "true",
            "false",
            "ja",
            "nej",
        )
        return form


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


def _csv_problems(form: InterpreterRegisterForm) -> str:
    """A row's problems in the staff member's language: "Field: message; …"."""
    found = form.errors if not form.validate() else {}
    reasons = [
        f"{form[name].label.text}: {' '.join(map(str, msgs))}" for name, msgs in found.items()
    ]
    if form.active_problem:
        reasons.append(str(_l("Active: write yes or no")))
    return "; ".join(reasons)


@bp.route("/<lang>/staff/register/import", methods=["GET", "POST"])
@coordinator_only
def import_interpreters():
    """CSV import: every row valid, or nothing is imported and each bad line is named."""
    problems: list[tuple[int, str]] = []
    imported = None
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        text = interpreting.decode_csv(upload.read() if upload else b"")
        lines, problems = interpreting.read_csv(text)
        rows = []
        for line, row in lines:
            form = InterpreterRegisterForm.from_csv_row(row)
            why = _csv_problems(form)
            if why:
                problems.append((line, why))
            else:
                rows.append(_register_values(form))
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
