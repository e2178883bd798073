"""The web toolkit every view uses: who may see what, and how a page may be stored.

It stands below the views: it knows Flask-Login, the query modules and `db`, never a blueprint.
A view imports this module, query modules and core modules, never another view module.
"""

from __future__ import annotations

import datetime
import functools

from flask import abort, g, redirect, request, session, url_for
from flask_login import UserMixin, current_user, login_required, login_user
from werkzeug.wrappers import Response

from . import records
from .db import audit
from .page_cache import notice_follows, public_page
from .pages import is_htmx
from .signin import REMEMBER_DAYS

__all__ = [
    "STAFF_ROLES",
    "User",
    "citizen_page",
    "coordinator_only",
    "home_for",
    "is_htmx",
    "no_store",
    "notice_follows",
    "own_only",
    "public_page",
    "staff_only",
    "start_session",
]

STAFF_ROLES = ("caseworker", "coordinator")
STAFF_LANGS = ("da", "en")  # staff screens exist in Danish and English


class User(UserMixin):
    def __init__(self, row: dict):
        self.id = row["id"]
        self.login = row["login"]
        self.name = row["name"]
        self.role = row["role"]
        self.lang = row["lang"]
        self.session_version = row["session_version"]

    def get_id(self) -> str:
        # The version makes old session and remember-me cookies worthless after sign-out.
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def start_session(row: dict, remember: bool = False) -> User:
    """A fresh session for the user (never reuse the one from before sign-in)."""
    session.clear()
    user = User(row)
    login_user(user, remember=remember, duration=datetime.timedelta(days=REMEMBER_DAYS))
    return user


def home_for(user) -> str:
    """Where a signed-in person starts: the caseload, the people I help, or my page."""
    if user.role in STAFF_ROLES:
        return url_for("staff.home")
    if user.role == "helper":
        return url_for("me.helping")
    return url_for("me.home")


def never_stored(response: Response) -> Response:
    """Personal and staff pages are never stored by the browser or anything on the way."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def no_store(view):
    """A view whose answer is personal: `Cache-Control: no-store`, whatever it returns."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from flask import make_response

        return never_stored(make_response(view(*args, **kwargs)))

    return wrapper


def citizen_page(view):
    """Resolve whose record this is, check who may see it, and audit a helper's look.

    The citizen themself (under /<lang>/me) or a helper with an active link (under
    /<lang>/helping/<citizen_id>). Anything else is a 404, so nobody learns whether another
    person's record exists. The answer is never stored.
    """

    @functools.wraps(view)
    @login_required
    @no_store
    def wrapper(citizen_id: int | None = None, **kwargs):
        if citizen_id is None:
            if current_user.role != "citizen":
                return redirect(home_for(current_user), 303)
            citizen = records.get_citizen(current_user.id)
            g.helping = None
        else:
            if current_user.role != "helper":
                abort(404)
            link = records.helper_link(current_user.id, citizen_id)
            if not link or not link["can_see"]:
                abort(404)
            citizen = records.get_citizen(citizen_id)
            g.helping = link
            audit(current_user.id, f"helper-view {request.endpoint}", citizen_id)
        if citizen is None:
            abort(404)
        g.citizen = citizen
        return view(citizen, **kwargs)

    return wrapper


def own_only() -> None:
    """Actions only the citizen may take, not a helper: answers, checklist, helpers, data."""
    if g.get("helping"):
        abort(404)


def staff_only(view):
    """Caseworkers and the coordinator; everyone else gets a 404. Staff screens exist in Danish
    and English: a GET under another prefix goes to the English page. Never stored."""

    @functools.wraps(view)
    @login_required
    @no_store
    def wrapper(**kwargs):
        if current_user.role not in STAFF_ROLES:
            abort(404)
        if g.get("lang") not in STAFF_LANGS and request.method == "GET":
            return redirect(url_for(request.endpoint, **(kwargs | {"lang": "en"})), 303)
        g.staff = records.get_staff(current_user.id) | {"role": current_user.role}
        return view(**kwargs)

    return wrapper


def coordinator_only(view):
    """The coordinator only; everyone else gets a 404."""

    @functools.wraps(view)
    @staff_only
    def wrapper(**kwargs):
        if current_user.role != "coordinator":
            abort(404)
        return view(**kwargs)

    return wrapper
