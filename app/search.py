"""Full-text search of guides and glossary (SQLite FTS5), rebuilt from content/ when it changes."""

from __future__ import annotations

import bisect
import re

import sqlite_utils
from markupsafe import Markup, escape

from .content import MAX_PHRASE, WORD, Library, search_words
from .db import immediate

MAX_QUERY = 200
SNIPPET_WORDS = 28


# Raise when the way words are put into the index changes, so existing indexes are rebuilt.
INDEX_FORMAT = 2


def _index_digest(library: Library) -> str:
    return f"{library.digest}:{INDEX_FORMAT}"


_ROWS: dict[str, list[tuple]] = {}  # index rows per content digest: normalised once a process


def index_rows(library: Library) -> list[tuple]:
    """The rows of the search index for this content, with their normalised words.

    Normalising every section costs most of an app's start-up, and every app of a process (the
    tests make hundreds) indexes the same content: compute it once per content digest.
    """
    key = _index_digest(library)
    if key not in _ROWS:
        rows = []
        for (lang, slug), doc in library.guides.items():
            for section in doc.sections:
                rows.append(
                    (lang, "guide", slug, section.id, doc.title, section.heading, section.text)
                )
        for lang, glossary in library.glossaries.items():
            for entry in glossary.sections:
                rows.append(
                    (lang, "glossary", "glossary", entry.id, glossary.title, entry.heading,
                     entry.text)
                )  # fmt: skip
        _ROWS.clear()  # one content at a time is plenty
        _ROWS[key] = [
            (
                *r,
                " ".join(search_words(r[4] + " " + r[5], r[0])),
                " ".join(search_words(r[6], r[0])),
            )
            for r in rows
        ]
    return _ROWS[key]


def rebuild_index(db: sqlite_utils.Database, library: Library, force: bool = False) -> bool:
    """Fill search_index from the library unless it already holds this content; True if rebuilt."""
    with immediate(db):
        row = db.execute("SELECT value FROM content_meta WHERE key = 'search_digest'").fetchone()
        if row and row[0] == _index_digest(library) and not force:
            return False
        db.execute("DELETE FROM search_index")
        db.conn.executemany(
            "INSERT INTO search_index (lang, kind, slug, anchor, doc_title, heading, body, "
            "title_norm, body_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            index_rows(library),
        )
        db.execute(
            "INSERT INTO content_meta (key, value) VALUES ('search_digest', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [_index_digest(library)],
        )
    return True


Phrase = tuple[str, ...]
Groups = list[tuple[Phrase, ...]]
MAX_WORDS = 12
MAX_ALTERNATIVES = 24  # per typed word: synonyms and words one typo away
TYPO_MIN = 4  # shorter words are too easily another real word after one edit


def _quote(phrase: Phrase, prefix: bool = True) -> str:
    return '"' + " ".join(phrase) + '"' + ("*" if prefix else "")


def _synonym_lookup(groups: Groups) -> dict[Phrase, set[Phrase]]:
    lookup: dict[Phrase, set[Phrase]] = {}
    for group in groups:
        for phrase in group:
            lookup.setdefault(phrase, set()).update(group)
    return lookup


def query_slots(terms: list[str], groups: Groups) -> list[list[Phrase]]:
    """The typed words as slots, each a list of phrases that may stand for it: the word (or a
    phrase of up to three words found in the synonyms) and its synonyms."""
    lookup = _synonym_lookup(groups)
    slots, i = [], 0
    while i < len(terms):
        for size in range(min(MAX_PHRASE, len(terms) - i), 0, -1):
            phrase = tuple(terms[i : i + size])
            if size == 1 or phrase in lookup:
                break
        alternatives = [phrase] + sorted(lookup.get(phrase, set()) - {phrase})
        slots.append(alternatives)
        i += len(phrase)
    return slots


def within_one_edit(a: str, b: str) -> bool:
    """True when b is a, or a with one letter changed, added, left out, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


class Vocabulary:
    """The index's words (from FTS5's vocabulary table), sorted, for prefix and typo checks."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = sorted(terms)
        self.by_length: dict[int, list[str]] = {}
        for term in self.terms:
            self.by_length.setdefault(len(term), []).append(term)

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.terms, prefix)
        return at < len(self.terms) and self.terms[at].startswith(prefix)

    def near(self, word: str) -> list[str]:
        """Words of the index one edit away from the typed word, or from its start."""
        found = []
        for length in (len(word) - 1, len(word), len(word) + 1):
            found += [t for t in self.by_length.get(length, ()) if within_one_edit(word, t)]
        if len(found) < MAX_ALTERNATIVES and len(word) > TYPO_MIN:
            # The word may be the typed start of a longer one: "jobsent" for "jobcentret".
            seen = set(found)
            for length, terms in self.by_length.items():
                if length <= len(word) + 1:
                    continue
                for t in terms:
                    if t not in seen and within_one_edit(word, t[: len(word)]):
                        found.append(t)
        return found[:MAX_ALTERNATIVES]


_VOCABULARIES: dict[tuple[str, str], Vocabulary] = {}


def vocabulary(db: sqlite_utils.Database) -> Vocabulary:
    """The vocabulary of the index as it is now (read once per content version)."""
    row = db.execute("SELECT value FROM content_meta WHERE key = 'search_digest'").fetchone()
    key = (str(db.conn.execute("PRAGMA database_list").fetchone()[2]), row[0] if row else "")
    if key not in _VOCABULARIES:
        if len(_VOCABULARIES) >= 8:
            _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
        # FTS5's own vocabulary of the index, as a table of this connection only: nothing
        # to migrate or keep true, and read once per content version.
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary "
            "USING fts5vocab(main, search_index, row)"
        )
        terms = [r[0] for r in db.execute("SELECT term FROM temp.search_vocabulary").fetchall()]
        _VOCABULARIES[key] = Vocabulary(terms)
    return _VOCABULARIES[key]


def expand(slots: list[list[Phrase]], vocab: Vocabulary) -> list[list[tuple[Phrase, bool]]]:
    """Per slot, the phrases to look for and whether each may be the start of a longer word:
    the slot's own phrases, and for a word the index lacks, the words one typo away."""
    expanded = []
    for alternatives in slots:
        options = [(phrase, True) for phrase in alternatives]
        word = alternatives[0]
        if (
            len(word) == 1
            and len(word[0]) >= TYPO_MIN
            and not any(vocab.has_prefix(p[0]) for p in alternatives if len(p) == 1)
        ):
            options += [((near,), False) for near in vocab.near(word[0])]
        expanded.append(options[:MAX_ALTERNATIVES])
    return expanded


def fts_query(expanded: list[list[tuple[Phrase, bool]]], every: bool = True) -> str | None:
    """An FTS5 query: each slot one of its phrases; every slot must match, or (every=False) any."""
    parts = [
        "(" + " OR ".join(_quote(phrase, prefix) for phrase, prefix in options) + ")"
        for options in expanded
        if options
    ]
    if not parts:
        return None
    return (" AND " if every else " OR ").join(parts)


def search(
    db: sqlite_utils.Database, lang: str, query: str, limit: int = 20, synonyms: Groups = ()
) -> list[dict]:
    """Sections and glossary entries of one language matching the query, best first.

    Every typed word must match (or one of its synonyms, or a word one typo away); when
    nothing has them all, the sections with any of them come, best first.
    """
    slots = query_slots(search_words(query, lang)[:MAX_WORDS], list(synonyms))
    if not slots:
        return []
    expanded = expand(slots, vocabulary(db))
    rows = _match(db, lang, fts_query(expanded))
    if not rows and len(slots) > 1:
        rows = _match(db, lang, fts_query(expanded, every=False))
    marked = sorted({word for options in expanded for phrase, _ in options for word in phrase})
    return [
        {
            "kind": row["kind"],
            "slug": row["slug"],
            "anchor": row["anchor"],
            "title": row["doc_title"],
            "heading": highlight(row["heading"], marked, lang),
            "snippet": snippet(row["body"], marked, lang),
        }
        for row in best_per_guide(rows)[:limit]
    ]


def best_per_guide(rows: list) -> list:
    """One result per guide, its best section, ranked by how well the whole guide matches
    (the sum of its sections' scores); each glossary entry stands alone."""
    groups: dict[tuple, list] = {}
    for row in rows:
        key = (row["slug"],) if row["kind"] == "guide" else (row["slug"], row["anchor"])
        groups.setdefault(key, []).append(row)

    # bm25() is lower (more negative) for better matches; rows come best first, so a group's
    # first is its best. A guide with the words in a heading is about them: it counts double.
    def score(group: list) -> float:
        total = sum(row["score"] for row in group)
        return total * 2 if any(row["in_title"] for row in group) else total

    ranked = sorted(groups.values(), key=score)
    return [group[0] for group in ranked]


def _match(db: sqlite_utils.Database, lang: str, match: str | None) -> list[dict]:
    """Every matching section of the language, best first (a language has a few hundred), each
    marked when the words are in its title or heading."""
    if not match:
        return []
    in_titles = {
        row[0]
        for row in db.execute(
            "SELECT rowid FROM search_index WHERE search_index MATCH ? AND lang = ?",
            [f"{{title_norm}} : ({match})", lang],
        ).fetchall()
    }
    rows = db.execute(
        "SELECT rowid, kind, slug, anchor, doc_title, heading, body, "
        "bm25(search_index, 0, 0, 0, 0, 0, 0, 0, 5, 1) AS score FROM search_index "
        "WHERE search_index MATCH ? AND lang = ? ORDER BY score",
        [f"{{title_norm body_norm}} : ({match})", lang],
    ).fetchall()
    return [{**dict(row), "in_title": row["rowid"] in in_titles} for row in rows]


def _matches(word: str, terms: list[str], lang: str) -> bool:
    folded = search_words(word, lang)
    return bool(folded) and any(folded[0].startswith(term) for term in terms)


def highlight(text: str, terms: list[str], lang: str = "") -> Markup:
    """The text with matching words in <mark>, escaped."""
    out, last = [], 0
    for found in WORD.finditer(text):
        if _matches(found.group(), terms, lang):
            out.append(escape(text[last : found.start()]))
            out.append(Markup("<mark>{}</mark>").format(found.group()))
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(text: str, terms: list[str], lang: str = "") -> Markup:
    """A short window of the text around the first match, with matches highlighted."""
    tokens = list(re.finditer(r"\S+", text))
    first = next((i for i, t in enumerate(tokens) if _matches(t.group(), terms, lang)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = tokens[start : start + SNIPPET_WORDS]
    if not window:
        return Markup("")
    piece = text[window[0].start() : window[-1].end()]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return Markup("{}{}{}").format(prefix, highlight(piece, terms, lang), suffix)
