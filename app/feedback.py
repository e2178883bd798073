"""Evaluation in the citizen's own voice: after-meeting answers, "was this guide helpful?",
the caseworker's view of answers on their own meetings, and the coordinator's anonymous report.

The report never shows a group of fewer than 5 answers: such a cell says "fewer than 5", and the
totals leave those groups out, so no one can be singled out, not even by subtraction.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

from flask import Blueprint, Flask, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from . import caseload, records
from .access import citizen_page, coordinator_only, own_only, staff_only
from .content import GUIDES, library
from .db import audit, get_db, immediate, query_one
from .forms import options
from .me import guide_for, route
from .pages import render
from .security import csrf, limiter
from .staff import bp as staff_bp

bp = Blueprint("feedback", __name__)
EDIT_DAYS = 14
MIN_GROUP = 5
SCALE = {3: _l("Yes"), 2: _l("Partly"), 1: _l("No")}
INTERPRETING = {
    "good": _l("Yes, it was good"),
    "partly": _l("Partly"),
    "poor": _l("No, it was poor"),
    "none": _l("There was no interpreter"),
    "family": _l("A family member interpreted"),
}
QUESTIONS = {
    "understood": _l("Did you understand what was decided?"),
    "interpreting": _l("Was the interpreting good?"),
    "next_known": _l("Do you know what happens next?"),
}


# --- queries --------------------------------------------------------------------------------


def get_answer(meeting_id: int) -> dict | None:
    return query_one("SELECT * FROM meeting_feedback WHERE meeting_id = ?", [meeting_id])


def editable(answer: dict | None) -> bool:
    if answer is None:
        return True
    created = datetime.datetime.fromisoformat(answer["created_at"].replace("Z", "+00:00"))
    return datetime.datetime.now(datetime.UTC) - created <= datetime.timedelta(days=EDIT_DAYS)


def save_answer(meeting_id: int, answered_by: int, values: dict) -> None:
    """One answer per meeting: the first creates it, later ones (within 14 days) change it."""
    db = get_db()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with immediate(db):
        db.execute(
            "INSERT INTO meeting_feedback (meeting_id, answered_by, understood, interpreting, "
            "next_known, free_text, free_text_lang) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (meeting_id) DO UPDATE SET understood = excluded.understood, "
            "interpreting = excluded.interpreting, next_known = excluded.next_known, "
            "free_text = excluded.free_text, free_text_lang = excluded.free_text_lang, updated_at = ?",
            [
                meeting_id,
                answered_by,
                values["understood"],
                values["interpreting"],
                values["next_known"],
                values["free_text"],
                values["free_text_lang"],
                now,
            ],
        )


def awaiting_answer(citizen_id: int) -> list[dict]:
    """Past meetings (not cancelled) without an answer yet, latest first."""
    return [
        m
        for m in records.list_meetings_for(citizen_id)["past"]
        if m["status"] == "scheduled" and get_answer(m["id"]) is None
    ]


def answers_for_staff(staff: dict) -> list[dict]:
    """Answers this staff member must read: on meetings they held, and on meetings of citizens
    they are responsible for now (their own, and those of a colleague they stand in for).
    The coordinator reads every answer that signals a family member interpreted."""
    covered = caseload.covered_caseworkers(staff["id"])
    marks = ", ".join("?" * len(covered))
    everyone_family = "OR f.interpreting = 'family'" if staff["role"] == "coordinator" else ""
    rows = get_db().query(
        "SELECT f.*, m.kind, m.starts_at, u.name AS citizen_name, u.id AS citizen_id, "
        "f.interpreting = 'family' AS safety_signal FROM meeting_feedback f "
        "JOIN meetings m ON m.id = f.meeting_id JOIN users u ON u.id = m.citizen_id "
        "LEFT JOIN assignments a ON a.citizen_id = m.citizen_id AND a.valid_to IS NULL "
        f"WHERE m.caseworker_id = ? OR a.caseworker_id IN ({marks}) {everyone_family} "
        "ORDER BY m.starts_at DESC",
        [staff["id"], *covered],
    )
    return list(rows)


def family_signals(month: str | None = None) -> int:
    """How many answers say a family member interpreted: a safety signal to follow up, so it is
    counted whole, small groups included (it is never part of the anonymous tables)."""
    where, params = "", []
    if month:
        where, params = "AND substr(m.starts_at, 1, 7) = ?", [month]
    row = query_one(
        "SELECT count(*) AS n FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
        f"WHERE f.interpreting = 'family' {where}",
        params,
    )
    return row["n"]


def save_guide_feedback(lang: str, slug: str, helpful: bool, missing: str) -> None:
    get_db().execute(
        "INSERT INTO guide_feedback (lang, slug, helpful, missing) VALUES (?, ?, ?, ?)",
        [lang, slug, 1 if helpful else 0, missing.strip()],
    )


# --- the report -----------------------------------------------------------------------------


def _cell(count: int, total: int) -> dict:
    """A count and its share, or suppressed when the group is under 5."""
    if total < MIN_GROUP:
        return {"suppressed": True, "count": None, "share": None}
    return {"suppressed": False, "count": count, "share": round(100 * count / total)}


def report(month: str | None = None) -> dict:
    """Per month, per meeting kind, per language group: counts and shares for each answer."""
    where, params = "", []
    if month:
        where = "WHERE substr(m.starts_at, 1, 7) = ?"
        params.append(month)
    rows = list(
        get_db().query(
            "SELECT substr(m.starts_at, 1, 7) AS month, m.kind, u.lang, f.understood, f.interpreting, "
            "f.next_known FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id "
            f"JOIN users u ON u.id = m.citizen_id {where}",
            params,
        )
    )
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["month"], row["kind"], row["lang"])].append(row)
    table = []
    for (group_month, kind, lang), answers in sorted(groups.items()):
        total = len(answers)
        table.append(
            {
                "month": group_month,
                "kind": kind,
                "lang": lang,
                "total": total,
                "suppressed": total < MIN_GROUP,
                "understood": {
                    v: _cell(sum(a["understood"] == v for a in answers), total) for v in SCALE
                },
                "interpreting": {
                    v: _cell(sum(a["interpreting"] == v for a in answers), total)
                    for v in INTERPRETING
                },
                "next_known": {
                    v: _cell(sum(a["next_known"] == v for a in answers), total) for v in SCALE
                },
            }
        )
    # Totals count only the groups that are shown. Counting the hidden ones too would let anyone
    # subtract the shown groups from the total and read a lone person's answer.
    shown = [
        a for (_m, _k, _l), answers in groups.items() if len(answers) >= MIN_GROUP for a in answers
    ]
    total = len(shown)
    family = sum(r["interpreting"] == "family" for r in shown)
    guides = list(
        get_db().query(
            "SELECT slug, lang, count(*) AS answers, sum(helpful) AS helpful FROM guide_feedback "
            "GROUP BY slug, lang ORDER BY slug, lang"
        )
    )
    for guide in guides:
        guide.update(_cell(guide["helpful"], guide["answers"]))
    return {
        "groups": table,
        "total": total,
        "left_out": len(rows) - total,
        "family": _cell(family, total),
        "guides": guides,
        "months": sorted({r["month"] for r in rows}, reverse=True),
    }


def bar_chart(values: list[tuple[str, int | None]], label: str) -> Markup:
    """A horizontal bar chart of shares (0–100) as inline SVG; None draws no bar."""
    height = 28 * len(values) + 8
    parts = [
        f'<svg class="chart" role="img" aria-label="{Markup.escape(label)}" viewBox="0 0 320 {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">'
    ]
    for index, (name, share) in enumerate(values):
        y = 4 + 28 * index
        width = 0 if share is None else round(1.8 * share)
        parts.append(
            f'<text x="0" y="{y + 17}" font-size="12" fill="#1b1b1b">{Markup.escape(name)[:22]}</text>'
            f'<rect x="130" y="{y + 4}" width="{width}" height="18" fill="#0b5a55"/>'
            f'<text x="{136 + width}" y="{y + 17}" font-size="12" fill="#1b1b1b">'
            f"{'–' if share is None else str(share) + ' %'}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def group_chart(group: dict, question: str) -> Markup:
    """The chart of one question for one report group."""
    options = INTERPRETING if question == "interpreting" else SCALE
    values = [(str(label), group[question][value]["share"]) for value, label in options.items()]
    return bar_chart(values, str(QUESTIONS[question]))


# --- citizen ----------------------------------------------------------------------------------


class AnswerForm(FlaskForm):
    understood = RadioField(
        QUESTIONS["understood"],
        choices=options([(str(k), v) for k, v in SCALE.items()]),
        validators=[InputRequired(message=_l("Choose an answer"))],
    )
    interpreting = RadioField(
        QUESTIONS["interpreting"],
        choices=options(INTERPRETING.items()),
        validators=[InputRequired(message=_l("Choose an answer"))],
    )
    next_known = RadioField(
        QUESTIONS["next_known"],
        choices=options([(str(k), v) for k, v in SCALE.items()]),
        validators=[InputRequired(message=_l("Choose an answer"))],
    )
    free_text = TextAreaField(
        _l("Anything else? Write in any language (optional)"),
        validators=[Length(max=2000, message=_l("Write at most 2000 characters"))],
    )


@route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@citizen_page
def feedback_form(citizen: dict, meeting_id: int):
    """Three questions after a meeting; one answer per meeting, editable for 14 days.

    Only the citizen answers: the answer is their own voice, private from their helpers, and
    the caseworker reads it as the citizen's.
    """
    own_only()
    meeting = records.get_meeting(citizen["id"], meeting_id)
    if not meeting or meeting["status"] != "scheduled" or meeting["ends"] > records.now_local():
        abort(404)
    existing = get_answer(meeting_id)
    if not editable(existing):
        return render(
            "feedback/closed.html",
            citizen=citizen,
            meeting=meeting,
            guide=guide_for(meeting["kind"]),
        )
    form = AnswerForm()
    if request.method == "GET" and existing:
        form.understood.data = str(existing["understood"])
        form.interpreting.data = existing["interpreting"]
        form.next_known.data = str(existing["next_known"])
        form.free_text.data = existing["free_text"]
    if form.validate_on_submit():
        save_answer(
            meeting_id,
            current_user.id,
            {
                "understood": int(form.understood.data),
                "interpreting": form.interpreting.data,
                "next_known": int(form.next_known.data),
                "free_text": (form.free_text.data or "").strip(),
                "free_text_lang": g.lang,
            },
        )
        audit(current_user.id, "answered-feedback", citizen["id"])
        flash(_l("Thank you. Your answer helps the municipality do better."))
        return redirect(url_for("me.meeting", meeting_id=meeting_id), 303)
    return render(
        "feedback/answer.html",
        status=422 if form.errors else 200,
        citizen=citizen,
        meeting=meeting,
        guide=guide_for(meeting["kind"]),
        form=form,
        existing=existing,
    )


class GuideFeedbackForm(FlaskForm):
    class Meta:
        csrf = False  # anonymous and cacheable page: no session, so no CSRF token (see below)

    helpful = RadioField(
        choices=options([("yes", _l("Yes")), ("no", _l("No"))]), validators=[InputRequired()]
    )
    missing = StringField(_l("What was missing?"), validators=[Optional(), Length(max=500)])


@bp.post("/<lang>/guides/<slug>/feedback")
@csrf.exempt  # stores an anonymous vote, acts for no signed-in person: nothing for CSRF to abuse
@limiter.limit("10 per hour;30 per day")
def guide_feedback(slug: str):
    """ "Was this page helpful?" — no sign-in, no personal data."""
    if slug not in GUIDES or not library().guide(g.lang, slug):
        abort(404)
    form = GuideFeedbackForm()
    if not form.validate():
        abort(400)
    save_guide_feedback(g.lang, slug, form.helpful.data == "yes", form.missing.data or "")
    if request.headers.get("HX-Request") == "true":
        return render("feedback/_guide_thanks.html")
    flash(_l("Thank you for your answer."))
    return redirect(url_for("guides.guide", slug=slug, _anchor="helpful"), 303)


# --- staff ------------------------------------------------------------------------------------


@staff_bp.get("/<lang>/staff/feedback")
@staff_only
def caseworker_answers():
    """Answers I must read, free text as written with its language marked; a family member
    interpreting comes first, as a safety signal to act on."""
    answers = answers_for_staff(g.staff)
    lib = library()
    return render(
        "staff/feedback.html",
        answers=answers,
        scale=SCALE,
        interpreting=INTERPRETING,
        title=lambda slug: (lib.guide(g.lang, slug) or lib.guide("en", slug)).title,
    )


def _month_arg() -> str:
    month = request.args.get("month", "")
    try:
        datetime.datetime.strptime(month, "%Y-%m")
    except ValueError:
        return ""
    return month


@staff_bp.get("/<lang>/staff/report")
@coordinator_only
def report_page():
    """The anonymous report for the city council: tables, SVG charts, CSV."""
    month = _month_arg()
    data = report(month or None)
    lib = library()
    return render(
        "staff/report.html",
        data=data,
        signals=family_signals(month or None),
        month=month,
        scale=SCALE,
        interpreting=INTERPRETING,
        questions=QUESTIONS,
        group_chart=group_chart,
        min_group=MIN_GROUP,
        title=lambda slug: (lib.guide(g.lang, slug) or lib.guide("en", slug)).title,
    )


@staff_bp.get("/<lang>/staff/report.csv")
@coordinator_only
def report_csv():
    """The same table as CSV, for the council."""
    month = _month_arg()
    data = report(month or None)
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["month", "meeting_kind", "language", "answers"]
    header += [f"understood_{v}" for v in ("yes", "partly", "no")]
    header += [f"interpreting_{v}" for v in INTERPRETING]
    header += [f"next_known_{v}" for v in ("yes", "partly", "no")]
    writer.writerow(header)
    for group in data["groups"]:
        if group["suppressed"]:
            cells = ["fewer than 5"] * (len(header) - 4)
            writer.writerow([group["month"], group["kind"], group["lang"], "fewer than 5", *cells])
            continue
        cells = [group["understood"][v]["count"] for v in SCALE]
        cells += [group["interpreting"][v]["count"] for v in INTERPRETING]
        cells += [group["next_known"][v]["count"] for v in SCALE]
        writer.writerow([group["month"], group["kind"], group["lang"], group["total"], *cells])
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="bro-evaluation{"-" + month if month else ""}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        feedback_awaiting=awaiting_answer,
        feedback_editable=editable,
        get_feedback=get_answer,
        now=records.now_local,
    )
