"""Home, language choice, top tasks and the health check."""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from . import db
from .i18n import LANG_COOKIE, request_language
from .languages import BY_CODE
from .pages import render

bp = Blueprint("main", __name__)

# The four top tasks of the home page (DESIGN.md). Each names the page that serves it.
TASKS = {
    "prepare": {
        "title": _l("Prepare for a meeting"),
        "text": _l("What the meeting is for, who will be there, what to bring and what to ask."),
    },
    "decision": {
        "title": _l("I got a decision"),
        "text": _l("What a decision means, and how and when you can complain."),
    },
    "interpreter": {
        "title": _l("I need an interpreter"),
        "text": _l("Your right to a professional interpreter, and how to ask for one."),
    },
    "caseworker": {
        "title": _l("Who is my caseworker?"),
        "text": _l("The one person who follows your case, and how to reach them."),
    },
}
_SAFE_PATH = re.compile(r"^/[A-Za-z0-9/_\-.?=&%]*$")


@bp.get("/")
def root():
    """Send the visitor to their language's home page."""
    response = redirect(url_for("main.home", lang=request_language().code), 303)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/<lang>/")
def home():
    """Home: the language picker and the four top tasks."""
    return render("main/home.html", tasks=TASKS)


@bp.get("/<lang>/help/<task>")
def task(task: str):
    """One top task's page."""
    if task not in TASKS:
        abort(404)
    return render("main/task.html", task_id=task, task=TASKS[task])


@bp.get("/<lang>/language")
def language():
    """The full language picker, for phones without the header menu open."""
    return render("main/language.html")


@bp.post("/language")
def set_language():
    """Remember the picked language in a cookie and show the same page in it."""
    code = request.form.get("lang", "")
    if code not in BY_CODE:
        abort(400)
    # "next" is the current path without its language prefix; only local paths are followed.
    rest = request.form.get("next", "/")
    if not _SAFE_PATH.match(rest) or rest.startswith("//"):
        rest = "/"
    response = redirect(f"/{code}{rest}", 303)
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
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
