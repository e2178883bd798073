"""The guides and glossaries in content/: loading, rendering, checking and the search text.

Content is read once at start-up into a `Library`. Markdown is rendered with markdown-it-py
with raw HTML switched off (so HTML in a content file is shown as text, never run).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .languages import BY_CODE, LANGUAGES
from .tracking import RECORD_FILES, SOURCE, Tracking, fingerprint, track

# The guide list of CONTENT.md: slug → (kind, section ids in order).
MEETING_SECTIONS = ("why", "who", "rights", "bring", "questions", "next", "disagree")
GUIDES: dict[str, tuple[str, tuple[str, ...]]] = {
    "jobcenter-meeting": ("meeting", MEETING_SECTIONS),
    "self-support-programme": ("meeting", MEETING_SECTIONS),
    "social-services-meeting": ("meeting", MEETING_SECTIONS),
    "rehabilitation-team": ("meeting", MEETING_SECTIONS),
    "school-and-daycare-meeting": ("meeting", MEETING_SECTIONS),
    "doctor-and-dentist": ("meeting", MEETING_SECTIONS),
    "interpreter-rights": (
        "rights",
        ("right", "how-to-ask", "video-phone", "children", "health", "disagree"),
    ),
    "bring-a-companion": ("rights", ("what", "who", "how", "role")),
    "your-caseworker": ("rights", ("who", "reach", "away", "change")),
    "access-to-your-file": ("rights", ("what", "how", "deadline", "help")),
    "decisions-and-appeals": (
        "after",
        ("what", "read", "deadline", "how-to-appeal", "after-appeal", "help"),
    ),
    "after-the-meeting": ("after", ("notes", "plan", "decision", "time-limits", "help")),
    "duties-and-money": (
        "rights",
        ("meetings", "sick", "missed", "work-obligation", "jobnet", "changes", "help"),
    ),
    "digital-post-and-mitid": (
        "rights",
        ("post", "mitid", "exemption", "paper", "someone-else", "help"),
    ),
    "children-and-family-cases": (
        "rights",
        ("concern", "investigation", "meetings", "companion", "lawyer", "placement", "appeal"),
    ),
    "complaints-about-treatment": (
        "rights",
        ("decision-or-treatment", "municipality", "ombudsman", "health", "help"),
    ),
}
KINDS = ("meeting", "rights", "after")
# The kinds of meeting Bro knows: the meeting guides, in their order (one list for every use).
MEETING_KINDS = tuple(slug for slug, (kind, _ids) in GUIDES.items() if kind == "meeting")
SOURCE_LANGS = ("da", "en")
REQUIRED_KEYS = ("title", "summary", "kind", "status", "updated", "checked_on", "sources")
SECTION_HEADING = re.compile(r"^##\s+(?P<heading>.+?)\s*\{#(?P<id>[a-z0-9-]+)\}\s*$")
PRINT_SECTIONS = ("bring", "questions")


@dataclass
class Section:
    id: str
    heading: str
    markdown: str
    html: str = ""
    text: str = ""
    fingerprint: str = ""  # of the heading and Markdown as written (see app/tracking.py)
    outdated: bool = False  # a translation made from an older Danish text
    outdated_since: datetime.date | None = None  # when that Danish text changed, if known


@dataclass
class Document:
    """A guide or a glossary in one language."""

    lang: str
    slug: str
    path: Path
    meta: dict
    intro: Section
    sections: list[Section]
    links: list[str] = field(default_factory=list)  # internal link targets, for the check
    bold: list[tuple[str, str]] = field(default_factory=list)  # (section id, bold text)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.slug))

    @property
    def summary(self) -> str:
        return str(self.meta.get("summary", ""))

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def status(self) -> str:
        return str(self.meta.get("status", "draft"))

    @property
    def updated(self) -> datetime.date | None:
        return _as_date(self.meta.get("updated"))

    @property
    def reviewed_on(self) -> datetime.date | None:
        return _as_date(self.meta.get("reviewed_on"))

    @property
    def checked_on(self) -> datetime.date | None:
        """The day the facts and sources of this guide were last checked against the law."""
        return _as_date(self.meta.get("checked_on"))

    @property
    def related(self) -> list[str]:
        return [str(slug) for slug in self.meta.get("related") or []]

    @property
    def sources(self) -> list[dict]:
        return [
            dict(source) for source in self.meta.get("sources") or [] if isinstance(source, dict)
        ]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass
class Library:
    guides: dict[tuple[str, str], Document]
    glossaries: dict[str, Document]
    digest: str  # changes whenever any content file changes: for ETags and the search index
    root: Path = Path()
    tracking: Tracking = field(default_factory=Tracking)
    # Per language: groups of words and phrases (as folded words) a reader may type for the
    # same thing, from content/<lang>/synonyms.txt.
    synonyms: dict[str, list[tuple[tuple[str, ...], ...]]] = field(default_factory=dict)
    synonym_errors: list[str] = field(default_factory=list)

    def guide(self, lang: str, slug: str) -> Document | None:
        return self.guides.get((lang, slug))

    def guide_or_fallback(self, lang: str, slug: str) -> Document | None:
        """The guide in this language, else in English, else in Danish: the one order Bro uses
        wherever a guide must be named (titles in lists, a meeting's guide). English comes
        first because the team keeps it current and more newcomers read it than Danish.
        A guide *page* never falls back silently: it says the language is missing."""
        for code in dict.fromkeys((lang, "en", "da")):
            doc = self.guides.get((code, slug))
            if doc is not None:
                return doc
        return None

    def title_of(self, lang: str, slug: str) -> str:
        """The guide's title for lists and headings, in the fallback order above."""
        doc = self.guide_or_fallback(lang, slug)
        return doc.title if doc else slug

    def languages_of(self, slug: str) -> list[str]:
        return [lang.code for lang in LANGUAGES if (lang.code, slug) in self.guides]

    def glossary_terms(self, lang: str = "da") -> dict[str, str]:
        """Danish term (case-folded) → entry id. Headings are the Danish terms in every glossary."""
        glossary = self.glossaries.get(lang) or self.glossaries.get("da")
        if not glossary and self.glossaries:
            glossary = next(iter(self.glossaries.values()))
        if not glossary:
            return {}
        return {s.heading.casefold(): s.id for s in glossary.sections}


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


# --- parsing ------------------------------------------------------------------------------


def split_sections(body: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Split Markdown at `## Heading {#id}` lines: (intro, [(id, heading, markdown)])."""
    intro_lines: list[str] = []
    sections: list[tuple[str, str, list[str]]] = []
    for line in body.splitlines():
        match = SECTION_HEADING.match(line)
        if match:
            sections.append((match["id"], match["heading"], []))
        elif sections:
            sections[-1][2].append(line)
        else:
            intro_lines.append(line)
    return "\n".join(intro_lines).strip(), [(i, h, "\n".join(b).strip()) for i, h, b in sections]


def parse_file(path: Path, lang: str, slug: str) -> Document:
    """Read one content file (front matter + Markdown) without rendering it."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    intro, sections = split_sections(post.content)
    return Document(
        lang=lang,
        slug=slug,
        path=path,
        meta=dict(post.metadata),
        intro=Section("intro", "", intro, fingerprint=fingerprint("", intro)),
        sections=[Section(i, h, md, fingerprint=fingerprint(h, md)) for i, h, md in sections],
    )


# --- rendering ----------------------------------------------------------------------------

UrlBuilder = Callable[..., str]


# A Danish legal citation in rendered HTML: an optional law name (a glossary link or a word
# ending in "loven") and "§ 19", "§§ 22–24".
CITATION = re.compile(
    r"((?:<a [^>]*><strong>[^<]+</strong></a>|[A-Za-zÆØÅæøå-]+loven)\s+)?"
    r"(§§?\s?\d+(?:\s?[–-]\s?\d+)?)"
)


def isolate_citations(html: str) -> str:
    """Keep "(forvaltningsloven § 19)" in its own order inside right-to-left text.

    Without an isolate the bidirectional algorithm shows it as "(19 § forvaltningsloven)";
    a left-to-right isolate marked as Danish keeps it whole, and tells screen readers its language.
    """
    return CITATION.sub(lambda m: f'<bdi dir="ltr" lang="da">{m.group(0)}</bdi>', html)


class Renderer:
    """Markdown → HTML for one library: glossary links on bold terms, internal link rewriting."""

    def __init__(self, build_url: UrlBuilder, terms: dict[str, str]):
        self.build_url = build_url
        self.terms = terms
        self.md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

    def render(self, doc: Document) -> None:
        for section in [doc.intro, *doc.sections]:
            tokens = self.md.parse(section.markdown)
            for token in tokens:
                if token.type == "inline" and token.children:
                    token.children = self._rewrite_inline(doc, section, token.children)
                if token.type == "heading_open" and token.tag in ("h1", "h2"):
                    # Section headings are ours (h2); headings inside a section start at h3.
                    token.tag = "h3"
                if token.type == "heading_close" and token.tag in ("h1", "h2"):
                    token.tag = "h3"
            section.html = self.md.renderer.render(tokens, self.md.options, {})
            if BY_CODE[doc.lang].dir == "rtl":
                section.html = isolate_citations(section.html)
            section.text = plain_text(tokens)

    def _rewrite_inline(
        self, doc: Document, section: Section, children: list[Token]
    ) -> list[Token]:
        out: list[Token] = []
        in_link = False
        index = 0
        while index < len(children):
            token = children[index]
            if token.type == "link_open":
                in_link = True
                token.attrSet("href", self._resolve(doc, token.attrGet("href") or ""))
            elif token.type == "link_close":
                in_link = False
            elif (
                token.type == "strong_open"
                and index + 2 < len(children)
                and children[index + 1].type == "text"
                and children[index + 2].type == "strong_close"
            ):
                text = children[index + 1].content
                doc.bold.append((section.id, text))
                term_id = self.terms.get(text.casefold())
                if term_id and not in_link:
                    link = Token("link_open", "a", 1)
                    link.attrSet("href", self.build_url("guides.glossary", doc.lang, term_id))
                    link.attrSet("class", "term")
                    link.attrSet("lang", "da")
                    out.extend([link, *children[index : index + 3], Token("link_close", "a", -1)])
                    index += 3
                    continue
            out.append(token)
            index += 1
        return out

    def _resolve(self, doc: Document, href: str) -> str:
        """Turn a content link (`slug`, `slug#id`, `../glossary#id`) into a site URL."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # http:, https:, mailto: stay as they are
            return href
        doc.links.append(href)
        target, _, anchor = href.partition("#")
        if target in ("../glossary", "glossary"):
            return self.build_url("guides.glossary", doc.lang, anchor or None)
        if target == "" and anchor:
            return "#" + anchor
        return self.build_url("guides.guide", doc.lang, anchor or None, slug=target)


def plain_text(tokens: list[Token]) -> str:
    """The words of rendered Markdown, for search and read-aloud."""
    words: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            words.extend(c.content for c in token.children if c.type in ("text", "code_inline"))
            words.append(" ")
        elif token.type in ("paragraph_close", "list_item_close", "heading_close"):
            words.append("\n")
    return re.sub(r"[ \t]+", " ", "".join(words)).strip()


# --- loading ------------------------------------------------------------------------------


# Rendered libraries by content digest: every app in one process (the tests make hundreds)
# shares one parse of the same files. A change to any file gives a new digest, so a new entry.
_LIBRARIES: dict[tuple[str, str], Library] = {}
_KEEP_LIBRARIES = 4


def _content_files(root: Path) -> list[tuple[str, Path]]:
    return [
        (lang.code, path)
        for lang in LANGUAGES
        if (root / lang.code).is_dir()
        for path in sorted((root / lang.code).glob("*.md"))
    ]


def load_library(content_dir: str | Path, build_url: UrlBuilder) -> Library:
    """Read and render every guide and glossary under content_dir (once per content digest)."""
    root = Path(content_dir)
    files = _content_files(root)
    digest = hashlib.sha256()
    for _lang, path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    # The records of what each translation was made from decide the outdated notices.
    for lang in LANGUAGES:
        for name in RECORD_FILES:
            if (root / lang.code / name).exists():
                digest.update((root / lang.code / name).read_bytes())
    for lang in LANGUAGES:
        if (root / lang.code / SYNONYMS_FILE).exists():
            digest.update((root / lang.code / SYNONYMS_FILE).read_bytes())
    key = (str(root.resolve()), digest.hexdigest()[:16])
    if key not in _LIBRARIES:
        if len(_LIBRARIES) >= _KEEP_LIBRARIES:
            _LIBRARIES.pop(next(iter(_LIBRARIES)))
        _LIBRARIES[key] = _parse_library(root, files, key[1], build_url)
    return _LIBRARIES[key]


def _parse_library(
    root: Path, files: list[tuple[str, Path]], digest: str, build_url: UrlBuilder
) -> Library:
    guides: dict[tuple[str, str], Document] = {}
    glossaries: dict[str, Document] = {}
    for lang_code, path in files:
        doc = parse_file(path, lang_code, path.stem)
        if path.stem == "glossary":
            glossaries[lang_code] = doc
        else:
            guides[(lang_code, path.stem)] = doc
    library = Library(guides, glossaries, digest, root)
    renderer = Renderer(build_url, library.glossary_terms("da"))
    for doc in [*guides.values(), *glossaries.values()]:
        renderer.render(doc)
    library.tracking = track(library, root)
    for lang in LANGUAGES:
        path = root / lang.code / SYNONYMS_FILE
        if path.exists():
            groups, problems = parse_synonyms(path.read_text(encoding="utf-8"), lang.code)
            library.synonyms[lang.code] = groups
            library.synonym_errors += [
                f"content/{lang.code}/{SYNONYMS_FILE}: {p}" for p in problems
            ]
    return library


SYNONYMS_FILE = "synonyms.txt"
MAX_PHRASE = 3  # words in one synonym phrase


def parse_synonyms(text: str, lang: str) -> tuple[list[tuple[tuple[str, ...], ...]], list[str]]:
    """Groups of a synonyms file (one group a line, its words or phrases separated by commas;
    `#` starts a comment), each phrase folded like the index; and what is wrong with the file."""
    groups, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        phrases = []
        for item in line.split(","):
            folded = tuple(search_words(item, lang))
            if not folded:
                problems.append(f"line {number}: an empty item between commas")
            elif len(folded) > MAX_PHRASE:
                problems.append(f"line {number}: {item.strip()!r} has more than {MAX_PHRASE} words")
            elif folded not in phrases:
                phrases.append(folded)
        if len(phrases) < 2:
            problems.append(f"line {number}: a group needs at least two different words")
        else:
            groups.append(tuple(phrases))
    return groups, problems


# --- checking -----------------------------------------------------------------------------


def check_library(library: Library) -> list[str]:
    """Everything wrong with the content, one line each; empty when all is well."""
    errors: list[str] = []
    danish_terms = library.glossary_terms("da")
    if not library.glossaries.get("da"):
        errors.append("content/da/glossary.md: the Danish glossary is missing")
    for (lang, slug), doc in sorted(library.guides.items()):
        where = f"content/{lang}/{slug}.md"
        if slug not in GUIDES:
            errors.append(f"{where}: unknown guide slug (not in CONTENT.md's list)")
            continue
        kind, section_ids = GUIDES[slug]
        errors.extend(_check_meta(where, doc.meta))
        if doc.meta.get("kind") != kind:
            errors.append(f"{where}: kind is {doc.meta.get('kind')!r}, expected {kind!r}")
        found = [s.id for s in doc.sections]
        if found != list(section_ids):
            missing = [i for i in section_ids if i not in found]
            extra = [i for i in found if i not in section_ids]
            detail = []
            if missing:
                detail.append("missing " + ", ".join(missing))
            if extra:
                detail.append("unexpected " + ", ".join(extra))
            if not detail:
                detail.append("wrong order")
            errors.append(
                f"{where}: sections {found} do not match {list(section_ids)} ({'; '.join(detail)})"
            )
        for section in doc.sections:
            if not section.markdown.strip():
                errors.append(f"{where}: section #{section.id} is empty")
        for related in doc.related:
            if related not in GUIDES:
                errors.append(f"{where}: related guide {related!r} does not exist")
        for _section_id, text in doc.bold:
            if text.casefold() not in danish_terms:
                errors.append(f"{where}: bold text {text!r} is not a glossary term")
        errors.extend(_check_links(library, where, doc))
        source = library.guide("da", slug)
        if source and lang != "da":
            errors.extend(compare_with_source(where, source, doc))
    for lang, glossary in sorted(library.glossaries.items()):
        where = f"content/{lang}/glossary.md"
        for key in ("title", "status", "updated"):
            if key not in glossary.meta:
                errors.append(f"{where}: front matter lacks {key!r}")
        ids = [s.id for s in glossary.sections]
        if len(set(ids)) != len(ids):
            errors.append(f"{where}: an entry id is used twice")
        danish = library.glossaries.get("da")
        if danish and lang != "da":
            if ids != [s.id for s in danish.sections]:
                errors.append(f"{where}: entries differ from the Danish glossary")
        for section in glossary.sections:
            if not section.markdown.strip():
                errors.append(f"{where}: entry #{section.id} has no explanation")
        errors.extend(_check_links(library, where, glossary))
    errors.extend(check_tracking(library))
    errors.extend(library.synonym_errors)
    return errors


KEPT_CURRENT = ("en",)  # translations the team updates together with the Danish text


def check_tracking(library: Library) -> list[str]:
    """Danish changes must be recorded, and English must follow every Danish change."""
    errors = []
    for slug, section_id in library.tracking.unrecorded:
        errors.append(
            f"{_where(SOURCE, slug)}: #{section_id} changed and the change is not recorded; "
            f"run `flask --app app content record`"
        )
    for lang in KEPT_CURRENT:
        for (code, slug), states in sorted(library.tracking.states.items()):
            if code != lang:
                continue
            for section_id, state in states.items():
                if state.state == "outdated":
                    errors.append(
                        f"{_where(lang, slug)}: #{section_id} was translated from an older Danish "
                        f"text; update it, then run `flask --app app content record --lang {lang}`"
                    )
    return errors


def _where(lang: str, slug: str) -> str:
    return f"content/{lang}/{slug}.md"


NUMBER = re.compile(r"\d+")


def numbers_in(markdown: str) -> set[str]:
    """The numbers a section states (4, 18, 67, 2025), whatever digits the script uses."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)  # link targets are not facts
    return {n.lstrip("0") or "0" for n in NUMBER.findall(text.translate(_DIGITS))}


def compare_with_source(where: str, source: Document, doc: Document) -> list[str]:
    """Facts that must survive translation, section by section, against the Danish source."""
    errors = []
    source_ids = [s.id for s in source.sections]
    if [s.id for s in doc.sections] != source_ids:
        errors.append(f"{where}: section ids differ from the Danish source {_rel(source)}")
    source_bold: dict[str, set[str]] = {}
    for section_id, text in source.bold:
        source_bold.setdefault(section_id, set()).add(text.casefold())
    doc_bold: dict[str, set[str]] = {}
    for section_id, text in doc.bold:
        doc_bold.setdefault(section_id, set()).add(text.casefold())
    for original in [source.intro, *source.sections]:
        twin = doc.intro if original.id == "intro" else doc.section(original.id)
        if twin is None:
            continue
        lost = numbers_in(original.markdown) - numbers_in(twin.markdown)
        if lost:
            errors.append(
                f"{where}: #{original.id} lacks the number(s) {', '.join(sorted(lost, key=int))} "
                f"of the Danish source"
            )
        unbolded = source_bold.get(original.id, set()) - doc_bold.get(original.id, set())
        if unbolded:
            errors.append(
                f"{where}: #{original.id} lacks the bold Danish term(s) "
                f"{', '.join(sorted(unbolded))} of the Danish source"
            )
    titles = [src.get("title") for src in doc.sources]
    for entry in source.sources:
        if entry.get("title") not in titles:
            errors.append(f"{where}: source {entry.get('title')!r} of the Danish source is missing")
    return errors


def _rel(doc: Document) -> str:
    return f"content/{doc.lang}/{doc.slug}.md"


def _check_meta(where: str, meta: dict) -> list[str]:
    errors = [f"{where}: front matter lacks {key!r}" for key in REQUIRED_KEYS if key not in meta]
    if meta.get("status") not in ("draft", "reviewed"):
        errors.append(f"{where}: status must be draft or reviewed, not {meta.get('status')!r}")
    if meta.get("status") == "reviewed" and not _as_date(meta.get("reviewed_on")):
        errors.append(f"{where}: a reviewed guide needs reviewed_on (YYYY-MM-DD)")
    if meta.get("status") == "reviewed" and not str(meta.get("reviewed_by") or "").strip():
        errors.append(
            f"{where}: a reviewed guide needs reviewed_by (the translator who checked it)"
        )
    if "updated" in meta and not _as_date(meta.get("updated")):
        errors.append(f"{where}: updated must be a date (YYYY-MM-DD)")
    if "checked_on" in meta and not _as_date(meta.get("checked_on")):
        errors.append(f"{where}: checked_on must be a date (YYYY-MM-DD)")
    for source in meta.get("sources") or []:
        if not isinstance(source, dict) or not source.get("title"):
            errors.append(f"{where}: every source needs a title")
            continue
        url = str(source.get("url") or "")
        if not url:
            errors.append(f"{where}: source {source['title']!r} needs a url")
        elif is_bare_site(url):
            errors.append(
                f"{where}: source {source['title']!r} links to a bare site ({url}); "
                "link the exact law (ELI address) or the authority's page for the topic"
            )
    return errors


def is_bare_site(url: str) -> bool:
    """True for an address with no path beyond "/" (https://www.retsinformation.dk, https://ast.dk/)."""
    parts = urlsplit(url.strip())
    return not parts.scheme or not parts.netloc or (parts.path in ("", "/") and not parts.query)


def _check_links(library: Library, where: str, doc: Document) -> list[str]:
    errors = []
    glossary_ids = {
        s.id
        for s in (
            library.glossaries.get(doc.lang) or library.glossaries.get("da") or _EMPTY
        ).sections
    }
    for href in doc.links:
        target, _, anchor = href.partition("#")
        if target in ("../glossary", "glossary"):
            if anchor and anchor not in glossary_ids:
                errors.append(f"{where}: link {href!r}: no glossary entry #{anchor}")
            continue
        if target == "":
            if anchor not in {s.id for s in doc.sections}:
                errors.append(f"{where}: link {href!r}: no section #{anchor} here")
            continue
        if target not in GUIDES:
            errors.append(f"{where}: link {href!r}: no guide {target!r}")
        elif anchor and anchor not in GUIDES[target][1]:
            errors.append(f"{where}: link {href!r}: guide {target!r} has no section #{anchor}")
    return errors


_EMPTY = Document("", "", Path(), {}, Section("intro", "", ""), [])


def coverage(library: Library) -> list[dict]:
    """Per language: guides present, drafts, reviewed, glossary entries, and how many parts
    (guide sections and glossary entries) are current, outdated or missing against the Danish."""
    rows = []
    for lang in LANGUAGES:
        docs = [
            library.guides[(lang.code, slug)]
            for slug in GUIDES
            if (lang.code, slug) in library.guides
        ]
        glossary = library.glossaries.get(lang.code)
        parts = {"current": 0, "outdated": 0, "missing": 0}
        for (code, _slug), states in library.tracking.states.items():
            if code == lang.code:
                for state in states.values():
                    parts[state.state] += 1
        rows.append(
            {
                "lang": lang,
                "guides": len(docs),
                "draft": sum(1 for d in docs if d.status == "draft"),
                "reviewed": sum(1 for d in docs if d.status == "reviewed"),
                "glossary": len(glossary.sections) if glossary else 0,
                "source": lang.code == SOURCE,
                **parts,
            }
        )
    return rows


# --- search text --------------------------------------------------------------------------

# Letter variants a reader may type either way: Arabic and Persian forms, Danish and Turkish
# letters without their marks. Applied to the index and to the query alike.
_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ء": "",  # a lone hamza is often left out when typing
        "ھ": "ه",  # Sorani and Urdu heh forms, typed as the Arabic heh on most keyboards
        "ە": "ه",
        "ۆ": "و",  # Sorani and Pashto letters a Persian or Arabic keyboard lacks
        "ێ": "ی",
        "ڕ": "ر",
        "ڵ": "ل",
        "ې": "ی",
        "ۍ": "ی",
        "ـ": "",  # tatweel
        "\u200c": "",  # zero-width non-joiner inside Persian words
        "\u200d": "",
        "ø": "o",
        "æ": "ae",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "đ": "d",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize(text: str) -> str:
    """Fold case, diacritics, digits and letter variants so typed words find written ones."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text.translate(_FOLD).translate(_DIGITS))


WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return WORD.findall(normalize(text))


# The Arabic article and the one-letter words written together with it ("والقرار", "بالمترجم",
# "للموظف"): a reader types the bare word, so the index and the query both drop them.
_ARABIC_ARTICLE = re.compile(r"^(?:وال|بال|كال|کال|فال|لل|ال)(?=\w\w)")


def search_words(text: str, lang: str) -> list[str]:
    """The words of a text as the search index holds them in that language (and as typed)."""
    found = words(text)
    if lang == "ar":
        return [_ARABIC_ARTICLE.sub("", word) for word in found]
    return found


def language_dir(code: str) -> str:
    return BY_CODE[code].dir


_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)


def checklist_items(doc: Document | None) -> list[tuple[str, str]]:
    """(key, html) for each item of a meeting guide's "bring" list; keys match across languages."""
    section = doc.section("bring") if doc else None
    if not section:
        return []
    # Links are dropped: each item becomes a button, and a link inside a button is unreachable.
    return [
        (str(number), re.sub(r"</?a\b[^>]*>", "", html).strip())
        for number, html in enumerate(_LIST_ITEM.findall(section.html), 1)
    ]


def library() -> Library:
    """The content loaded at start-up (every app keeps its library in its extensions)."""
    from flask import current_app

    return current_app.extensions["bro_library"]


# The four top tasks of the home page (DESIGN.md). Each names the page that serves it.
TASKS = {
    "prepare": {
        "title": _l("Prepare for a meeting"),
        "text": _l("What the meeting is for, who will be there, what to bring and what to ask."),
        "guides": [*MEETING_KINDS, "after-the-meeting"],
    },
    "decision": {
        "title": _l("I got a decision"),
        "text": _l("What a decision means, and how and when you can complain."),
        "guides": ["decisions-and-appeals", "access-to-your-file", "bring-a-companion"],
    },
    "interpreter": {
        "title": _l("I need an interpreter"),
        "text": _l("Your right to a professional interpreter, and how to ask for one."),
        "guides": ["interpreter-rights", "doctor-and-dentist"],
        # What Bro does now, and the way there (sign-in first, when needed).
        "in_bro": _l(
            "In Bro you can ask for a professional interpreter for a meeting, or for a visit to "
            "your doctor or dentist. You see when the interpreter is booked."
        ),
        "link": ("me.new_interpreter_request", _l("Ask for an interpreter")),
    },
    "caseworker": {
        "title": _l("Who is my caseworker?"),
        "text": _l("The one person who follows your case, and how to reach them."),
        "guides": ["your-caseworker"],
        "in_bro": _l(
            "Signed in, Bro shows your caseworker's name, phone, e-mail and office hours, and "
            "who to contact while your caseworker is away."
        ),
        "link": ("me.home", _l("My page")),
    },
}
