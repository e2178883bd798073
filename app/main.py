"""Home, language choice, top tasks and the health check."""

from __future__ import annotations

import re

from flask import Blueprint, abort, g, jsonify, redirect, request, url_for

from . import db
from .access import public_page
from .content import TASKS
from .i18n import LANG_COOKIE, LANG_COOKIE_DAYS, request_language
from .languages import BY_CODE
from .pages import render

bp = Blueprint("main", __name__)

_SAFE_PATH = re.compile(r"^/[A-Za-z0-9/_\-.?=&%]*$")


@bp.get("/")
def root():
    """Send the visitor to their language's home page."""
    response = redirect(url_for("main.home", lang=request_language().code), 303)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/<lang>/")
@public_page()
def home():
    """Home: the language picker and the four top tasks."""
    return render("main/home.html", tasks=TASKS)


@bp.get("/<lang>/help/<task>")
@public_page()
def task(task: str):
    """One top task's page."""
    if task not in TASKS:
        abort(404)
    from .content import library

    lib = library()
    guides = [lib.guide_or_fallback(g.lang, slug) for slug in TASKS[task]["guides"]]
    return render("main/task.html", task=TASKS[task], guides=[doc for doc in guides if doc])


@bp.get("/<lang>/language")
@public_page()
def language():
    """The full language picker, for phones without the header menu open."""
    return render("main/language.html")


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the picked language in a cookie and show the same page in it.

    A plain link, not a form: public pages then need no session or CSRF token, so they can
    be cached. The cookie is a preference only; it changes no data.
    """
    if code not in BY_CODE:
        abort(404)
    # "next" is the current path without its language prefix; only local paths are followed.
    rest = request.args.get("next", "/")
    if not _SAFE_PATH.match(rest) or rest.startswith("//"):
        rest = "/"
    response = redirect(f"/{code}{rest}", 303)
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_DAYS * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """Liveness and database check, as JSON."""
    try:
        state = db.health()
    except Exception as error:  # any database failure means "not healthy"
        return jsonify(status="error", database={"ok": False, "error": type(error).__name__}), 503
    status = "ok" if state["schema_version"] == state["schema_expected"] else "degraded"
    response = jsonify(status=status, database=state)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if status == "ok" else 503
