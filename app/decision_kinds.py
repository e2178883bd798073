"""What a decision is about (its area) and what it says (its outcome), in the citizen's language.

A caseworker picks one area and one outcome; the citizen reads a heading generated from them.
Why not one template like "Your %(area)s is %(outcome)s": in Arabic, Ukrainian, Somali or
Tigrinya the verb and adjective agree with the noun's gender, Turkish and Kurdish glue the
possessive onto the noun, so a noun dropped into a sentence breaks the grammar. Instead the
outcome is one whole sentence that needs no noun from outside ("Your application is refused"),
and the area stands alone as a noun phrase above it ("Help with health costs"), which is
grammatical in every language. The letter's Danish title is kept beside them, marked Danish.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AREAS = {
    "benefit": _l("Money you get (benefit)"),
    "programme": _l("Your programme or plan"),
    "housing": _l("Housing"),
    "children-family": _l("Children and family"),
    "health-aid": _l("Help with health costs, such as glasses, dentist or medicine"),
    "work-obligation": _l("Work obligation"),
    "repayment": _l("Paying money back"),
    "other": _l("Other"),
}

OUTCOMES = {
    "granted": _l("Your application is granted"),
    "partly-granted": _l("Your application is partly granted"),
    "refused": _l("Your application is refused"),
    "reduced": _l("Your help is reduced"),
    "stopped": _l("Your help stops"),
    "changed": _l("Your help is changed"),
    "pay-back": _l("You are asked to pay money back"),
}

# Two plain sentences per outcome: what it means for you, and where the letter says more.
MEANINGS = {
    "granted": _l("You get what you asked for. The letter says from which day and how much."),
    "partly-granted": _l(
        "You get some of what you asked for, but not all. The letter says which part was refused and why."
    ),
    "refused": _l("You do not get what you asked for. The letter says why."),
    "reduced": _l("You get less than before. The letter says how much less and from which day."),
    "stopped": _l("You no longer get this help. The letter says from which day and why."),
    "changed": _l(
        "Your help goes on, but something in it changes. The letter says what changes and from which day."
    ),
    "pay-back": _l(
        "The municipality thinks you got too much, and wants it back. The letter says how much and why."
    ),
}

# Decisions of the children and young people committee (børne- og unge-udvalget) go straight to
# Ankestyrelsen, without the municipality's genvurdering; only children-and-family ones can be.
COMMITTEE_AREAS = ("children-family",)


def area_label(area: str | None) -> str | None:
    """The area as a noun phrase in the current language; None for an unknown or empty area."""
    label = AREAS.get(area or "")
    return str(label) if label else None


def heading(outcome: str | None) -> str | None:
    """The outcome as a whole sentence in the current language; None when there is none."""
    sentence = OUTCOMES.get(outcome or "")
    return str(sentence) if sentence else None


def meaning(outcome: str | None) -> str | None:
    text = MEANINGS.get(outcome or "")
    return str(text) if text else None
