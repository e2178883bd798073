"""Pieces shared by the WTForms forms of several features."""

from collections.abc import Iterable

from wtforms import SelectChoice


def options(pairs: Iterable) -> list[SelectChoice]:
    """Choices for a select or radio field from (value, label) pairs or plain values."""
    return [
        SelectChoice(*pair) if isinstance(pair, tuple) else SelectChoice(pair) for pair in pairs
    ]
