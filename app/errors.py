"""Calm, translated error pages: what happened and what to do next. Never a stack trace."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .pages import render

MESSAGES = {
    400: (
        _l("We could not read that request"),
        _l(
            "Something in the form was missing or out of date. Go back, reload the page and "
            "try again."
        ),
    ),
    404: (
        _l("We cannot find this page"),
        _l("The address may be wrong or the page may have moved. Start again from the home page."),
    ),
    405: (
        _l("This page cannot do that"),
        _l("Go back to the page you came from and use its buttons and links."),
    ),
    413: (
        _l("What you sent is too large"),
        _l("Send a smaller file or a shorter text, then try again."),
    ),
    422: (
        _l("Some information is not right"),
        _l("Go back, check what you wrote and try again."),
    ),
    429: (
        _l("Too many tries"),
        _l("Wait a few minutes, then try again. This protects your account."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("It is not your fault. Try again in a few minutes. Nothing you sent was lost."),
    ),
}


def _handle(error: HTTPException):
    code = error.code if error.code in MESSAGES else 500
    title, advice = MESSAGES[code]
    response = render("errors/error.html", status=code, code=code, title=title, advice=advice)
    if code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _handle_csrf(error: CSRFError):
    return _handle(error)


def _handle_unexpected(error: Exception):
    # Flask passes unhandled exceptions here as InternalServerError with original_exception.
    return _handle(InternalServerError())


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, _handle)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(InternalServerError, _handle_unexpected)
