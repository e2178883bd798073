"""The translator round trip: export to PO, translate in any tool, import into the Markdown."""

import difflib
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from tests.test_tracking import (
    DANISH_ADDITION,
    add_to_section,
    copy_content,
    make_app,
    run,
    section_html,
)

CONTEXT = "decisions-and-appeals#deadline:2"  # "Din klagefrist er 4 uger. … § 67)."


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def export(app, tmp_path: Path, lang: str = "so", *options: str):
    target = tmp_path / f"{lang}-{len(list(tmp_path.glob('*.po')))}.po"
    result = run(app, "export", "--lang", lang, *options, str(target))
    assert result.exit_code == 0, result.output
    with target.open("rb") as handle:
        return read_po(handle)


def save(catalog, tmp_path: Path, name: str = "back.po") -> Path:
    path = tmp_path / name
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_content(tmp_path)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_unchanged_round_trip_is_byte_identical(content, tmp_path):
    before = tree(content)
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    entry = catalog.get("Fristen er 4 uger", context="decisions-and-appeals#deadline:1")
    assert entry.string.strip() and not entry.fuzzy
    assert "heading in decisions-and-appeals, section deadline" in entry.auto_comments
    result = run(app, "import", "so", str(save(catalog, tmp_path)))
    assert result.exit_code == 0, result.output
    assert "Nothing changed." in result.output
    assert tree(content) == before


def test_import_changes_only_that_paragraph_and_clears_the_notice(content, tmp_path):
    add_to_section(content / "da" / "decisions-and-appeals.md", "deadline", DANISH_ADDITION)
    app = make_app(tmp_path, content)
    assert run(app, "record").exit_code == 0
    app = make_app(tmp_path, content)
    page = app.test_client().get("/so/guides/decisions-and-appeals").get_data(as_text=True)
    assert 'class="notice outdated"' in section_html(page, "deadline")

    catalog = export(app, tmp_path, "so", "--only", "outdated")
    contexts = [m.context for m in catalog if m.id]
    assert contexts and all(c.startswith("decisions-and-appeals#deadline:") for c in contexts)
    assert all(m.fuzzy for m in catalog if m.id)
    entry = catalog.get(next(m.id for m in catalog if m.context == CONTEXT), context=CONTEXT)
    assert DANISH_ADDITION in entry.id
    new_text = entry.string + " Qor taariikhda marka aad hesho warqadda."
    entry.string = new_text
    for message in catalog:
        message.flags.discard("fuzzy")  # the translator checked every entry of the section

    somali = content / "so" / "decisions-and-appeals.md"
    before_text = somali.read_text(encoding="utf-8")
    before_tree = tree(content)
    result = run(app, "import", "so", str(save(catalog, tmp_path)))
    assert result.exit_code == 0, result.output
    after_text = somali.read_text(encoding="utf-8")
    diff = changed_lines(before_text, after_text)
    assert len(diff) == 2 and diff[1] == "+" + new_text, diff
    changed = {k for k in tree(content) if tree(content)[k] != before_tree.get(k)}
    assert changed == {"so/decisions-and-appeals.md", "so/translated-from.json"}
    record = json.loads((content / "so" / "translated-from.json").read_text())
    danish = json.loads((content / "da" / "changes.json").read_text())
    assert (
        record["decisions-and-appeals"]["deadline"]["from"]
        == danish["decisions-and-appeals"]["deadline"]["fingerprint"]
    )

    app = make_app(tmp_path, content)
    page = app.test_client().get("/so/guides/decisions-and-appeals").get_data(as_text=True)
    assert "notice outdated" not in page
    assert "Qor taariikhda marka aad hesho warqadda." in section_html(page, "deadline")
    report = json.loads(run(app, "status", "--json").output)
    assert report["so"]["decisions-and-appeals"]["outdated"] == []
    assert report["ar"]["decisions-and-appeals"]["outdated"] == ["deadline"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda s: s.replace("4", "3"), "lost the number(s) 4"),
        (lambda s: s.replace("§ 67", "67"), "lost the reference(s) § 67"),
        (lambda s: s.replace("**klagefrist**", "klagefrist"), "lost the bold Danish term(s)"),
    ],
)
def test_an_entry_that_loses_a_fact_is_refused_and_nothing_is_written(
    content, tmp_path, damage, message
):
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    entry = next(m for m in catalog if m.context == CONTEXT)
    entry.string = damage(entry.string) + " Ku dar."
    before = tree(content)
    result = run(app, "import", "so", str(save(catalog, tmp_path)))
    assert result.exit_code != 0
    assert "The file was refused; nothing was written." in result.output
    assert f"{CONTEXT}: {message}" in result.output
    assert tree(content) == before


def test_an_entry_that_loses_a_link_is_refused(content, tmp_path):
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    entry = next(m for m in catalog if "(access-to-your-file#deadline)" in m.string)
    entry.string = entry.string.replace("(access-to-your-file#deadline)", "(access-to-your-file)")
    before = tree(content)
    result = run(app, "import", "so", str(save(catalog, tmp_path)))
    assert result.exit_code != 0
    assert "links differ from the Danish" in result.output
    assert tree(content) == before


def test_an_entry_that_breaks_the_structure_is_refused(content, tmp_path):
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    entry = next(m for m in catalog if m.context == CONTEXT)
    entry.string += "\n\n## Cinwaan cusub {#new}"
    before = tree(content)
    result = run(app, "import", "so", str(save(catalog, tmp_path)))
    assert result.exit_code != 0
    assert "would change the file's structure" in result.output
    assert tree(content) == before


def test_a_file_for_another_language_is_refused(content, tmp_path):
    app = make_app(tmp_path, content)
    arabic = tmp_path / "ar.po"
    assert run(app, "export", "--lang", "ar", str(arabic)).exit_code == 0
    before = tree(content)
    result = run(app, "import", "so", str(arabic))
    assert result.exit_code != 0
    assert "This file is for the language 'ar', not 'so' (Somali). Nothing was written." in (
        result.output
    )
    assert tree(content) == before


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe not text at all \x00\x01", "The file is damaged: it is not UTF-8 text"),
        (
            b'msgid "Fristen er 4 uger"\nmsgstr "unterminated\n',
            "The file is damaged: line 2 is not a complete PO line",
        ),
        (b"just some words\nthat are not a PO file\n", "The file is damaged: line 1"),
        (
            b'msgid "Fristen er 4 uger"\nmsgstr "Muddada waa 4 toddobaad"\n',
            "The file does not say which language it is for",
        ),
    ],
    ids=["empty", "binary", "broken-quote", "not-po", "no-language"],
)
def test_a_damaged_file_is_refused_with_a_clear_message(content, tmp_path, damaged, message):
    app = make_app(tmp_path, content)
    path = tmp_path / "damaged.po"
    path.write_bytes(damaged)
    before = tree(content)
    result = run(app, "import", "so", str(path))
    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was written." in result.output
    assert tree(content) == before


def test_a_file_cut_off_in_transit_is_refused(content, tmp_path):
    app = make_app(tmp_path, content)
    target = tmp_path / "so.po"
    run(app, "export", "--lang", "so", str(target))
    data = target.read_bytes()
    cut = data.index(b"msgstr", len(data) // 2) + 30  # in the middle of a translation
    target.write_bytes(data[:cut])
    before = tree(content)
    result = run(app, "import", "so", str(target))
    assert result.exit_code != 0
    assert "it may have been cut off. Nothing was written." in result.output
    assert tree(content) == before


def test_review_through_import_marks_the_guide_reviewed(content, tmp_path):
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    back = save(catalog, tmp_path)
    half = run(app, "import", "so", str(back), "--reviewer", "Amina Translator")
    assert half.exit_code != 0 and "both the reviewer's name and the date" in half.output
    result = run(
        app,
        "import",
        "so",
        str(back),
        "--reviewer",
        "Amina Translator",
        "--reviewed-on",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.output
    assert "your-caseworker: reviewed by Amina Translator on 2026-12-01" in result.output
    text = (content / "so" / "your-caseworker.md").read_text()
    assert "status: reviewed\n" in text and "reviewed_on: 2026-12-01\n" in text
    assert 'reviewed_by: "Amina Translator"\n' in text

    app = make_app(tmp_path, content)
    assert run(app, "check").exit_code == 0
    page = app.test_client().get("/en/guides/your-caseworker").get_data(as_text=True)
    assert "draft" in page  # English was not part of the review
    page = app.test_client().get("/so/guides/your-caseworker").get_data(as_text=True)
    assert 'class="status reviewed"' in page and 'class="notice draft"' not in page

    # A reviewed translation whose Danish then changes shows the outdated notice.
    add_to_section(content / "da" / "your-caseworker.md", "reach", DANISH_ADDITION)
    app = make_app(tmp_path, content)
    page = app.test_client().get("/so/guides/your-caseworker").get_data(as_text=True)
    assert 'class="status reviewed"' in page
    assert 'class="notice outdated"' in section_html(page, "reach")
    assert page.count('class="notice outdated"') == 1


def test_xliff_round_trip(content, tmp_path):
    before = tree(content)
    app = make_app(tmp_path, content)
    xliff = tmp_path / "so.xlf"
    assert run(app, "export", "--lang", "so", str(xliff)).exit_code == 0
    data = xliff.read_text(encoding="utf-8")
    assert 'source-language="da"' in data and 'target-language="so"' in data
    assert 'id="decisions-and-appeals#deadline:1"' in data
    result = run(app, "import", "so", str(xliff))
    assert result.exit_code == 0 and "Nothing changed." in result.output, result.output
    assert tree(content) == before

    # One translation changed in the tool, marked translated: only that paragraph changes.
    old = re.search(
        r'id="decisions-and-appeals#deadline:2".*?<target state="translated">(.*?)</target>',
        data,
        re.S,
    )
    new = old.group(1) + " Qor taariikhda."
    xliff.write_text(data[: old.start(1)] + new + data[old.end(1) :], encoding="utf-8")
    somali = content / "so" / "decisions-and-appeals.md"
    text = somali.read_text(encoding="utf-8")
    result = run(app, "import", "so", str(xliff))
    assert result.exit_code == 0, result.output
    diff = changed_lines(text, somali.read_text(encoding="utf-8"))
    assert len(diff) == 2 and diff[1].endswith("Qor taariikhda."), diff

    # The wrong language and a damaged file are refused.
    xliff.write_text(data.replace('target-language="so"', 'target-language="ar"'))
    assert "This file is for the language 'ar'" in run(app, "import", "so", str(xliff)).output
    xliff.write_text(data[: len(data) // 2])
    result = run(app, "import", "so", str(xliff))
    assert result.exit_code != 0 and "not well-formed XLIFF" in result.output


def test_a_review_of_part_of_a_guide_does_not_mark_it_reviewed(content, tmp_path):
    app = make_app(tmp_path, content)
    catalog = export(app, tmp_path)
    for message in catalog:
        if message.context and message.context.startswith("your-caseworker#away:"):
            message.flags.add("fuzzy")  # the reviewer did not get to this section
    before = (content / "so" / "your-caseworker.md").read_text()
    result = run(
        app,
        "import",
        "so",
        str(save(catalog, tmp_path)),
        "--reviewer",
        "Amina Translator",
        "--reviewed-on",
        "2026-12-01",
    )
    assert result.exit_code == 0, result.output
    assert "your-caseworker: not marked reviewed" in result.output
    assert (content / "so" / "your-caseworker.md").read_text() == before
    assert "status: reviewed" in (content / "so" / "bring-a-companion.md").read_text()
