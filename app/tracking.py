"""Which Danish text each translated section was made from, and which translations are outdated.

Every section of a guide (and every glossary entry, and the lines before a guide's first
section, id "intro") has a fingerprint: a short hash of its normalised text. Two small files
beside the guides keep the record:

- `content/da/changes.json`: per Danish guide and section, its fingerprint and the day Bro
  first saw that text (`flask --app app content record`). This day is the date the reader
  sees in the outdated notice.
- `content/<lang>/translated-from.json`: per translated guide and section, the fingerprint of
  the Danish text it was translated from (`from`) and of its own text at that time (`text`).

A translated section whose `from` differs from its Danish section's fingerprint now is
outdated. Fingerprints are computed once per load of the library.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .languages import LANGUAGES

SOURCE = "da"
GLOSSARY = "glossary"
DANISH_RECORD = "changes.json"
TRANSLATION_RECORD = "translated-from.json"
RECORD_FILES = (DANISH_RECORD, TRANSLATION_RECORD)


def fingerprint(heading: str, markdown: str) -> str:
    """A short hash of a section's heading and text; layout (spaces, line breaks) does not count."""
    text = unicodedata.normalize("NFC", f"{heading}\n{markdown}")
    text = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def record_path(root: Path, lang: str) -> Path:
    return root / lang / (DANISH_RECORD if lang == SOURCE else TRANSLATION_RECORD)


def read_record(root: Path, lang: str) -> dict[str, dict[str, dict]]:
    """The record of one language: {slug: {section id: {...}}}; empty when there is none."""
    path = record_path(root, lang)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def record_bytes(record: dict) -> bytes:
    """The record as it is written: sorted and indented, so a change is a readable diff."""
    return (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def write_record(root: Path, lang: str, record: dict) -> None:
    path = record_path(root, lang)
    data = record_bytes(record)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


@dataclass
class SectionState:
    """Where one translated section stands against its Danish source."""

    state: str  # "current" | "outdated" | "missing"
    changed_on: datetime.date | None = None  # when the Danish text changed (outdated only)


@dataclass
class Tracking:
    """The state of every translated section, computed once per load."""

    # (lang, slug) → section id → state; slug "glossary" for the glossary.
    states: dict[tuple[str, str], dict[str, SectionState]] = field(default_factory=dict)
    # Danish sections whose current text is not yet in content/da/changes.json.
    unrecorded: list[tuple[str, str]] = field(default_factory=list)

    def outdated(self, lang: str, slug: str) -> list[str]:
        return [i for i, s in self.states.get((lang, slug), {}).items() if s.state == "outdated"]


def sections_of(doc) -> list:
    """The tracked parts of a document: the intro of a guide (when it has text) and its sections."""
    parts = [doc.intro] if doc.intro.markdown.strip() else []
    return [*parts, *doc.sections]


def documents(library, lang: str) -> dict[str, object]:
    """slug → document of a language, the glossary under "glossary"."""
    docs = {slug: doc for (code, slug), doc in library.guides.items() if code == lang}
    if lang in library.glossaries:
        docs[GLOSSARY] = library.glossaries[lang]
    return docs


def track(library, root: Path) -> Tracking:
    """Compare every translation with the Danish text now; mark outdated sections on the documents."""
    tracking = Tracking()
    danish_record = read_record(root, SOURCE)
    danish_docs = documents(library, SOURCE)
    danish: dict[tuple[str, str], tuple[str, datetime.date | None]] = {}
    for slug, doc in danish_docs.items():
        for section in sections_of(doc):
            recorded = danish_record.get(slug, {}).get(section.id, {})
            if recorded.get("fingerprint") == section.fingerprint:
                since = _date(recorded.get("since"))
            else:
                # Not recorded yet: the Danish file's own "updated" date is the best we know.
                tracking.unrecorded.append((slug, section.id))
                since = doc.updated
            danish[(slug, section.id)] = (section.fingerprint, since)
    for lang in LANGUAGES:
        if lang.code == SOURCE:
            continue
        record = read_record(root, lang.code)
        docs = documents(library, lang.code)
        for slug, source in danish_docs.items():
            doc = docs.get(slug)
            states: dict[str, SectionState] = {}
            for original in sections_of(source):
                twin = _twin(doc, original.id)
                if twin is None:
                    states[original.id] = SectionState("missing")
                    continue
                made_from = record.get(slug, {}).get(original.id, {}).get("from")
                danish_now, since = danish[(slug, original.id)]
                if made_from == danish_now:
                    states[original.id] = SectionState("current")
                else:
                    states[original.id] = SectionState("outdated", since)
                    twin.outdated_since = since
                    twin.outdated = True
            tracking.states[(lang.code, slug)] = states
    return tracking


def _twin(doc, section_id: str):
    if doc is None:
        return None
    if section_id == "intro":
        return doc.intro if doc.intro.markdown.strip() else None
    return doc.section(section_id)


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


# --- recording ----------------------------------------------------------------------------


def record_danish(library, root: Path, today: datetime.date) -> list[str]:
    """Write the Danish fingerprints that changed, dated today; returns "slug#section" of each."""
    record = read_record(root, SOURCE)
    changed = []
    fresh: dict[str, dict[str, dict]] = {}
    for slug, doc in documents(library, SOURCE).items():
        for section in sections_of(doc):
            old = record.get(slug, {}).get(section.id, {})
            if old.get("fingerprint") == section.fingerprint:
                fresh.setdefault(slug, {})[section.id] = old
            else:
                fresh.setdefault(slug, {})[section.id] = {
                    "fingerprint": section.fingerprint,
                    "since": today.isoformat(),
                }
                changed.append(f"{slug}#{section.id}")
    write_record(root, SOURCE, fresh)
    return changed


def record_translation(
    library, root: Path, lang: str, *, every: bool = False, only: set[str] | None = None
) -> list[str]:
    """Mark sections of `lang` as translated from today's Danish text; returns "slug#section".

    Without options: the sections whose own text changed since they were last recorded (the
    team edited them after the Danish change). `only`: these "slug#section" whatever their text.
    `every`: all sections (the first recording of existing translations).
    """
    record = read_record(root, lang)
    danish_docs = documents(library, SOURCE)
    marked = []
    for slug, doc in documents(library, lang).items():
        source = danish_docs.get(slug)
        if source is None:
            continue
        for original in sections_of(source):
            twin = _twin(doc, original.id)
            if twin is None:
                continue
            old = record.get(slug, {}).get(original.id, {})
            key = f"{slug}#{original.id}"
            wanted = every or (
                key in only if only is not None else old.get("text") != twin.fingerprint
            )
            if not wanted:
                continue
            new = translation_entry(original.fingerprint, twin.fingerprint)
            if new != old:
                record.setdefault(slug, {})[original.id] = new
                marked.append(key)
    write_record(root, lang, record)
    return marked


def translation_entry(danish_fingerprint: str, own_fingerprint: str) -> dict:
    """One section's entry in translated-from.json."""
    return {"from": danish_fingerprint, "text": own_fingerprint}


# --- status -------------------------------------------------------------------------------


def translation_status(library) -> dict[str, dict[str, dict]]:
    """Per language and guide (and "glossary"): current count, outdated and missing section ids,
    and the review status of the translation ("missing" when there is no file)."""
    result: dict[str, dict[str, dict]] = {}
    for lang in LANGUAGES:
        if lang.code == SOURCE:
            continue
        docs = documents(library, lang.code)
        per_guide = {}
        for (code, slug), states in library.tracking.states.items():
            if code != lang.code:
                continue
            doc = docs.get(slug)
            per_guide[slug] = {
                "status": doc.status if doc is not None else "missing",
                "current": sum(1 for s in states.values() if s.state == "current"),
                "outdated": [i for i, s in states.items() if s.state == "outdated"],
                "missing": [i for i, s in states.items() if s.state == "missing"],
            }
        result[lang.code] = per_guide
    return result


def waiting_parts(library, page_lang: str) -> list[dict]:
    """Per translation language with outdated parts: which guides (titled in `page_lang`, else
    Danish) and how many parts of each wait for a new translation."""
    result = []
    for lang in LANGUAGES:
        if lang.code == SOURCE:
            continue
        items = []
        for slug, outdated in sorted(
            (slug, library.tracking.outdated(code, slug))
            for (code, slug) in library.tracking.states
            if code == lang.code
        ):
            if not outdated:
                continue
            doc = documents(library, page_lang).get(slug) or documents(library, SOURCE)[slug]
            items.append(
                {"slug": slug, "title": doc.title, "lang": doc.lang, "outdated": len(outdated)}
            )
        if items:
            result.append({"lang": lang, "items": items})
    return result
