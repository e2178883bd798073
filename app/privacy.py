"""The privacy notice and the accessibility statement, public pages in every language.

Every fact that can change lives in one place and is read from there: who is responsible
(configuration, `CONTROLLER_*` and `DPO_CONTACT`), how long records are kept (the retention
rules in `retention.py`, the same ones the deletion job applies) and which cookies Bro sets
(the cookie names and lifetimes in the code that sets them).

The texts are gettext sentences in the templates rather than one document per language: most
paragraphs carry a value from configuration or code, and a changed English sentence then
shows up as one changed entry in each catalog for the translators, like every other screen text.
"""

from __future__ import annotations

import datetime
import os
import secrets

from flask import Blueprint, Flask, current_app, g, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from . import retention, signin
from .access import never_stored, public_page
from .accessibility_reports import save_accessibility_report
from .i18n import LANG_COOKIE, LANG_COOKIE_DAYS
from .page_cache import NOTICE_COOKIE, NOTICE_SECONDS
from .pages import render
from .security import limiter

bp = Blueprint("privacy", __name__)

# Who is responsible. The defaults are examples only: the municipality sets these before going
# live (BRO_CONTROLLER_NAME and so on), and until it does, both pages say they are examples.
PLACEHOLDERS = {
    "CONTROLLER_NAME": "Aarhus Kommune (eksempel)",
    "CONTROLLER_ADDRESS": "Rådhuspladsen 2, 8000 Aarhus C (eksempel)",
    "CONTROLLER_CONTACT": "bro@example.dk, +45 00 00 00 00 (eksempel)",
    "DPO_CONTACT": "databeskyttelse@example.dk, +45 00 00 00 00 (eksempel)",
    "ACCESSIBILITY_EMAIL": "tilgaengelighed@example.dk (eksempel)",
    "ACCESSIBILITY_PHONE": "+45 00 00 00 00 (eksempel)",
}
# The official statement is made in Digitaliseringsstyrelsen's WAS-Tool and published at
# was.digst.dk/<domain>; set its address here once it exists.
ACCESSIBILITY_DEFAULTS = {"ACCESSIBILITY_WAS_URL": "", "ACCESSIBILITY_STATEMENT_DATE": "2026-12-04"}

DATATILSYNET = {
    "name": "Datatilsynet",
    "address": "Carl Jacobsens Vej 35, 2500 Valby",
    "phone": "33 19 32 00",
    "web": "https://www.datatilsynet.dk",
}
DIGST = {
    "name": "Digitaliseringsstyrelsen",
    "phone": "20 16 36 12",
    "web": "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/",
}


def controller(config=None) -> dict:
    """Who is responsible, from configuration, and whether it is still the example."""
    config = config if config is not None else current_app.config
    values = {key.lower(): config[key] for key in PLACEHOLDERS}
    values["placeholder"] = any(config[key] == default for key, default in PLACEHOLDERS.items())
    return values


def cookies() -> list[dict]:
    """The cookies Bro sets: name, purpose, lifetime, read from the code that sets them."""
    session_only = _l("until you close the browser")
    return [
        {
            "name": current_app.config["SESSION_COOKIE_NAME"],
            "why": _l("Keeps you signed in while you use Bro, and protects your forms."),
            "how_long": session_only,
        },
        {
            "name": current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
            "why": _l(
                "Only when you choose 'Keep me signed in': keeps you signed in on this phone."
            ),
            "how_long": retention.Period(signin.REMEMBER_DAYS, "day").words(),
        },
        {
            "name": signin.SIGNED_IN_COOKIE,
            "why": _l(
                "Tells the page on this phone that someone is signed in, without a name or "
                "number. Forms saved on the phone then go to the right person."
            ),
            "how_long": session_only,
        },
        {
            "name": signin.DEVICE_COOKIE,
            "why": _l(
                "Remembers that this phone signed in before. You can then still sign in when "
                "someone else has tried wrong passwords on your account."
            ),
            "how_long": retention.Period(signin.DEVICE_DAYS, "day").words(),
        },
        {
            "name": NOTICE_COOKIE,
            "why": _l(
                "Only after you sign out or answer a question on a guide: tells Bro to show "
                "you its message on the next page. It is removed when the message is shown."
            ),
            "how_long": retention.Period(NOTICE_SECONDS // 3600, "hour").words(),
        },
        {
            "name": LANG_COOKIE,
            "why": _l("Remembers the language you chose."),
            "how_long": retention.Period(LANG_COOKIE_DAYS, "day").words(),
        },
    ]


@bp.get("/<lang>/about/privacy")
@public_page(cache=None)  # shows settings (retention periods, who is responsible)
def privacy():
    """The privacy notice: who is responsible, what Bro keeps, why, who sees it, how long,
    your rights and how to use them in Bro, and the cookies."""
    return render(
        "about/privacy.html",
        controller=controller(),
        schedule=retention.schedule(),
        cookies=cookies(),
        datatilsynet=DATATILSYNET,
    )


@bp.get("/<lang>/about/accessibility")
@public_page(cache=None)  # shows settings (contacts, the statement date)
def accessibility():
    """The accessibility statement: status against WCAG 2.2 AA as the tests measure it (and
    EN 301 549), known gaps, how to report a problem, the enforcement body, and the date."""
    config = current_app.config
    return render(
        "about/accessibility.html",
        controller=controller(),
        prepared=datetime.date.fromisoformat(config["ACCESSIBILITY_STATEMENT_DATE"]),
        was_url=config["ACCESSIBILITY_WAS_URL"],
        digst=DIGST,
    )


class AccessibilityReportForm(FlaskForm):
    problem = TextAreaField(
        _l("What did not work?"),
        validators=[
            DataRequired(message=_l("Write what did not work")),
            Length(max=2000, message=_l("Write at most 2000 letters")),
        ],
    )
    where = StringField(
        _l("Which page or part of Bro? (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Write at most 200 letters"))],
    )
    contact = StringField(
        _l("Phone or e-mail (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Write at most 200 letters"))],
    )
    key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])


# The same limits as the "my language is missing" form: enough for a person, not for a flood.
@bp.route("/<lang>/about/accessibility/report", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def report_problem():
    """Tell the municipality that something in Bro does not work for you; no sign-in needed.
    Stored once per form (an idempotency key), for the coordinator."""
    form = AccessibilityReportForm()
    if form.validate_on_submit():
        save_accessibility_report(
            form.problem.data, form.where.data, form.contact.data, g.lang, form.key.data
        )
        return redirect(url_for("privacy.report_problem_thanks"), 303)
    if not form.key.data or form.key.errors:
        form.key.data = secrets.token_urlsafe(16)
    status = 422 if form.errors else 200
    return never_stored(render("about/report_problem.html", status=status, form=form))


@bp.get("/<lang>/about/accessibility/report/thanks")
def report_problem_thanks():
    """Confirmation: what happens with the report, and when."""
    return render("about/report_problem_thanks.html", controller=controller())


@bp.get("/was")
def was():
    """The short address Digitaliseringsstyrelsen asks for (<domain>/was): the official statement
    in WAS-Tool once it exists, Bro's own statement in Danish until then."""
    target = current_app.config["ACCESSIBILITY_WAS_URL"] or url_for(
        "privacy.accessibility", lang="da"
    )
    return redirect(target, 303)


def init_app(app: Flask) -> None:
    for key, default in {**PLACEHOLDERS, **ACCESSIBILITY_DEFAULTS}.items():
        app.config.setdefault(key, os.environ.get(f"BRO_{key}", default))
    app.register_blueprint(bp)
