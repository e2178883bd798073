"""Security baseline: secret key, CSRF, rate limits and response headers."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Per-address limits on the sign-in and code forms. An address can be a whole language school's
# Wi-Fi (30 newcomers signing in within minutes), so these stop floods, not guessing: guessing a
# password is slowed per account (auth.py), guessing an 80-bit code is hopeless anyway.
SIGN_IN_PER_ADDRESS = "100 per 10 minutes;1000 per day"
CODES_PER_ADDRESS = "60 per 15 minutes;300 per day"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _dev_secret_key(app: Flask) -> str:
    """A key kept in instance/ so local sessions survive a restart. Never for production."""
    path = Path(app.instance_path) / ".dev-secret-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    print(
        "WARNING: SECRET_KEY is not set; using a generated development key "
        f"({path}). Set SECRET_KEY in production.",
        file=sys.stderr,
    )
    return path.read_text().strip()


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


class SQLiteInteger(IntegerConverter):
    """`<int:…>` in every URL, bounded to what SQLite can store: a larger id is simply not
    found (404), instead of an overflow deep in a query (500)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (Werkzeug's name)
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, read the visitor's address and scheme from X-Forwarded-*.

    With 0 (the default) those headers are ignored: a visitor could write them, so trusting them
    without a proxy would let anyone pick the address the rate limits count.
    """
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = SQLiteInteger  # before any blueprint adds its routes
    if not app.config.get("SECRET_KEY"):
        if not app.config["DEV"]:
            raise RuntimeError(
                "SECRET_KEY is not set. Set it in the environment (see README, Production)."
            )
        app.config["SECRET_KEY"] = _dev_secret_key(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_add_headers)
