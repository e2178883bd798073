"""Public guides: list, one guide (alone or side by side), glossary, search, read-aloud help."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Blueprint, Flask, abort, current_app, g, request
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from . import clock
from . import search as search_index
from .access import public_page
from .catalogs import citizen_screen_texts
from .content import (
    GUIDES,
    KINDS,
    SOURCE_LANGS,
    Library,
    check_library,
    coverage,
    library,
    load_library,
)
from .db import connect, get_db
from .exchange import ImportRefused, export_po, export_xliff, import_file
from .languages import BY_CODE
from .pages import render
from .tracking import record_danish, record_translation, translation_status

SCREEN_TEXTS = "screen-texts"  # the key of the UI catalog counts in `content status --json`

bp = Blueprint("guides", __name__)

KIND_TITLES = {
    "meeting": _l("Meetings"),
    "rights": _l("Your rights"),
    "after": _l("After the meeting"),
}


def guide_titles(lib: Library, lang: str) -> list:
    """Every guide in the language (or, where it has none yet, in the fallback order), in list order."""
    docs = [lib.guide_or_fallback(lang, slug) for slug in GUIDES]
    return [doc for doc in docs if doc]


@bp.get("/<lang>/guides/")
@public_page()
def index():
    """All guides of the language, grouped: meetings, your rights, after the meeting."""
    lib = library()
    groups = []
    for kind in KINDS:
        items = []
        for slug, (guide_kind, _sections) in GUIDES.items():
            if guide_kind != kind:
                continue
            doc = lib.guide(g.lang, slug)
            fallback = lib.guide_or_fallback(g.lang, slug)
            if fallback is None:
                continue
            items.append({"slug": slug, "doc": doc, "fallback": fallback})
        groups.append({"kind": kind, "title": KIND_TITLES[kind], "items": items})
    return render("guides/index.html", groups=groups)


@bp.get("/<lang>/guides/<slug>")
@public_page("with")
def guide(slug: str):
    """One guide; ?with=<lang> reads it side by side with another language."""
    if slug not in GUIDES:
        abort(404)
    lib = library()
    doc = lib.guide(g.lang, slug)
    if doc is None:
        available = [BY_CODE[code] for code in lib.languages_of(slug)]
        if not available:
            abort(404)
        return render("guides/missing.html", slug=slug, available=available)
    other_code = request.args.get("with", "")
    if other_code:
        other = lib.guide(other_code, slug) if other_code in BY_CODE else None
        if other is None or other_code == g.lang:
            abort(404)
        pairs = [(section, other.section(section.id)) for section in doc.sections]
        return render(
            "guides/side_by_side.html",
            doc=doc,
            other=other,
            other_lang=BY_CODE[other_code],
            pairs=pairs,
        )
    partner = "en" if g.lang == "da" else "da"
    danish = lib.guide("da", slug) if g.lang != "da" else None
    related = [lib.guide_or_fallback(g.lang, s) for s in doc.related if s in GUIDES]
    return render(
        "guides/guide.html",
        doc=doc,
        partner=BY_CODE[partner] if lib.guide(partner, slug) else None,
        danish=danish,
        related=[r for r in related if r],
        print_sections=("bring", "questions"),
    )


@bp.get("/<lang>/glossary")
@public_page()
def glossary():
    """Danish municipal words, explained in the chosen language."""
    lib = library()
    doc = lib.glossaries.get(g.lang)
    if doc is None:
        available = [BY_CODE[code] for code in SOURCE_LANGS if code in lib.glossaries]
        return render("guides/missing.html", slug=None, available=available)
    return render("guides/glossary.html", doc=doc)


@bp.get("/<lang>/search")
@public_page("q", cache="search")
def search():
    """Search the guides and glossary of this language; htmx gets only the results."""
    query = request.args.get("q", "")
    problem = None
    results: list[dict] = []
    status = 200
    if len(query) > search_index.MAX_QUERY:
        problem = _l("Your search is too long. Use a few words, at most 200 letters.")
        status = 400
    elif query.strip():
        synonyms = library().synonyms.get(g.lang, [])
        results = search_index.search(get_db(), g.lang, query, synonyms=synonyms)
    # Nothing found: the guide list and the glossary instead of an empty page.
    suggestions = guide_titles(library(), g.lang) if query.strip() and not results else []
    return render(
        "guides/search.html",
        fragment="guides/_search_results.html",
        status=status,
        query=query,
        results=results,
        problem=problem,
        suggestions=suggestions,
    )


@bp.get("/<lang>/help/read-aloud")
@public_page()
def read_aloud_help():
    """How to get a voice for your language on a phone."""
    return render("guides/read_aloud_help.html")


# --- commands -------------------------------------------------------------------------------

content_cli = AppGroup("content", help="Check and index the guides in content/.")


@content_cli.command("check")
def check_command() -> None:
    """Validate every guide and glossary; print coverage per language."""
    lib = library()
    errors = check_library(lib)
    click.echo(
        f"{'lang':<5} {'guides':>6} {'draft':>6} {'reviewed':>8} {'glossary':>8} {'outdated':>8}"
    )
    for row in coverage(lib):
        click.echo(
            f"{row['lang'].code:<5} {row['guides']:>6} {row['draft']:>6} {row['reviewed']:>8} "
            f"{row['glossary']:>8} {'-' if row['source'] else row['outdated']:>8}"
        )
    files = len(lib.guides)
    click.echo(f"{files} guide files, {len(lib.glossaries)} glossaries.")
    for error in errors:
        click.echo(f"ERROR {error}", err=True)
    if errors:
        raise SystemExit(f"content check failed: {len(errors)} error(s)")
    click.echo("content check passed.")


@content_cli.command("record")
@click.option("--lang", "langs", multiple=True, help="Also record translations of this language.")
@click.option(
    "--section",
    "sections",
    multiple=True,
    metavar="SLUG#ID",
    help="Only this section (repeatable), whether or not its text changed.",
)
@click.option(
    "--all-sections",
    is_flag=True,
    help="Every section of the language(s): the one-time start of the record.",
)
def record_command(langs: tuple[str, ...], sections: tuple[str, ...], all_sections: bool) -> None:
    """Record the Danish fingerprints; with --lang, what a translation was made from.

    Danish: a section whose text is new gets today's date (the date readers see in the notice).
    A translation: the sections edited since they were last recorded now count as made from
    today's Danish text (or only --section, or every section with --all-sections).
    """
    lib = library()
    root = Path(current_app.config["CONTENT_DIR"])
    for lang in langs:
        if lang not in BY_CODE or lang == "da":
            raise click.BadParameter(f"{lang!r} is not a translation language", param_hint="--lang")
    if sections and not langs:
        raise click.UsageError("--section needs --lang: which translation was brought up to date?")
    parts = {
        f"{slug}#{part}" for (_lang, slug), states in lib.tracking.states.items() for part in states
    }
    unknown = sorted(set(sections) - parts)
    if unknown:
        raise click.BadParameter(f"no such section: {', '.join(unknown)}", param_hint="--section")
    for key in record_danish(lib, root, clock.today()):
        click.echo(f"da  {key}: Danish text recorded as changed today")
    for lang in langs:
        only = set(sections) if sections else None
        for key in record_translation(lib, root, lang, every=all_sections, only=only):
            click.echo(f"{lang:<3} {key}: recorded as translated from today's Danish text")


@content_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status_command(as_json: bool) -> None:
    """Per language and guide: sections current, outdated, missing; draft or reviewed; screen texts."""
    report = translation_status(library())
    screens = citizen_screen_texts(
        Path(current_app.root_path).parent,
        Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"]),
    )
    for lang, guides in report.items():
        guides[SCREEN_TEXTS] = screens[BY_CODE[lang].locale]
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    click.echo(f"{'lang':<5}{'guide':<28}{'status':<9}{'current':>8}{'outdated':>9}{'missing':>8}")
    for lang, guides in report.items():
        for slug, row in guides.items():
            if slug == SCREEN_TEXTS:
                continue
            click.echo(
                f"{lang:<5}{slug:<28}{row['status']:<9}{row['current']:>8}"
                f"{len(row['outdated']):>9}{len(row['missing']):>8}"
                + (f"  outdated: {', '.join(row['outdated'])}" if row["outdated"] else "")
            )
        ui = guides[SCREEN_TEXTS]
        click.echo(
            f"{lang:<5}{'screen texts (citizen)':<28}{'':<9}{ui['translated']:>8}"
            f"{ui['fuzzy']:>9}{ui['untranslated']:>8}  (translated / fuzzy / untranslated of "
            f"{ui['total']})"
        )


@content_cli.command("export")
@click.option("--lang", required=True, help="The translation language (URL prefix: so, ar, prs…).")
@click.option(
    "--only",
    type=click.Choice(["all", "outdated"]),
    default="all",
    show_default=True,
    help="Every section, or only those whose Danish text changed after translation.",
)
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def export_command(lang: str, only: str, output: str) -> None:
    """Write a PO file (XLIFF 1.2 when OUTPUT ends in .xlf or .xliff) for translators: Danish
    source, current translation, outdated ones marked fuzzy (XLIFF: needs-review-translation)."""
    if lang not in BY_CODE or lang == "da":
        raise click.BadParameter(f"{lang!r} is not a translation language", param_hint="--lang")
    write = export_xliff if output.endswith((".xlf", ".xliff")) else export_po
    data = write(library(), lang, only_outdated=only == "outdated")
    Path(output).write_bytes(data)
    click.echo(f"{output}: written for {BY_CODE[lang].name}.")


@content_cli.command("import")
@click.argument("lang")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--reviewer", help="The qualified translator who checked the file (with --reviewed-on)."
)
@click.option(
    "--reviewed-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day they checked it, YYYY-MM-DD (with --reviewer).",
)
def import_command(lang: str, source: str, reviewer: str | None, reviewed_on) -> None:
    """Write the translations of a PO or XLIFF file back into content/<lang>/; all or nothing.

    Guides that the file translates completely become "reviewed" when --reviewer and
    --reviewed-on are given; changed text without them makes a reviewed guide a draft again.
    """
    if lang not in BY_CODE or lang == "da":
        raise click.BadParameter(f"{lang!r} is not a translation language", param_hint="LANG")
    try:
        result = import_file(
            library(),
            lang,
            Path(source).read_bytes(),
            reviewer=reviewer.strip() if reviewer else None,
            reviewed_on=reviewed_on.date() if reviewed_on else None,
        )
    except ImportRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    for path in result.changed_files:
        click.echo(f"wrote {path.parent.name}/{path.name}")
    for key in result.recorded:
        click.echo(f"{key}: recorded as translated from today's Danish text")
    for slug in result.reviewed:
        click.echo(f"{slug}: reviewed by {reviewer} on {reviewed_on.date().isoformat()}")
    for slug in result.incomplete:
        click.echo(
            f"{slug}: not marked reviewed: the file lacks some of its parts, or some are fuzzy"
        )
    if not (result.changed_files or result.recorded or result.reviewed):
        click.echo("Nothing changed.")


@content_cli.command("index")
def index_command() -> None:
    """Rebuild the search index from content/."""
    db = connect(current_app.config["DATABASE"])
    try:
        search_index.rebuild_index(db, library(), force=True)
    finally:
        db.close()
    click.echo("Search index rebuilt.")


def _url_builder(app: Flask):
    adapter = app.url_map.bind("localhost")

    def build_url(endpoint: str, lang: str, anchor: str | None = None, **values) -> str:
        url = adapter.build(endpoint, {"lang": lang, **values})
        return f"{url}#{anchor}" if anchor else url

    return build_url


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(content_cli)
    lib = load_library(app.config["CONTENT_DIR"], _url_builder(app))
    app.extensions["bro_library"] = lib
    db = connect(app.config["DATABASE"])
    try:
        search_index.rebuild_index(db, lib)
    finally:
        db.close()
