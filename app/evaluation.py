"""Evaluation in the citizen's own voice: the three questions after a meeting, "was this guide
helpful?", the answers a caseworker must read, and the coordinator's anonymous report.

Its own blueprint: the citizen's form lives under /<lang>/me, the staff pages under
/<lang>/staff, but no other feature registers routes for it, and its templates get their data
from these views.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io

from flask import Blueprint, Flask, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from . import records
from .access import citizen_page, coordinator_only, notice_follows, own_only, staff_only
from .answers import (
    INTERPRETING,
    MIN_GROUP,
    QUESTIONS,
    SCALE,
    answers_for_staff,
    editable,
    family_signals,
    get_answer,
    report,
    save_answer,
    save_guide_feedback,
)
from .content import GUIDES, library
from .db import audit
from .forms import options
from .pages import render
from .security import csrf, limiter

bp = Blueprint("evaluation", __name__)


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


@bp.route(
    "/<lang>/me/meetings/<int:meeting_id>/feedback",
    methods=["GET", "POST"],
    defaults={"citizen_id": None},
)
@citizen_page
def answer(citizen: dict, meeting_id: int):
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
            "evaluation/closed.html",
            citizen=citizen,
            meeting=meeting,
            guide=library().guide_or_fallback(g.lang, meeting["kind"]),
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
        "evaluation/answer.html",
        status=422 if form.errors else 200,
        citizen=citizen,
        meeting=meeting,
        guide=library().guide_or_fallback(g.lang, meeting["kind"]),
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
        return render("evaluation/_guide_thanks.html")
    flash(_l("Thank you for your answer."))
    return notice_follows(redirect(url_for("guides.guide", slug=slug, _anchor="helpful"), 303))


# --- staff ------------------------------------------------------------------------------------


@bp.get("/<lang>/staff/feedback")
@staff_only
def staff_answers():
    """Answers I must read, free text as written with its language marked; a family member
    interpreting comes first, as a safety signal to act on."""
    answers = answers_for_staff(g.staff)
    lib = library()
    return render(
        "evaluation/staff_answers.html",
        answers=answers,
        scale=SCALE,
        interpreting=INTERPRETING,
        title=functools.partial(lib.title_of, g.lang),
    )


def _month_arg() -> str:
    month = request.args.get("month", "")
    try:
        datetime.datetime.strptime(month, "%Y-%m")
    except ValueError:
        return ""
    return month


@bp.get("/<lang>/staff/report")
@coordinator_only
def report_page():
    """The anonymous report for the city council: tables, SVG charts, CSV."""
    month = _month_arg()
    data = report(month or None)
    lib = library()
    return render(
        "evaluation/staff_report.html",
        data=data,
        signals=family_signals(month or None),
        month=month,
        scale=SCALE,
        interpreting=INTERPRETING,
        questions=QUESTIONS,
        group_chart=group_chart,
        min_group=MIN_GROUP,
        title=functools.partial(lib.title_of, g.lang),
    )


@bp.get("/<lang>/staff/report.csv")
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
