"""One helper decides page vs fragment, so htmx and plain requests share templates."""

from __future__ import annotations

from flask import make_response, render_template, request
from werkzeug.wrappers import Response


def is_htmx() -> bool:
    """True for requests made by htmx (not for history restores, which need the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(template: str, *, fragment: str | None = None, status: int = 200, **context) -> Response:
    """Render the page, or only its fragment when htmx asked and the page has one."""
    name = fragment if fragment and is_htmx() else template
    response = make_response(render_template(name, **context), status)
    if fragment:
        response.vary.add("HX-Request")
    return response
