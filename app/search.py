"""Full-text search of guides and glossary (SQLite FTS5), rebuilt from content/ when it changes."""

from __future__ import annotations

import re

import sqlite_utils
from markupsafe import Markup, escape

from .content import WORD, Library, normalize, words
from .db import immediate

MAX_QUERY = 200
SNIPPET_WORDS = 28


def rebuild_index(db: sqlite_utils.Database, library: Library, force: bool = False) -> bool:
    """Fill search_index from the library unless it already holds this content; True if rebuilt."""
    with immediate(db):
        row = db.execute("SELECT value FROM content_meta WHERE key = 'search_digest'").fetchone()
        if row and row[0] == library.digest and not force:
            return False
        db.execute("DELETE FROM search_index")
        rows = []
        for (lang, slug), doc in library.guides.items():
            for section in doc.sections:
                rows.append(
                    (lang, "guide", slug, section.id, doc.title, section.heading, section.text)
                )
        for lang, glossary in library.glossaries.items():
            for entry in glossary.sections:
                rows.append(
                    (
                        lang,
                        "glossary",
                        "glossary",
                        entry.id,
                        glossary.title,
                        entry.heading,
                        entry.text,
                    )
                )
        db.conn.executemany(
            "INSERT INTO search_index (lang, kind, slug, anchor, doc_title, heading, body, "
            "title_norm, body_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, " ".join(words(r[4] + " " + r[5])), " ".join(words(r[6]))) for r in rows],
        )
        db.execute(
            "INSERT INTO content_meta (key, value) VALUES ('search_digest', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [library.digest],
        )
    return True


def fts_query(query: str) -> str | None:
    """The user's words as an FTS5 query: every word must match, each as a prefix."""
    terms = words(query)[:12]
    if not terms:
        return None
    return " ".join(f'"{term}"*' for term in terms)


def search(db: sqlite_utils.Database, lang: str, query: str, limit: int = 20) -> list[dict]:
    """Sections and glossary entries of one language matching the query, best first."""
    match = fts_query(query)
    if not match:
        return []
    rows = db.execute(
        "SELECT kind, slug, anchor, doc_title, heading, body FROM search_index "
        "WHERE search_index MATCH ? AND lang = ? "
        "ORDER BY bm25(search_index, 0, 0, 0, 0, 0, 0, 0, 5, 1) LIMIT ?",
        [f"{{title_norm body_norm}} : ({match})", lang, limit],
    ).fetchall()
    terms = words(query)
    return [
        {
            "kind": row["kind"],
            "slug": row["slug"],
            "anchor": row["anchor"],
            "title": row["doc_title"],
            "heading": highlight(row["heading"], terms),
            "snippet": snippet(row["body"], terms),
        }
        for row in rows
    ]


def _matches(word: str, terms: list[str]) -> bool:
    folded = normalize(word)
    return any(folded.startswith(term) for term in terms)


def highlight(text: str, terms: list[str]) -> Markup:
    """The text with matching words in <mark>, escaped."""
    out, last = [], 0
    for found in WORD.finditer(text):
        if _matches(found.group(), terms):
            out.append(escape(text[last : found.start()]))
            out.append(Markup("<mark>{}</mark>").format(found.group()))
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(text: str, terms: list[str]) -> Markup:
    """A short window of the text around the first match, with matches highlighted."""
    tokens = list(re.finditer(r"\S+", text))
    first = next((i for i, t in enumerate(tokens) if _matches(t.group(), terms)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    if not window:
        return Markup("")
    piece = text[window[0].start() : window[-1].end()]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return Markup("{}{}{}").format(prefix, highlight(piece, terms), suffix)
