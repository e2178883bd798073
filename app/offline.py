"""Offline and installable: manifest, service worker, precache lists, fingerprinted static files,
compression.

The service worker precaches the app shell and every public guide page of the language in use.
Its bytes include a version made from the content and static files, so any change to a guide or a
stylesheet installs a new worker that refreshes the cache. Personal pages are never cached.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import cache
from pathlib import Path

import click
from flask import Blueprint, Flask, abort, current_app, g, request, url_for
from flask.cli import AppGroup
from flask_compress import Compress

from .access import public_page
from .content import GUIDES, TASKS, library
from .languages import BY_CODE
from .pages import render

bp = Blueprint("offline", __name__)
compress = Compress()
SHELL_FILES = (
    "css/bro.css",
    "js/htmx-2.0.11.min.js",
    "js/bro.js",
    "js/guide.js",
    "icons/bro.svg",
    "icons/bro-192.png",
)
PRECACHE_LIMIT = 1024 * 1024  # bytes per language


@cache
def file_hash(static_folder: str, filename: str) -> str:
    """A short hash of a static file's bytes, for cache-busting URLs."""
    path = Path(static_folder) / filename
    if not path.is_file():
        return "0"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        values["v"] = file_hash(current_app.static_folder, values["filename"])


def _static_file(filename: str):
    """Static files, but compressible: small text files are read into the response body."""
    response = current_app.send_static_file(filename)
    response.direct_passthrough = False  # lets Flask-Compress gzip/brotli CSS, JS and SVG
    return response


def _static_caching(response):
    """Fingerprinted static files never change under the same URL: cache them for a year."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def version() -> str:
    """Changes whenever a guide or a shell file changes."""
    digest = hashlib.sha256(library().digest.encode())
    for name in SHELL_FILES:
        digest.update(file_hash(current_app.static_folder, name).encode())
    return digest.hexdigest()[:12]


def precache_urls(lang: str) -> list[str]:
    """What the worker stores for reading offline in one language."""
    lib = library()
    urls = [url_for("static", filename=name) for name in SHELL_FILES]
    urls += [
        url_for("main.home", lang=lang),
        url_for("offline.offline_page", lang=lang),
        url_for("guides.index", lang=lang),
        url_for("guides.glossary", lang=lang),
        url_for("guides.read_aloud_help", lang=lang),
        url_for("contacts.contacts", lang=lang),
    ]
    # The home page's four tasks, so no tap on the home page ends on "no connection".
    urls += [url_for("main.task", lang=lang, task=task) for task in TASKS]
    # The offline page of every language (each is tiny): a language not opened before still
    # says "no connection" in that language.
    urls += [url_for("offline.offline_page", lang=code) for code in BY_CODE if code != lang]
    urls += [
        url_for("guides.guide", lang=lang, slug=slug) for slug in GUIDES if lib.guide(lang, slug)
    ]
    if lang != "da":  # reading side by side with Danish works offline too
        urls += [
            url_for("guides.guide", lang=lang, slug=slug, **{"with": "da"})
            for slug in GUIDES
            if lib.guide(lang, slug)
        ]
    return urls


@bp.get("/manifest.webmanifest")
@public_page("lang")
def manifest():
    """The web app manifest, in the language of the page that links it (?lang=)."""
    code = request.args.get("lang", "")
    lang = BY_CODE.get(code) or BY_CODE[g.get("lang") or "da"]
    from flask_babel import force_locale, gettext

    with force_locale(lang.locale):
        description = gettext("Help with meetings, decisions and interpreters")
    data = {
        "name": f"Bro – {lang.endonym}",
        "short_name": "Bro",
        "description": description,
        "lang": lang.code,
        "dir": lang.dir,
        "start_url": url_for("main.home", lang=lang.code),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5a55",
        "icons": [
            {
                "src": url_for("static", filename="icons/bro-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": url_for("static", filename="icons/bro-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": url_for("static", filename="icons/bro-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return current_app.response_class(
        json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json"
    )


@bp.get("/sw.js")
def service_worker():
    """The service worker, with this release's version written into it."""
    source = (Path(current_app.static_folder) / "sw.js").read_text()
    body = source.replace("__VERSION__", version())
    response = current_app.response_class(body, mimetype="text/javascript")
    # Always check for a new worker; the version inside decides what it caches.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/precache/<code>.json")
def precache(code: str):
    """The list of URLs the worker stores for a language."""
    if code not in BY_CODE:
        abort(404)
    response = current_app.response_class(
        json.dumps({"version": version(), "urls": precache_urls(code)}), mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/<lang>/offline")
@public_page()
def offline_page():
    """Shown when a page is not stored on the phone and there is no connection."""
    return render("offline/offline.html")


offline_cli = AppGroup("offline", help="The offline precache.")


@offline_cli.command("size")
def size_command() -> None:
    """Bytes each language's precache stores (compressed as sent, and raw); fails over 1 MB."""
    client = current_app.test_client()
    over = False
    click.echo(f"{'lang':<5} {'files':>5} {'raw bytes':>10} {'gzip bytes':>10}")
    for code in BY_CODE:
        with current_app.test_request_context(f"/{code}/"):
            urls = precache_urls(code)
        raw = gzip = 0
        for url in urls:
            response = client.get(url, headers={"Accept-Encoding": "gzip"})
            body = response.get_data()
            gzip += len(body)
            raw += len(client.get(url).get_data())
        over |= raw > PRECACHE_LIMIT
        click.echo(f"{code:<5} {len(urls):>5} {raw:>10} {gzip:>10}")
    if over:
        raise SystemExit("A language's precache is over 1 MB.")


STATIC_COMPRESSIBLE = (".css", ".js", ".svg", ".txt", ".json", ".webmanifest")


@offline_cli.command("compress-static")
@click.argument("folder", required=False, type=click.Path(file_okay=False, exists=True))
def compress_static_command(folder: str | None) -> None:
    """Write FILE.gz beside each text file of static/ (or FOLDER), for nginx's gzip_static.

    Run it after each release; a .gz older than its file is written again."""
    root = Path(folder or current_app.static_folder)
    written = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in STATIC_COMPRESSIBLE:
            continue
        target = path.with_name(path.name + ".gz")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        target.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        written += 1
    click.echo(f"{written} compressed file(s) written under {root}.")


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "image/svg+xml", "text/calendar",
    ])  # fmt: skip
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
    app.register_blueprint(bp)
    app.view_functions["static"] = _static_file
    app.url_defaults(_fingerprint)
    app.after_request(_static_caching)
    app.cli.add_command(offline_cli)
