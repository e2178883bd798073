"""The translator round trip: guides and glossary to a PO (or XLIFF) file and back into Markdown.

One PO entry per heading, paragraph and list item: the Danish text is the source (msgid), the
translation in the file's language the target (msgstr), "<slug>#<section>:<n>" the context.
Entries of sections whose Danish text changed after they were translated are marked fuzzy.

Import writes back only what changed, line by line, so the Markdown keeps its layout and an
unchanged file comes back byte for byte. It refuses the whole file, writing nothing, when the
file is damaged, is for another language, or when a changed entry lost a number, a link, a §
reference or a bold Danish term of its source.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from markdown_it import MarkdownIt

from .content import Library, numbers_in, split_sections
from .languages import BY_CODE
from .tracking import (
    GLOSSARY,
    SOURCE,
    documents,
    fingerprint,
    read_record,
    record_bytes,
    record_path,
    sections_of,
    translation_entry,
)

_MD = MarkdownIt("commonmark")
_SECTION_TAIL = re.compile(r"\s*\{#(?P<id>[a-z0-9-]+)\}\s*$")
_CONTEXT = re.compile(r"^(?P<slug>[a-z0-9-]+)#(?P<section>[a-z0-9-]+):(?P<n>\d+)$")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_PARAGRAPH_REF = re.compile(r"§+\s*\d+")
_QUOTED_LINE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$'
)


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, one problem per line."""


@dataclass
class Block:
    """One translatable piece of a content file: a heading, a paragraph or a list item."""

    section: str  # section id; "intro" before the first section
    kind: str  # "heading" | "paragraph" | "list item"
    text: str  # its Markdown, lines joined with "\n"
    first: int  # index of its first line in the file
    prefixes: list[str]  # what comes before the text on each line (list marker, indentation)
    suffixes: list[str]  # what comes after it (the section id of a heading, the line end)


@dataclass
class ContentFile:
    """A content file split into lines, with its blocks in order."""

    path: Path
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)

    def by_section(self) -> dict[str, list[Block]]:
        grouped: dict[str, list[Block]] = {}
        for block in self.blocks:
            grouped.setdefault(block.section, []).append(block)
        return grouped

    def text(self) -> str:
        return "".join(self.lines)


def read_blocks(path: Path, glossary: bool = False, text: str | None = None) -> ContentFile:
    """Split a content file (or `text` meant for it) into blocks; a glossary's headings (the
    Danish terms, the same in every language) are not blocks."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = 0
    if lines and lines[0].rstrip("\r\n") == "---":
        start = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---") + 1
    result = ContentFile(path, lines)
    section = "intro"
    stack: list[str] = []
    for token in _MD.parse("".join(lines[start:])):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        if token.type != "inline" or token.map is None:
            continue
        content = token.content
        kind = "paragraph"
        if stack and stack[-1] == "heading_open":
            kind = "heading"
            match = _SECTION_TAIL.search(content)
            if match:
                section = match["id"]
                content = content[: match.start()]
                if glossary:
                    continue
        elif "list_item_open" in stack:
            kind = "list item"
        first = start + token.map[0]
        prefixes, suffixes = [], []
        for offset, part in enumerate(content.split("\n")):
            line = lines[first + offset]
            body = line.rstrip("\r\n")
            ending = line[len(body) :]
            at = body.find(part) if part else len(body.rstrip())
            if at < 0:
                raise ValueError(f"{path}: line {first + offset + 1} does not hold its own text")
            prefixes.append(body[:at])
            suffixes.append(body[at + len(part) :] + ending)
        result.blocks.append(Block(section, kind, content, first, prefixes, suffixes))
    return result


def paired_blocks(
    library: Library, lang: str, slug: str, translation: ContentFile | None = None
) -> list[tuple[str, list[Block], list[Block] | None]]:
    """Per Danish section: its blocks and the translation's (None where the two are built
    differently, so no entry can be paired). `translation`: the file already read."""
    glossary = slug == GLOSSARY
    danish_doc = documents(library, SOURCE).get(slug)
    doc = documents(library, lang).get(slug)
    danish = read_blocks(danish_doc.path, glossary).by_section()
    if translation is None and doc is not None:
        translation = read_blocks(doc.path, glossary)
    own = translation.by_section() if translation is not None else {}
    result = []
    for section_id, blocks in danish.items():
        twin = own.get(section_id)
        if twin is not None and [b.kind for b in twin] != [b.kind for b in blocks]:
            twin = None
        result.append((section_id, blocks, twin))
    return result


EXPORT_HEADER = """\
# Bro: the guides and the glossary, Danish -> %(language)s.
# One entry per heading, paragraph and list item; the context is guide#section:number.
# Keep every number, every § reference, every link target (the part in round brackets)
# and every **bold** Danish word of the Danish text, as it is. Keep each entry one piece of
# text: no new paragraphs, lists or headings. Entries marked fuzzy (XLIFF: the state
# needs-review-translation) belong to a part whose Danish text changed after it was
# translated: check them, then remove the mark (XLIFF: state translated or final).
# Fuzzy and empty entries are not imported."""


def context(slug: str, section_id: str, number: int) -> str:
    return f"{slug}#{section_id}:{number}"


# --- export -------------------------------------------------------------------------------


@dataclass
class Entry:
    """One unit for the translator, whatever the file format."""

    context: str  # "<slug>#<section>:<n>"
    source: str  # the Danish text
    target: str  # the translation ("" when there is none)
    fuzzy: bool  # needs checking: the Danish changed after translation (or the tool says so)
    comments: list[str] = field(default_factory=list)


def export_entries(library: Library, lang: str, only_outdated: bool = False) -> list[Entry]:
    """Every heading, paragraph and list item of the guides and glossary, paired with `lang`."""
    entries = []
    for slug in sorted(documents(library, SOURCE)):
        states = library.tracking.states.get((lang, slug), {})
        for section_id, blocks, twin in paired_blocks(library, lang, slug):
            state = states.get(section_id)
            outdated = state is not None and state.state == "outdated"
            if only_outdated and not outdated:
                continue
            for number, block in enumerate(blocks, 1):
                comments = [f"{block.kind} in {slug}, section {section_id}"]
                if outdated:
                    since = state.changed_on.isoformat() if state.changed_on else "unknown"
                    comments.append(f"The Danish text of this section changed ({since}).")
                if twin is None:
                    comments.append("No translation to pair with: translate it whole.")
                entries.append(
                    Entry(
                        context(slug, section_id, number),
                        block.text,
                        twin[number - 1].text if twin is not None else "",
                        outdated,
                        comments,
                    )
                )
    return entries


def export_po(library: Library, lang: str, only_outdated: bool = False) -> bytes:
    """A PO file of every guide and the glossary of `lang`: Danish source, current translation."""
    language = BY_CODE[lang]
    catalog = Catalog(
        locale=language.locale,
        project="Bro guides",
        domain="content",
        charset="utf-8",
        fuzzy=False,
        header_comment=EXPORT_HEADER % {"language": language.name},
        language_team=language.name,
        last_translator="",
    )
    for entry in export_entries(library, lang, only_outdated):
        catalog.add(
            entry.source,
            entry.target,
            auto_comments=entry.comments,
            flags=["fuzzy"] if entry.fuzzy else [],
            context=entry.context,
        )
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
# XLIFF 1.2 target states that mean "a translator confirmed this"; any other needs checking.
XLIFF_DONE = {"translated", "final", "signed-off"}


def export_xliff(library: Library, lang: str, only_outdated: bool = False) -> bytes:
    """The same entries as `export_po`, as XLIFF 1.2 (memoQ, Trados and most CAT tools)."""
    language = BY_CODE[lang]
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", version="1.2")
    file = ET.SubElement(
        root,
        f"{{{XLIFF_NS}}}file",
        {
            "original": "bro-guides",
            "source-language": "da",
            "target-language": language.locale.replace("_", "-"),
            "datatype": "plaintext",
        },
    )
    header = ET.SubElement(file, f"{{{XLIFF_NS}}}header")
    ET.SubElement(header, f"{{{XLIFF_NS}}}note").text = EXPORT_HEADER % {"language": language.name}
    body = ET.SubElement(file, f"{{{XLIFF_NS}}}body")
    for entry in export_entries(library, lang, only_outdated):
        unit = ET.SubElement(
            body,
            f"{{{XLIFF_NS}}}trans-unit",
            {"id": entry.context, "resname": entry.context, "xml:space": "preserve"},
        )
        ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = entry.source
        state = "needs-review-translation" if entry.fuzzy else "translated"
        if not entry.target:
            state = "new"
        ET.SubElement(unit, f"{{{XLIFF_NS}}}target", state=state).text = entry.target
        for comment in entry.comments:
            ET.SubElement(unit, f"{{{XLIFF_NS}}}note").text = comment
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _read_xliff(data: bytes) -> tuple[str, list[Entry]]:
    """(target language as a locale, entries) of an XLIFF 1.2 file."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportRefused(
            f"The file is damaged: it is not well-formed XLIFF ({error}). Nothing was written."
        ) from None
    files = root.findall(f"{{{XLIFF_NS}}}file")
    if root.tag != f"{{{XLIFF_NS}}}xliff" or len(files) != 1:
        raise ImportRefused(
            "The file is not an XLIFF 1.2 file with one <file> as Bro exports it. "
            "Nothing was written."
        )
    language = (files[0].get("target-language") or "").replace("-", "_")
    entries = []
    for unit in files[0].iter(f"{{{XLIFF_NS}}}trans-unit"):
        source = unit.find(f"{{{XLIFF_NS}}}source")
        target = unit.find(f"{{{XLIFF_NS}}}target")
        text = "".join(target.itertext()) if target is not None else ""
        done = target is not None and target.get("state", "translated") in XLIFF_DONE
        entries.append(
            Entry(
                unit.get("resname") or unit.get("id") or "",
                "".join(source.itertext()) if source is not None else "",
                text,
                not done,
            )
        )
    return language, entries


# --- import -------------------------------------------------------------------------------


@dataclass
class ImportResult:
    changed_files: list[Path]
    recorded: list[str]  # "slug#section" now recorded as made from today's Danish
    reviewed: list[str]  # slugs marked reviewed
    incomplete: list[str] = field(default_factory=list)  # slugs a reviewer did not fully deliver


def import_file(
    library: Library,
    lang: str,
    data: bytes,
    reviewer: str | None = None,
    reviewed_on: datetime.date | None = None,
) -> ImportResult:
    """Write the translations of a PO or XLIFF file into content/<lang>/; all or nothing."""
    if (reviewer is None) != (reviewed_on is None):
        raise ImportRefused("A review needs both the reviewer's name and the date.")
    if data.lstrip().startswith(b"<"):
        found, entries = _read_xliff(data)
    else:
        catalog = _read_catalog(data)
        found = str(catalog.locale_identifier or "")
        entries = [Entry(m.context or "", m.id, m.string, m.fuzzy) for m in catalog if m.id]
    language = BY_CODE[lang]
    if not found:
        raise ImportRefused(
            "The file does not say which language it is for (its header has no Language line); "
            "export a new file for the translator. Nothing was written."
        )
    if found != language.locale:
        raise ImportRefused(
            f"This file is for the language {found!r}, "
            f"not {language.locale!r} ({language.name}). Nothing was written."
        )
    problems: list[str] = []
    delivered: dict[tuple[str, str, int], tuple[str, str]] = {}  # → (Danish, translation)
    for entry in entries:
        match = _CONTEXT.match(entry.context)
        if not match:
            problems.append(f"an entry has no Bro context: {_short(entry.source)}")
            continue
        if entry.fuzzy or not entry.target.strip():
            continue  # not confirmed by the translator: the Markdown keeps what it has
        key = (match["slug"], match["section"], int(match["n"]))
        delivered[key] = (entry.source, _tidy(entry.target))
    if problems:
        raise ImportRefused(_refusal(problems))

    root = library.root
    record = read_record(root, lang)
    danish_docs = documents(library, SOURCE)
    docs = documents(library, lang)
    new_texts: dict[Path, str] = {}
    recorded: list[str] = []
    reviewed: list[str] = []
    incomplete: list[str] = []
    slugs = sorted({slug for slug, _section, _n in delivered})
    for slug in slugs:
        if slug not in danish_docs:
            problems.append(f"{slug}: no such guide")
            continue
        doc = docs.get(slug)
        if doc is None:
            problems.append(f"{slug}: there is no {language.name} file to write into yet")
            continue
        target = read_blocks(doc.path, slug == GLOSSARY)
        pairs = {
            section: (blocks, twin)
            for section, blocks, twin in paired_blocks(library, lang, slug, target)
        }
        edits: dict[int, str] = {}  # index in target.blocks → new text
        complete: set[str] = set()
        for section_id, (blocks, twin) in pairs.items():
            got = 0
            for number, block in enumerate(blocks, 1):
                entry = delivered.pop((slug, section_id, number), None)
                if entry is None:
                    continue
                source, translation = entry
                where = f"{context(slug, section_id, number)}"
                if source != block.text:
                    problems.append(
                        f"{where}: the Danish text changed after this file was exported; "
                        f"export a new file"
                    )
                    continue
                if twin is None:
                    problems.append(
                        f"{where}: the {language.name} section is built differently from the "
                        f"Danish one; edit content/{lang}/{slug}.md by hand"
                    )
                    continue
                got += 1
                current = twin[number - 1]
                if translation == current.text:
                    continue
                problems.extend(f"{where}: {p}" for p in lost_facts(source, translation))
                if current.kind == "heading" and "\n" in translation:
                    problems.append(f"{where}: a heading must stay on one line")
                edits[next(i for i, b in enumerate(target.blocks) if b is current)] = translation
            if got == len(blocks):
                complete.add(section_id)
        for key in [k for k in delivered if k[0] == slug]:
            problems.append(f"{context(*key)}: no such part in the Danish text")
            delivered.pop(key)
        if problems:
            continue
        text = _apply(target, edits)
        problems.extend(_same_structure(doc.path, target, text, edits, slug == GLOSSARY))
        changed = text != target.text()
        danish_sections = {s.id: s for s in sections_of(danish_docs[slug])}
        own_after = _fingerprints_after(text)
        for section_id in sorted(complete):
            entry = translation_entry(
                danish_sections[section_id].fingerprint, own_after.get(section_id, "")
            )
            if record.get(slug, {}).get(section_id) != entry:
                record.setdefault(slug, {})[section_id] = entry
                recorded.append(f"{slug}#{section_id}")
        whole = complete == set(pairs)
        if reviewer and not whole:
            incomplete.append(slug)
        if reviewer and whole:
            text = _set_review(text, reviewer, reviewed_on)
            reviewed.append(slug)
        elif changed and doc.status == "reviewed":
            # Changed text nobody reviewed is a draft again, whatever it was before.
            text = _set_review(text, None, None)
        if text != target.text():
            new_texts[doc.path] = text
    if problems:
        raise ImportRefused(_refusal(problems))
    for path, text in new_texts.items():
        _write(path, text.encode("utf-8"))
    if recorded:
        _write(record_path(root, lang), record_bytes(record))
    return ImportResult(sorted(new_texts), recorded, reviewed, incomplete)


def _read_catalog(data: bytes) -> Catalog:
    if not data.strip():
        raise ImportRefused("The file is empty. Nothing was written.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file is damaged: it is not UTF-8 text (byte {error.start}). Nothing was written."
        ) from None
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        # Babel reads a string cut off before its closing quote without a word; a file cut off
        # in transit must not lose the end of a translation silently.
        line = line.strip()
        if line and not line.startswith("#") and not _QUOTED_LINE.match(line):
            raise ImportRefused(
                f"The file is damaged: line {number} is not a complete PO line "
                f"({_short(line)}); it may have been cut off. Nothing was written."
            )
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:
        raise ImportRefused(
            f"The file is damaged: it is not a readable PO file ({error}). Nothing was written."
        ) from None
    if not any(message.id for message in catalog):
        raise ImportRefused("The file holds no translations. Nothing was written.")
    return catalog


def lost_facts(source: str, translation: str) -> list[str]:
    """What of the Danish source a translated piece does not keep: numbers, § references,
    link targets and bold Danish terms."""
    problems = []
    lost = numbers_in(source) - numbers_in(translation)
    if lost:
        problems.append(f"lost the number(s) {', '.join(sorted(lost, key=int))}")
    refs = _refs(source) - _refs(translation)
    if refs:
        problems.append(f"lost the reference(s) {', '.join(sorted(refs))}")
    links = set(_LINK_TARGET.findall(source)) ^ set(_LINK_TARGET.findall(translation))
    if links:
        problems.append(f"links differ from the Danish ({', '.join(sorted(links))})")
    bold = {b.casefold() for b in _BOLD.findall(source)} - {
        b.casefold() for b in _BOLD.findall(translation)
    }
    if bold:
        problems.append(f"lost the bold Danish term(s) {', '.join(sorted(bold))}")
    return problems


def _tidy(translation: str) -> str:
    """A translation as it will stand in the Markdown: no spaces at the ends of its lines."""
    return "\n".join(line.strip() for line in translation.strip().split("\n"))


def _refs(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", ref) for ref in _PARAGRAPH_REF.findall(text)}


def _apply(target: ContentFile, edits: dict[int, str]) -> str:
    """The file's text with the edited blocks rewritten in place; every other line untouched."""
    lines = list(target.lines)
    # From the end, so earlier line numbers stay right when a block grows or shrinks.
    for index in sorted(edits, reverse=True):
        block = target.blocks[index]
        parts = edits[index].split("\n")
        count = len(block.prefixes)
        ending = block.suffixes[-1][len(block.suffixes[-1].rstrip("\r\n")) :] or "\n"
        follow = block.prefixes[1] if count > 1 else " " * len(block.prefixes[0])
        if block.kind == "paragraph" and count == 1:
            follow = block.prefixes[0]
        new = []
        for offset, part in enumerate(parts):
            prefix = block.prefixes[0] if offset == 0 else follow
            suffix = block.suffixes[0] if offset == 0 and block.kind == "heading" else ending
            new.append(prefix + part + suffix)
        lines[block.first : block.first + count] = new
    return "".join(lines)


def _same_structure(
    path: Path, before: ContentFile, text: str, edits: dict[int, str], glossary: bool
) -> list[str]:
    """The rewritten file must have the same blocks, in the same places, holding the new texts."""
    after = read_blocks(path, glossary, text)
    shape = [(b.section, b.kind) for b in before.blocks]
    if [(b.section, b.kind) for b in after.blocks] != shape:
        return [
            f"{path.parent.name}/{path.name}: a translation would change the file's structure "
            f"(a new paragraph, list or heading); keep each entry one piece of text"
        ]
    for index, new_text in edits.items():
        if after.blocks[index].text != new_text:
            return [
                f"{path.parent.name}/{path.name}: the translation of "
                f"{_short(before.blocks[index].text)} would not read back as written "
                f"(look for a stray *, [ or line break)"
            ]
    return []


def _fingerprints_after(text: str) -> dict[str, str]:
    """Section id → fingerprint of the section as the new text has it."""
    intro, sections = split_sections(frontmatter.loads(text).content)
    result = {"intro": fingerprint("", intro)}
    result.update({i: fingerprint(h, md) for i, h, md in sections})
    return result


def _set_review(text: str, reviewer: str | None, reviewed_on: datetime.date | None) -> str:
    """Set status, reviewed_on and reviewed_by in the front matter, leaving every other line."""
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---")
    head = lines[1:end]
    values = {
        "status": "reviewed" if reviewer else "draft",
        "reviewed_on": reviewed_on.isoformat() if reviewed_on else "",
        "reviewed_by": json.dumps(reviewer, ensure_ascii=False) if reviewer else "",
    }
    for key, value in values.items():
        line = f"{key}: {value}".rstrip() + "\n"
        at = next((i for i, old in enumerate(head) if old.startswith(f"{key}:")), None)
        if at is not None:
            head[at] = line
        elif key == "reviewed_by" and reviewer:
            after = next((i for i, old in enumerate(head) if old.startswith("reviewed_on:")), 0)
            head.insert(after + 1, line)
    return "".join([lines[0], *head, *lines[end:]])


def _write(path: Path, data: bytes) -> None:
    """Replace a file in one step, so a reader never sees half of it."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _refusal(problems: list[str]) -> str:
    return "The file was refused; nothing was written.\n" + "\n".join(f"- {p}" for p in problems)
