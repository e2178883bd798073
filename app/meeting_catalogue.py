"""What a meeting is for, per meeting kind: the one catalogue, as data.

A caseworker picks a meeting's purposes from this list instead of typing them, so the citizen
reads them in their own language. Each entry has a stable id (stored with the meeting; never
rename or reuse one), plain words (translated through the gettext catalogs) and the guide
section that explains it. Free text a caseworker writes stays optional and is shown as Danish.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: a stable id, its words, and the guide section that explains it."""

    id: str
    kind: str  # the meeting guide's slug
    text: LazyString
    guide: str  # a guide's slug
    section: str  # a section id in that guide

    @property
    def anchor(self) -> str:
        return f"{self.guide}#{self.section}"


def _entries(kind: str, rows: list[tuple[str, LazyString, str]]) -> list[Entry]:
    entries = []
    for key, text, where in rows:
        guide, _hash, section = where.rpartition("#")
        entries.append(Entry(key, kind, text, guide or kind, section))
    return entries


# Meeting kind → its purposes, in the order the staff form lists them.
PURPOSES_BY_KIND: dict[str, list[Entry]] = {
    "jobcenter-meeting": _entries(
        "jobcenter-meeting",
        [
            ("jobcenter.plan", _l("Plan your next step towards work or education"), "#why"),
            ("jobcenter.follow-up", _l("Follow up on your plan"), "#next"),
            (
                "jobcenter.offer",
                _l(
                    "Talk about an offer, such as praktik (work placement) or løntilskud (wage subsidy)"
                ),
                "#why",
            ),
            (
                "jobcenter.duties",
                _l("Your duties and being available for work"),
                "duties-and-money#work-obligation",
            ),
            (
                "jobcenter.ill",
                _l("You are ill: how are you, and what now?"),
                "duties-and-money#sick",
            ),
            (
                "jobcenter.missed",
                _l("You missed a meeting or an activity"),
                "duties-and-money#missed",
            ),
            ("jobcenter.danish", _l("Your Danish classes"), "#why"),
        ],
    ),
    "self-support-programme": _entries(
        "self-support-programme",
        [
            ("selfsupport.plan", _l("Make or change the plan for your programme"), "#why"),
            ("selfsupport.follow-up", _l("Follow up on how your programme is going"), "#next"),
            ("selfsupport.danish", _l("Your Danish classes"), "#why"),
            (
                "selfsupport.offer",
                _l(
                    "Talk about an offer, such as praktik (work placement) or løntilskud (wage subsidy)"
                ),
                "#why",
            ),
            (
                "selfsupport.duties",
                _l("Your duties and your money"),
                "duties-and-money#meetings",
            ),
            (
                "selfsupport.ill",
                _l("You are ill: how are you, and what now?"),
                "duties-and-money#sick",
            ),
        ],
    ),
    "social-services-meeting": _entries(
        "social-services-meeting",
        [
            ("social.situation", _l("Your situation and the help you need"), "#why"),
            (
                "social.money",
                _l("Money: your benefits and what you pay"),
                "duties-and-money#changes",
            ),
            ("social.housing", _l("Your housing"), "#why"),
            (
                "social.family",
                _l("Your children and your family"),
                "children-and-family-cases#meetings",
            ),
            ("social.application", _l("Your application: what we need from you"), "#bring"),
            ("social.follow-up", _l("Follow up on help you already get"), "#next"),
        ],
    ),
    "rehabilitation-team": _entries(
        "rehabilitation-team",
        [
            (
                "rehab.recommend",
                _l(
                    "The team looks at your case and recommends a ressourceforløb, "
                    "flexjob or førtidspension"
                ),
                "#why",
            ),
            ("rehab.prepare", _l("Prepare your case for the team"), "#bring"),
            ("rehab.goals", _l("Your goals and what you can do"), "#why"),
            ("rehab.rights", _l("What you choose to tell and your rights"), "#rights"),
            ("rehab.after", _l("What happens after the team's recommendation"), "#next"),
            ("rehab.follow-up", _l("Follow up on your ressourceforløb"), "#next"),
        ],
    ),
    "school-and-daycare-meeting": _entries(
        "school-and-daycare-meeting",
        [
            ("school.how", _l("How your child is doing"), "#why"),
            (
                "school.concern",
                _l("A concern about your child"),
                "children-and-family-cases#concern",
            ),
            ("school.learning", _l("Your child's learning and Danish"), "#why"),
            ("school.start", _l("Your child starts school or daycare"), "#why"),
            ("school.support", _l("Extra support for your child"), "#next"),
            ("school.wellbeing", _l("Your child's well-being and friends"), "#why"),
        ],
    ),
    "doctor-and-dentist": _entries(
        "doctor-and-dentist",
        [
            ("health.check", _l("A check-up"), "#why"),
            ("health.treatment", _l("Treatment"), "#why"),
            ("health.follow-up", _l("Follow-up after an earlier visit"), "#next"),
            ("health.referral", _l("A referral to a specialist or a hospital"), "#next"),
            ("health.medicine", _l("Your medicine"), "#questions"),
            ("health.dentist", _l("A visit to the dentist"), "#why"),
        ],
    ),
}

PURPOSES: dict[str, Entry] = {
    entry.id: entry for entries in PURPOSES_BY_KIND.values() for entry in entries
}


def purposes_for(kind: str) -> list[Entry]:
    """The purposes a meeting of this kind can have, in the form's order."""
    return PURPOSES_BY_KIND.get(kind, [])


def purposes(ids: list[str]) -> list[Entry]:
    """The entries for stored ids, in catalogue order; an unknown id is left out."""
    wanted = set(ids)
    return [entry for entry in PURPOSES.values() if entry.id in wanted]


# --- what we agreed -----------------------------------------------------------------------

# Who does a step. Stored as these keys; the words are the citizen's.
WHO = {
    "you": _l("You"),
    "we": _l("We (the people you met)"),
    "both": _l("You and we together"),
}

# Steps any meeting can end with; each kind adds its own before them.
_COMMON_STEPS = [
    ("common.documents", _l("Send the papers we talked about"), "after-the-meeting#plan"),
    ("common.next-meeting", _l("Book the next meeting"), "after-the-meeting#plan"),
    ("common.decision", _l("Send a written decision"), "decisions-and-appeals#what"),
    (
        "common.interpreter",
        _l("Book an interpreter for the next meeting"),
        "interpreter-rights#how-to-ask",
    ),
]

STEPS_BY_KIND: dict[str, list[Entry]] = {
    kind: _entries(kind, rows + _COMMON_STEPS)
    for kind, rows in {
        "jobcenter-meeting": [
            ("jobcenter.start-offer", _l("Start the offer we talked about"), "#next"),
            ("jobcenter.find-offer", _l("Find an offer that fits you"), "#next"),
            (
                "jobcenter.jobnet",
                _l("Keep your CV on Jobnet up to date"),
                "duties-and-money#jobnet",
            ),
        ],
        "self-support-programme": [
            ("selfsupport.update-plan", _l("Write the new plan down and send it to you"), "#next"),
            ("selfsupport.danish", _l("Start or continue Danish classes"), "#next"),
            ("selfsupport.start-offer", _l("Start the offer we talked about"), "#next"),
        ],
        "social-services-meeting": [
            ("social.apply", _l("Send the application"), "#next"),
            ("social.assess", _l("Look at your case and decide"), "#next"),
            ("social.contact", _l("Contact the other office we talked about"), "#next"),
        ],
        "rehabilitation-team": [
            ("rehab.recommendation", _l("Send you the team's recommendation"), "#next"),
            ("rehab.plan", _l("Make a plan for your ressourceforløb"), "#next"),
            ("rehab.decide", _l("Decide on the team's recommendation"), "#next"),
        ],
        "school-and-daycare-meeting": [
            ("school.support", _l("Start extra support for your child"), "#next"),
            ("school.follow-up", _l("Meet again to see how your child is doing"), "#next"),
            ("school.home", _l("Practise at home with your child"), "#next"),
        ],
        "doctor-and-dentist": [
            ("health.new-visit", _l("Book a new visit"), "#next"),
            ("health.referral", _l("Send the referral"), "#next"),
            ("health.medicine", _l("Collect your medicine at the pharmacy"), "#next"),
        ],
    }.items()
}


def steps_for(kind: str) -> list[Entry]:
    """The steps a meeting of this kind can end with, in the form's order."""
    return STEPS_BY_KIND.get(kind, [])


def step(kind: str, step_id: str) -> Entry | None:
    """One step of this kind of meeting; None for an unknown id."""
    return next((entry for entry in steps_for(kind) if entry.id == step_id), None)
