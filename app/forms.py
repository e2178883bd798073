"""Pieces shared by the WTForms forms of several features."""

from collections.abc import Iterable

from wtforms import SelectChoice


def required_options(pairs: Iterable) -> list[SelectChoice]:
    """Choices for a required select: an empty first option ("Choose"), so nothing is chosen
    for the person by accident and the HTML is valid (a required select needs one)."""
    from flask_babel import lazy_gettext as _l

    return [SelectChoice("", _l("Choose")), *options(pairs)]


def options(pairs: Iterable) -> list[SelectChoice]:
    """Choices for a select or radio field from (value, label) pairs or plain values."""
    return [
        SelectChoice(*pair) if isinstance(pair, tuple) else SelectChoice(pair) for pair in pairs
    ]
