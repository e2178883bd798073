"""Why a citizen has a new caseworker: a choice from a translated list, not Danish free text.

The citizen reads the reason in their own language on my page; the caseworker may add their
own words in Danish (optional), which the citizen sees marked as Danish and can ask to have
translated. Ids are stored with the hand-over: never rename or reuse one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REASONS = {
    "new-tasks": _l("Your caseworker has got other tasks."),
    "left": _l("Your caseworker no longer works here."),
    "leave": _l("Your caseworker is away for a long time."),
    "team": _l("Your case has moved to another team."),
    "moved": _l("You have moved, so another office helps you now."),
    "workload": _l("The work is shared out again between caseworkers."),
    "other": _l("Another reason. Ask your new caseworker if you want to know more."),
}


def reason_text(reason_id: str) -> str:
    """The reason in the reader's language; '' for a hand-over from before the list existed."""
    return str(REASONS[reason_id]) if reason_id in REASONS else ""
