"""Bro: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app: configuration, extensions, blueprints."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(
        DATABASE=os.environ.get("BRO_DATABASE", str(ROOT / "instance" / "bro.sqlite3")),
        CONTENT_DIR=str(ROOT / "content"),
        # Whose help-near-you page: content/contacts/<MUNICIPALITY>.toml.
        MUNICIPALITY=os.environ.get("BRO_MUNICIPALITY", "aarhus"),
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="da",
        BABEL_DEFAULT_TIMEZONE="Europe/Copenhagen",
        DEV=os.environ.get("BRO_DEV") == "1",
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="bro_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_HEADERS_ENABLED=True,
        # Only for load tests from one address (make soak); never switch it off in production.
        RATELIMIT_ENABLED=os.environ.get("BRO_RATELIMIT", "1") != "0",
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        # Passkeys check the origin the browser signs; behind a proxy, say it (https://bro.example.dk).
        WEBAUTHN_ORIGIN=os.environ.get("BRO_ORIGIN"),
        # How many proxies stand in front of Bro (nginx: 1). Their X-Forwarded-* headers then
        # give the visitor's own address, so rate limits count people, not the proxy.
        TRUSTED_PROXIES=int(os.environ.get("BRO_TRUSTED_PROXIES", "0") or 0),
        # Rendered public pages kept in memory per worker (0: none, every request renders).
        PAGE_CACHE_BYTES=int(os.environ.get("BRO_PAGE_CACHE_BYTES", 64 * 1024 * 1024)),
    )
    if config:
        app.config.from_mapping(config)
    secure = not (app.config["DEV"] or app.config.get("TESTING"))
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in (config or {}):
            app.config[key] = secure

    from . import (
        auth,
        catalogs,
        contacts,
        coverage,
        db,
        demo,
        errors,
        evaluation,
        formatting,
        guides,
        i18n,
        main,
        me,
        offline,
        page_cache,
        passkeys,
        privacy,
        retention,
        security,
        staff,
    )

    security.init_app(app)
    page_cache.wrap(app)  # stored public pages answered before Flask; behind the proxy fix
    security.trust_proxies(app)
    db.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    demo.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    guides.init_app(app)
    page_cache.init_app(app)  # after the guides: its version is made from their content
    contacts.init_app(app)
    coverage.init_app(app)
    formatting.init_app(app)
    me.init_app(app)
    staff.init_app(app)
    offline.init_app(app)
    evaluation.init_app(app)
    passkeys.init_app(app)
    retention.init_app(app)
    privacy.init_app(app)
    app.cli.add_command(catalogs.translations_cli)
    return app
