"""Public pages at static speed: one set of bytes per page, rendered once per process.

A public page (home, help, guides, glossary, search, language and coverage pages, the offline
page and the manifest) is the same for every visitor. It never reads the session, so it carries
no per-visitor token and no `Vary: Cookie`, and a shared cache in front of Bro (nginx in the
production recipe, or a CDN) may keep it. Inside Bro the first request renders it and stores the
bytes (and, on first demand, their gzip and brotli forms) in a bounded in-memory cache, keyed by
path, the query arguments the page uses and the version of the content and catalogs; later
requests are answered from memory, 304 when the browser already holds the same bytes.

The session is still read in one case: a message waits for this visitor (after signing out,
after a vote on a guide). The view that flashed it also set the `bro_notice` cookie; a public page
asked with that cookie is rendered the old way, with the message, and never stored (nginx passes
such requests by, see deploy/nginx.conf).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import brotli
from flask import Flask, current_app, g, make_response, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.wrappers import Request, Response

# Five minutes fresh; for a day after that a cache may serve the old copy while it asks Bro again
# (a guide edit reaches everyone within five minutes, and a Bro restart never shows as an outage).
PUBLIC_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
NOTICE_COOKIE = "bro_notice"  # "a message waits in the session": this request must not be shared
NOTICE_SECONDS = 3600  # an hour at most; the next public page takes it away
MAX_ARG_LENGTH = 400  # longer values are cut before they become a key (search refuses > 200)
ENCODINGS = ("br", "gzip")
BROTLI_QUALITY = 6
_HEADERS_KEPT = ("Content-Type", "Content-Language", "Link")


@dataclass
class Stored:
    """One rendered public page: its bytes, their compressed forms, its strong ETag."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    vary: tuple[str, ...]
    encoded: dict[str, bytes] = field(default_factory=dict)
    # The headers Flask sent with it (security headers and all), per URL scheme: what the fast
    # path (FastPath) sends without starting Flask.
    sent_headers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(data) for data in self.encoded.values()) + 512

    def encode(self, encoding: str) -> bytes:
        """The body in this content coding, compressed once.

        Brotli at quality 6, not 11: on a 25 KB guide 11 saves 600 bytes (10 %) but takes
        38 ms, which was most of a cache miss (profiled); 6 takes under 1 ms."""
        if encoding not in self.encoded:
            if encoding == "br":
                self.encoded[encoding] = brotli.compress(self.body, quality=BROTLI_QUALITY)
            else:
                self.encoded[encoding] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self.encoded[encoding]


class PageCache:
    """A least-recently-used store of rendered pages, bounded by the bytes it holds."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: tuple) -> Stored | None:
        with self._lock:
            stored = self._items.get(key)
            if stored is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return stored

    def put(self, key: tuple, stored: Stored) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            if stored.size > self.max_bytes:
                return
            self._items[key] = stored
            self._bytes += stored.size
            self._trim()

    def encoded(self, key: tuple, stored: Stored, encoding: str) -> bytes:
        """The compressed body, made on first demand; the store's size follows."""
        if encoding in stored.encoded:
            return stored.encoded[encoding]
        before = stored.size
        data = stored.encode(encoding)
        with self._lock:
            if self._items.get(key) is stored:
                self._bytes += stored.size - before
                self._trim()
        return data

    def _trim(self) -> None:
        while self._bytes > self.max_bytes and self._items:
            _key, dropped = self._items.popitem(last=False)
            self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def catalogs_digest(directory: str) -> str:
    """Changes whenever a compiled translation catalog changes."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*/LC_MESSAGES/*.mo")):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_version() -> str:
    """The version of what public pages are made of: guides, glossaries and UI catalogs."""
    return current_app.extensions["bro_pages"]["version"]


def _caches() -> dict[str, PageCache]:
    return current_app.extensions["bro_pages"]["caches"]


def _normalised_args(args, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Only the arguments the page uses, in a fixed order, spaces tidied: one key per page.

    Any other argument (a tracking tag on a shared link, a cache-buster) is dropped before the
    page is rendered, so it can neither change the bytes nor fill the cache with copies.
    """
    pairs = []
    for name in names:
        value = args.get(name)
        if value is None:
            continue
        value = " ".join(value[:MAX_ARG_LENGTH].split()) if name == "q" else value[:MAX_ARG_LENGTH]
        if value:
            pairs.append((name, value))
    return pairs


def _page_key(req, names: tuple[str, ...], version: str) -> tuple[tuple, list]:
    """The cache key of a request (a Flask or a plain Werkzeug request) and the arguments kept."""
    pairs = _normalised_args(req.args, names)
    htmx = req.headers.get("HX-Request") == "true" and not req.headers.get(
        "HX-History-Restore-Request"
    )  # as pages.is_htmx()
    return (req.path, urlencode(pairs), htmx, version), pairs


def _choose(req, stored: Stored) -> tuple[bool, str | None, str]:
    """(the client holds these bytes already, the content coding to send, its ETag)."""
    encoding = req.accept_encodings.best_match(ENCODINGS) if req.accept_encodings else None
    # One representation per coding (RFC 9110 8.8.3): the coding is part of the tag. Any of them
    # means the client holds these bytes (If-None-Match compares weakly, RFC 9110 13.1.2).
    etag = f"{stored.etag}-{encoding}" if encoding else stored.etag
    tags = (stored.etag, *(f"{stored.etag}-{e}" for e in ENCODINGS))
    wanted = req.if_none_match
    fresh = bool(wanted) and (wanted.star_tag or any(wanted.contains_weak(t) for t in tags))
    return fresh, encoding, etag


def _etag(version: str, body: bytes) -> str:
    return hashlib.sha256(version.encode() + b"\0" + body).hexdigest()[:32]


def _store(response: Response, version: str) -> Stored:
    body = response.get_data()
    vary = tuple(
        sorted({v for v in response.vary if v.lower() not in ("cookie", "accept-encoding")})
    )
    headers = [(name, response.headers[name]) for name in _HEADERS_KEPT if name in response.headers]
    return Stored(response.status_code, headers, body, _etag(version, body), vary)


def _answer(key: tuple, stored: Stored, cache: PageCache) -> Response:
    """The stored page in the best coding the client takes; 304 when it holds these bytes."""
    fresh, encoding, etag = _choose(request, stored)
    if fresh:
        response = current_app.response_class(status=304)
    else:
        body = cache.encoded(key, stored, encoding) if encoding else stored.body
        response = current_app.response_class(body, status=stored.status)
        for name, value in stored.headers:
            response.headers[name] = value
        if encoding:
            response.headers["Content-Encoding"] = encoding
        request.environ["bro.page"] = stored  # FastPath keeps the headers Flask adds to it
    response.set_etag(etag)
    response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response.vary.update((*stored.vary, "Accept-Encoding"))
    return response


def public_page(*args: str, cache: str | None = "pages"):
    """A page every visitor gets byte for byte: stored once, shared, answered with 304.

    `args` names the query arguments the page uses (`"with"` for side by side, `"q"` for
    search); `cache` picks the store (search results have their own, so a flood of odd queries
    cannot push the guides out). `cache=None`: the page is public and shared by nginx, but Bro
    renders it on every request (the privacy notice and accessibility statement show settings
    that may change while Bro runs).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            if NOTICE_COOKIE in request.cookies:
                return _with_notice(view, kwargs)
            g.public = True  # base.html: no session, no sign-in state, no token
            key, pairs = _page_key(request, args, content_version())
            request.args = ImmutableMultiDict(pairs)
            store = _caches()[cache or "none"]
            stored = store.get(key)
            if stored is None:
                response = make_response(view(**kwargs))
                if response.status_code != 200 or response.direct_passthrough:
                    response.headers.setdefault("Cache-Control", "no-cache")
                    return response
                stored = _store(response, key[3])
                if cache:
                    store.put(key, stored)
                    _remember_args(request.path, args, cache)
            return _answer(key, stored, store)

        return wrapper

    return decorate


def _with_notice(view, kwargs) -> Response:
    """A message waits for this visitor: the page with it, for them alone, and never stored."""
    response = make_response(view(**kwargs))
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(NOTICE_COOKIE, path="/", samesite="Lax", httponly=True)
    return response


def notice_follows(response: Response) -> Response:
    """Mark a redirect to a public page that must show a flashed message (see NOTICE_COOKIE)."""
    response.set_cookie(
        NOTICE_COOKIE,
        "1",
        max_age=NOTICE_SECONDS,
        path="/",
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _remember_args(path: str, args: tuple[str, ...], cache: str) -> None:
    """Which arguments and store this path's page uses, for the fast path (bounded)."""
    known = current_app.extensions["bro_pages"]["paths"]
    if len(known) >= MAX_PATHS:
        known.clear()
    known[path] = (args, cache)


MAX_PATHS = 20_000
_PER_ANSWER = {"content-length", "content-encoding", "etag"}


class FastPath:
    """WSGI middleware: a stored public page is answered before Flask starts.

    Flask answers the first request for a page (rendering it, or from the store) and this
    keeps the headers it sent; later requests for the same key get the same bytes and headers
    from here, in a fraction of the time (no routing, hooks or templates). Anything else, and
    any request carrying the notice cookie, goes to Flask as before.
    """

    def __init__(self, flask: Flask, wsgi_app):
        self.flask = flask
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        state = self.flask.extensions.get("bro_pages")
        if state and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            answer = self._stored(state, environ)
            if answer is not None:
                return answer(environ, start_response)

        def keep_headers(status, headers, exc_info=None):
            stored = environ.get("bro.page")
            if stored is not None and status.startswith("200"):
                if not any(name.lower() == "set-cookie" for name, _v in headers):
                    stored.sent_headers.setdefault(
                        environ.get("wsgi.url_scheme", "http"),
                        [(n, v) for n, v in headers if n.lower() not in _PER_ANSWER],
                    )
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, keep_headers)

    def _stored(self, state: dict, environ) -> Response | None:
        req = Request(environ)
        known = state["paths"].get(req.path)
        if known is None or NOTICE_COOKIE in req.cookies:
            return None
        names, cache_name = known
        key, _pairs = _page_key(req, names, state["version"])
        cache = state["caches"][cache_name]
        stored = cache.get(key)
        headers = stored and stored.sent_headers.get(environ.get("wsgi.url_scheme", "http"))
        if not headers:
            return None
        fresh, encoding, etag = _choose(req, stored)
        if fresh:
            kept = [(n, v) for n, v in headers if n.lower() != "content-type"]
            response = Response(status=304, headers=kept)
        else:
            body = cache.encoded(key, stored, encoding) if encoding else stored.body
            response = Response(body, status=stored.status, headers=headers)
            if encoding:
                response.headers["Content-Encoding"] = encoding
        response.set_etag(etag)
        return response


def wrap(app: Flask) -> None:
    """Put the fast path in front of Flask (inside any proxy fix, which comes after it)."""
    app.wsgi_app = FastPath(app, app.wsgi_app)


def init_app(app: Flask) -> None:
    version = hashlib.sha256(
        (
            app.extensions["bro_library"].digest
            + catalogs_digest(app.config["BABEL_TRANSLATION_DIRECTORIES"])
            + app.config.get("MUNICIPALITY", "")
        ).encode()
    ).hexdigest()[:16]
    app.extensions["bro_pages"] = {
        "version": version,
        "paths": {},
        "caches": {
            "pages": PageCache(app.config.get("PAGE_CACHE_BYTES", 64 * 1024 * 1024)),
            "search": PageCache(app.config.get("SEARCH_CACHE_BYTES", 16 * 1024 * 1024)),
            "none": PageCache(0),  # public_page(cache=None): never stored in Bro
        },
    }
