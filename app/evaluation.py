"""Evaluation in the citizen's own voice: the three questions after a meeting, "was this guide
helpful?", the answers a caseworker must read, the coordinator's anonymous report, and the
public report for everyone (/<lang>/about/evaluation, its CSV and data dictionary).

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
from flask_babel import format_date, format_percent
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from . import records
from .access import (
    citizen_page,
    coordinator_only,
    notice_follows,
    own_only,
    public_page,
    staff_only,
)
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
from .languages import BY_CODE
from .pages import render
from .public_report import CHANGE_TAGS, CSV_COLUMNS, MEASURES, csv_rows
from .public_report import report as published_report
from .security import csrf, limiter

bp = Blueprint("evaluation", __name__)


def percent(share: int | None) -> str:
    """A whole percentage in the reader's language ("58 %", "%58"); a dash for a hidden one."""
    return "–" if share is None else format_percent(share / 100)


def bar_chart(
    values: list[tuple[str, int | None]], label: str, rtl: bool = False, formatter=None
) -> Markup:
    """A horizontal bar chart of shares (0–100) as inline SVG; None draws no bar.

    Styled by classes only (the Content-Security-Policy allows no inline styles), and drawn
    from the right for right-to-left languages.
    """
    formatter = formatter or (lambda share: "–" if share is None else f"{share} %")
    height = 28 * len(values) + 8
    parts = [
        f'<svg class="chart{" chart-rtl" if rtl else ""}" role="img" '
        f'aria-label="{Markup.escape(label)}" viewBox="0 0 320 {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet">'
    ]
    for index, (name, share) in enumerate(values):
        y = 4 + 28 * index
        width = 0 if share is None else round(1.8 * share)
        short = name if len(name) <= 20 else name[:19] + "…"
        label_x, bar_x, value_x = (320, 190 - width, 184 - width) if rtl else (0, 130, 136 + width)
        parts.append(
            f'<text class="chart-label" x="{label_x}" y="{y + 17}">{Markup.escape(short)}</text>'
            f'<rect class="chart-bar" x="{bar_x}" y="{y + 4}" width="{width}" height="18"/>'
            f'<text class="chart-value" x="{value_x}" y="{y + 17}">'
            f"{Markup.escape(formatter(share))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def group_chart(group: dict, question: str) -> Markup:
    """The chart of one question for one report group."""
    options = INTERPRETING if question == "interpreting" else SCALE
    values = [(str(label), group[question][value]["share"]) for value, label in options.items()]
    return bar_chart(values, str(QUESTIONS[question]))


def _rtl() -> bool:
    return BY_CODE[g.lang].dir == "rtl"


def measure_chart(measure: dict) -> Markup:
    """The chart of one question of a published quarter, in the reader's language."""
    values = [(str(row["label"]), row["share"]) for row in measure["rows"]]
    return bar_chart(values, str(measure["title"]), rtl=_rtl(), formatter=percent)


def trend_chart(trend: list[dict], label: str) -> Markup:
    """Quarter by quarter: the share who say their life is better."""
    values = [(format_date(item["starts"], "QQQQ y"), item["life_better"]) for item in trend]
    return bar_chart(values, label, rtl=_rtl(), formatter=percent)


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


# --- everyone ---------------------------------------------------------------------------------


# Public and shared by nginx, but rendered on every request: the running quarter's count and
# the coordinator's notes change while Bro runs (the published quarters never do).
@bp.get("/<lang>/about/evaluation")
@public_page(cache=None)
def public_report():
    """The public report, the same for every visitor: per quarter what citizens answered, as
    charts with the numbers beside them, small groups hidden; what the municipality changed.
    Printable for the city council (one A4 page per quarter)."""
    data = published_report()
    return render(
        "evaluation/public_report.html",
        data=data,
        measure_chart=measure_chart,
        trend_chart=trend_chart,
        percent=percent,
        tags=CHANGE_TAGS,
        checkin_question=MEASURES["life_better"][1],
    )


@bp.get("/<lang>/about/evaluation.csv")
@public_page(cache=None)
def public_csv():
    """The report's numbers as open data: every published number, hidden ones empty."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows())
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="bro-evaluation.csv"'
    return response


@bp.get("/<lang>/about/evaluation/data")
@public_page()
def data_dictionary():
    """What each column and code of the open data means, in the reader's language."""
    return render("evaluation/data_dictionary.html", columns=CSV_COLUMNS, measures=MEASURES)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
