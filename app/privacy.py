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

from flask import Blueprint, Flask, current_app, redirect, url_for
from flask_babel import lazy_gettext as _l

from . import retention, signin
from .access import cacheable
from .i18n import LANG_COOKIE, LANG_COOKIE_DAYS
from .pages import render

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
            "name": LANG_COOKIE,
            "why": _l("Remembers the language you chose."),
            "how_long": retention.Period(LANG_COOKIE_DAYS, "day").words(),
        },
    ]


@bp.get("/<lang>/about/privacy")
def privacy():
    """The privacy notice: who is responsible, what Bro keeps, why, who sees it, how long,
    your rights and how to use them in Bro, and the cookies."""
    return cacheable(
        render(
            "about/privacy.html",
            controller=controller(),
            schedule=retention.schedule(),
            cookies=cookies(),
            datatilsynet=DATATILSYNET,
        )
    )


@bp.get("/<lang>/about/accessibility")
def accessibility():
    """The accessibility statement: status against WCAG 2.1 AA, known gaps, feedback, the
    enforcement body, and the date it was prepared."""
    config = current_app.config
    return cacheable(
        render(
            "about/accessibility.html",
            controller=controller(),
            prepared=datetime.date.fromisoformat(config["ACCESSIBILITY_STATEMENT_DATE"]),
            was_url=config["ACCESSIBILITY_WAS_URL"],
            digst=DIGST,
        )
    )


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
