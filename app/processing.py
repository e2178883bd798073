"""The record of processing activities (GDPR article 30(1)) for the data protection officer.

Generated, never typed: the controller and DPO come from configuration, the tables from the
registry of what each table holds (`records.CITIZEN_DATA` and `NOT_CITIZEN_DATA`), and the
retention periods from the rules the deletion job applies (`retention.RULES`). Every table of the
registry must belong to an activity below; a test fails when a new table has none.

`flask --app app privacy records` prints it as Markdown (`--csv` for a spreadsheet, one row per
table; `--output FILE` writes it to a file); `retention report` is the same Markdown under its
first name. What Bro cannot know (the national law
behind each task, where the server stands, the security measures around it) is marked "to be
confirmed" for the municipality's data protection officer to fill in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import click
from flask import Flask
from flask.cli import AppGroup

from . import clock, records, retention
from .privacy import controller
from .retention import retention_cli


@dataclass(frozen=True)
class Activity:
    name: str
    purpose: str
    legal_basis: str
    subjects: str
    tables: tuple[str, ...]
    recipients: str


TO_CONFIRM = "to be confirmed by the data protection officer"
PUBLIC_TASK = (
    "GDPR art. 6(1)(e), a task carried out in the public interest by the municipality; "
    f"the national legal basis for each task is {TO_CONFIRM}"
)

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "Citizens' overview of their own case",
        "Show a citizen their one caseworker, meetings, decisions and appeal deadlines in their "
        "language; let them ask for an explanation of a decision, and for a caseworker's Danish "
        "words in their language (a person translates them).",
        PUBLIC_TASK,
        "Citizens (newcomers) with an account made by a caseworker",
        (
            "users",
            "citizens",
            "assignments",
            "meetings",
            "meeting_purposes",
            "meeting_agreements",
            "checklist_ticks",
            "decisions",
            "explanation_requests",
            "translation_requests",
        ),
        "The citizen's caseworker, a stand-in while the caseworker is away, the coordinator; "
        "helpers the citizen invited, only what the citizen chose and until the chosen date",
    ),
    Activity(
        "Interpreter requests and bookings",
        "Let a citizen or their helper ask for a professional interpreter; let staff book one "
        "from the register of certified interpreters.",
        PUBLIC_TASK,
        "Citizens; interpreters in the register",
        ("interpreter_requests", "interpreter_request_events", "interpreters"),
        "The citizen's caseworker, stand-in and coordinator; the citizen and their helpers see "
        "the status and the booked interpreter's name",
    ),
    Activity(
        "Helpers acting with the citizen's consent",
        "Let a citizen invite a volunteer or adult family member to see chosen parts of their "
        "pages or ask for an interpreter; every use is logged.",
        "The citizen's own choice to invite (GDPR art. 6(1)(a) for the sharing; "
        f"{TO_CONFIRM}); the helper's own account: {PUBLIC_TASK}",
        "Citizens; helpers",
        ("helpers",),
        "The citizen; the citizen's caseworker, stand-in and coordinator",
    ),
    Activity(
        "Sign-in, account security and the audit log",
        "Let people sign in safely (activation letters, passwords, passkeys, trusted devices, "
        "rate limits) and log every staff read of a citizen's record and every helper access.",
        f"GDPR art. 6(1)(e) with art. 32 (security of processing); {TO_CONFIRM}",
        "Citizens, helpers, staff",
        (
            "activation_codes",
            "pending_letters",
            "passkeys",
            "known_devices",
            "login_failures",
            "audit_log",
        ),
        "The person themselves (data download); the coordinator (audit log, locked sign-ins)",
    ),
    Activity(
        "Evaluation in the citizen's own voice",
        "Count answers after meetings and the quarterly check-ins without names so the "
        "municipality can see what works, and publish the counts; the free text helps the "
        "caseworker. The caseworker's own view of the same quarter sits beside the check-in.",
        PUBLIC_TASK,
        "Citizens who answer; caseworkers; anonymous visitors (guide votes, language requests)",
        (
            "meeting_feedback",
            "checkins",
            "caseworker_views",
            "evaluation_changes",
            "guide_feedback",
            "language_requests",
        ),
        "The caseworker of the meeting or the citizen (the answers and free text), the "
        "coordinator; the citizen (the caseworker's view, when shared); everyone (the public "
        "report: counts only, groups of fewer than 5 suppressed, and what the municipality "
        "changed); the coordinator (language requests)",
    ),
    Activity(
        "Reports of accessibility problems",
        "Let anyone, signed in or not, tell the municipality that a part of Bro does not work for "
        "them, so it can help them in another way and fix it (the web accessibility law asks for "
        "a way to give feedback).",
        "GDPR art. 6(1)(c) and (e): lov om tilgængelighed af offentlige organers websteder og "
        f"mobilapplikationer; {TO_CONFIRM}",
        "Anonymous visitors who report a problem (a phone number or e-mail only if they give one)",
        ("accessibility_reports",),
        "The coordinator",
    ),
    Activity(
        "Staff accounts",
        "Let caseworkers and the coordinator work in Bro and show citizens how to reach their "
        "caseworker.",
        f"GDPR art. 6(1)(e) and art. 88 / employment; {TO_CONFIRM}",
        "Caseworkers and coordinators",
        ("staff_profiles",),
        "Other staff; the citizens in the caseworker's caseload (name, work phone, e-mail, hours)",
    ),
)
# Tables that hold nothing about a person, so belong to no activity.
NOT_PERSONAL = ("content_meta", "search_index", "report_figures")


def _retention_by_table() -> dict[str, str]:
    """Per table, the retention rule that deletes or anonymises its rows, as words (each rule
    names its own tables in `retention.RULES`)."""
    by_table: dict[str, str] = {}
    for rule in retention.RULES:
        period = retention.period(rule)
        if period.keeps:
            text = f"{rule.name}: kept; RETENTION_{rule.name.upper()} = never ({TO_CONFIRM})"
        else:
            text = f"{rule.name}: {rule.action} after {period}"
        for table in rule.tables:
            by_table.setdefault(table, text)
    return by_table


def record() -> dict:
    """The record of processing as data: controller, activities, and a table index."""
    by_table = _retention_by_table()
    until_erased = "kept while the account exists; deleted when the coordinator erases the person"
    by_table |= {
        "interpreters": "kept while the interpreter is in the register; the coordinator removes "
        f"them (no automatic period; {TO_CONFIRM})",
        "staff_profiles": "kept while the staff account exists; no automatic period after a "
        f"staff member leaves ({TO_CONFIRM})",
        "guide_feedback": "anonymous, kept",
        "evaluation_changes": "published; kept while the report shows it (the coordinator "
        "removes a note)",
    }
    activities = []
    for activity in ACTIVITIES:
        categories = []
        for table in activity.tables:
            what = (
                records.CITIZEN_DATA[table][0]
                if table in records.CITIZEN_DATA
                else records.NOT_CITIZEN_DATA[table]
            )
            categories.append(
                {"table": table, "what": what, "retention": by_table.get(table, until_erased)}
            )
        activities.append({"activity": activity, "categories": categories})
    return {
        "controller": controller(),
        "prepared": clock.today().isoformat(),
        "activities": activities,
    }


def markdown() -> str:
    """The record as Markdown, for the data protection officer."""
    data = record()
    c = data["controller"]
    lines = [
        "# Record of processing activities: Bro (GDPR art. 30(1))",
        "",
        f"Generated {data['prepared']} from Bro's configuration and code.",
    ]
    if c["placeholder"]:
        lines += ["", "**The controller's details below are examples: set CONTROLLER_* first.**"]
    lines += [
        "",
        f"- Controller: {c['controller_name']}, {c['controller_address']}, {c['controller_contact']}",
        f"- Data protection officer: {c['dpo_contact']}",
        "- Transfers to third countries: none by Bro itself; hosting and any processor "
        f"agreement: {TO_CONFIRM}",
        "- Security measures (art. 32), in Bro: passwords hashed with Argon2, single-use codes "
        "stored as hashes, HTTPS-only secure cookies, rate-limited sign-in, a strict "
        "Content-Security-Policy, every staff read of a citizen and every helper access in an "
        "append-only audit log under a pseudonymous audit number, SQLite secure_delete; "
        f"around Bro (server, backups, access to them): {TO_CONFIRM}",
        "- Not collected: CPR numbers, health details. Cookies: only necessary ones, listed on "
        "/<lang>/about/privacy with the retention periods below",
    ]
    for number, item in enumerate(data["activities"], start=1):
        a = item["activity"]
        lines += [
            "",
            f"## {number}. {a.name}",
            "",
            f"- Purpose: {a.purpose}",
            f"- Legal basis: {a.legal_basis}",
            f"- Data subjects: {a.subjects}",
            f"- Recipients: {a.recipients}",
            "",
            "| table | holds | retention |",
            "|---|---|---|",
        ]
        lines += [
            f"| {cat['table']} | {cat['what']} | {cat['retention']} |" for cat in item["categories"]
        ]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "activity",
    "purpose",
    "legal_basis",
    "data_subjects",
    "recipients",
    "table",
    "holds",
    "retention",
)


def rows() -> list[dict[str, str]]:
    """The record as one row per table (a table in two activities has two rows)."""
    return [
        {
            "activity": item["activity"].name,
            "purpose": item["activity"].purpose,
            "legal_basis": item["activity"].legal_basis,
            "data_subjects": item["activity"].subjects,
            "recipients": item["activity"].recipients,
            "table": cat["table"],
            "holds": str(cat["what"]),
            "retention": cat["retention"],
        }
        for item in record()["activities"]
        for cat in item["categories"]
    ]


def csv_text() -> str:
    """The record as CSV (UTF-8, a header row, one row per table), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return out.getvalue()


def tables_in_record() -> set[str]:
    """Every table the record of processing names."""
    return {table for activity in ACTIVITIES for table in activity.tables}


def _write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text, nl=False)


privacy_cli = AppGroup("privacy", help="Documents for the data protection officer.")


@privacy_cli.command("records")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per table, instead of Markdown.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
def records_command(as_csv: bool, output: str | None) -> None:
    """The record of processing activities (GDPR art. 30): each table with personal data, its
    purpose, categories of data and people, who can see it, and its retention."""
    _write(csv_text() if as_csv else markdown(), output)


@retention_cli.command("report")
def report_command() -> None:
    """The record of processing activities as Markdown (the same as `privacy records`)."""
    click.echo(markdown(), nl=False)


def init_app(app: Flask) -> None:
    app.cli.add_command(privacy_cli)
