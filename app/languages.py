"""The twelve languages Bro speaks, and how a request's language is chosen.

Pure functions, no Flask imports, so negotiation is easy to test on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # URL prefix, also the value of <html lang>
    name: str  # English name, for staff screens and logs
    endonym: str  # the language's name for itself, shown in the picker
    dir: str  # "ltr" or "rtl"
    locale: str  # Babel locale of the gettext catalog and the formatters


LANGUAGES: tuple[Language, ...] = (
    Language("da", "Danish", "Dansk", "ltr", "da"),
    Language("en", "English", "English", "ltr", "en"),
    Language("ar", "Arabic", "العربية", "rtl", "ar"),
    Language("fa", "Persian (Farsi)", "فارسی", "rtl", "fa"),
    Language("prs", "Dari", "دری", "rtl", "fa_AF"),
    Language("ps", "Pashto", "پښتو", "rtl", "ps"),
    # "کوردی" alone could be either Kurdish: each name says its variety, so a speaker of
    # Sorani or of Kurmanji recognises their own in the picker and on the coverage page.
    Language("ckb", "Kurdish (Sorani)", "کوردی (سۆرانی)", "rtl", "ckb"),
    Language("kmr", "Kurdish (Kurmanji)", "Kurdî (Kurmancî)", "ltr", "ku"),
    Language("so", "Somali", "Soomaali", "ltr", "so"),
    Language("ti", "Tigrinya", "ትግርኛ", "ltr", "ti"),
    Language("tr", "Turkish", "Türkçe", "ltr", "tr"),
    Language("uk", "Ukrainian", "Українська", "ltr", "uk"),
)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
DEFAULT = "da"

# Tags a browser may send that do not equal one of our prefixes. Keys are lower-case
# BCP 47 tags; the longest matching key wins, so "fa-af" beats "fa".
_ALIASES: dict[str, str] = {
    "fa-af": "prs",  # Persian as spoken in Afghanistan is Dari
    "ku": "kmr",  # plain "ku" is nearly always Kurmanji (Latin script)
    "ku-latn": "kmr",
    "ku-arab": "ckb",  # Kurdish in Arabic script is Sorani
    "ku-iq": "ckb",
    "ku-ir": "ckb",
    "sdh": "ckb",  # Southern Kurdish readers are best served by Sorani
    "pbu": "ps",
    "pbt": "ps",
    "pst": "ps",
    "nb": None,  # Scandinavian neighbours: let them fall through to Danish by default
}


def parse_accept_language(header: str | None) -> list[str]:
    """Return the language tags of an Accept-Language header, best first.

    Malformed parts are skipped; a q of 0 means "not acceptable" and is dropped.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().replace("_", "-")
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def match_tag(tag: str) -> str | None:
    """Map one BCP 47 tag to a Bro prefix, or None when we do not speak it."""
    subtags = tag.lower().replace("_", "-").split("-")
    # Try the longest prefix of subtags first: "ku-arab-iq" → "ku-arab" → "ku".
    for length in range(len(subtags), 0, -1):
        candidate = "-".join(subtags[:length])
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        if candidate in BY_CODE:
            return candidate
    # A region-qualified Dari tag like "prs-af" is handled above; nothing else to try.
    return None


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """Choose a prefix: the picker's cookie, then Accept-Language, then Danish."""
    if cookie in BY_CODE:
        return cookie
    for tag in parse_accept_language(accept_language):
        code = match_tag(tag)
        if code:
            return code
    return DEFAULT
