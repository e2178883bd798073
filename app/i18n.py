"""Language of each request: URL prefix, picker cookie, Accept-Language; Flask-Babel wiring."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, abort, current_app, g, request, url_for
from flask_babel import Babel, format_date, format_datetime, format_decimal, format_time
from markupsafe import Markup

from .languages import BY_CODE, LANGUAGES, Language, negotiate

LANG_COOKIE = "bro_lang"
LANG_COOKIE_DAYS = 365  # the language choice is remembered this long
babel = Babel()


def request_language() -> Language:
    """The language of this request: its URL prefix, or else the negotiated one."""
    code = g.get("lang")
    if code is None:
        # Errors raised before routing (404, 405) still honour a known prefix in the path.
        prefix = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
        if prefix in BY_CODE:
            code = prefix
        else:
            code = negotiate(
                request.cookies.get(LANG_COOKIE), request.headers.get("Accept-Language")
            )
        g.lang = code
    return BY_CODE[code]


def _select_locale() -> str:
    return request_language().locale


def _pull_lang(endpoint: str | None, values: dict | None) -> None:
    """Take the language prefix out of the URL values; an unknown prefix is a 404."""
    if values and "lang" in values:
        code = values.pop("lang")
        if code not in BY_CODE:
            abort(404)
        g.lang = code


def _add_lang(endpoint: str, values: dict) -> None:
    """Let url_for() fill in the current language, so templates never pass it."""
    if "lang" in values or not g.get("lang"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.lang


def alternates() -> list[dict]:
    """The same page in every language, for hreflang links and the picker."""
    if request.url_rule is None or "lang" not in request.url_rule.arguments:
        return []
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    return [
        {"lang": lang, "url": url_for(request.endpoint, lang=lang.code, **args)}
        for lang in LANGUAGES
    ]


def picker_rest() -> str:
    """This page's path after its language prefix, with the query arguments it uses: where the
    language picker leads back to (a public page has already dropped the arguments it ignores)."""
    prefix = f"/{request_language().code}/"
    if not request.path.startswith(prefix):
        return "/"
    query = urlencode(list(request.args.items(multi=True)))
    return request.path[len(prefix) - 1 :] + (f"?{query}" if query else "")


def _template_globals() -> dict:
    return {
        "LANGUAGES": LANGUAGES,
        "current_lang": request_language(),
        "alternates": alternates,
        "picker_rest": picker_rest,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "format_decimal": format_decimal,
        "format_time": format_time,
    }


def bdi(value: object) -> Markup:
    """Isolate a user-entered name, so an Arabic name in a Danish sentence keeps its order."""
    return Markup("<bdi>{}</bdi>").format(value)


def init_app(app: Flask) -> None:
    app.add_template_filter(bdi)
    babel.init_app(app, locale_selector=_select_locale)
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_add_lang)
    app.context_processor(_template_globals)
