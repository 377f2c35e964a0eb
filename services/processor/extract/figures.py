"""Key figures with units: durations ("50-minute"), counts ("10,000 troops"), money ("$1.2 billion"), percentages.

Regexes over the whole cleaned body. Units are normalized so that outlets can be compared
("soldiers" -> "troops", "minutes" -> "minute"): the canonical event corroborates or disputes them.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial

from schemas.extracted import Figure

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "a dozen": 12,
    "dozens of": 24,
}
_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUMBER = (
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
    + r")"
)
_SCALE_WORD = r"(?:\s*(?P<scale>thousand|million|mln|billion|bn|trillion|tn|m|b)\b)?"

_DURATION_UNITS = {
    "second": "second",
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}
_COUNT_UNITS = {
    "troops": "troops",
    "soldiers": "troops",
    "service members": "troops",
    "servicemen": "troops",
    "people": "people",
    "persons": "people",
    "civilians": "civilians",
    "deaths": "deaths",
    "dead": "deaths",
    "killed": "deaths",
    "fatalities": "deaths",
    "casualties": "casualties",
    "injured": "injured",
    "wounded": "injured",
    "refugees": "refugees",
    "migrants": "migrants",
    "protesters": "protesters",
    "protestors": "protesters",
    "demonstrators": "protesters",
    "votes": "votes",
    "jobs": "jobs",
    "cases": "cases",
    "homes": "homes",
    "houses": "homes",
    "tanks": "tanks",
    "missiles": "missiles",
    "aircraft": "aircraft",
    "jets": "aircraft",
    "warships": "warships",
    "ships": "ships",
    "children": "children",
    "students": "students",
    "workers": "workers",
    "employees": "employees",
    "prisoners": "prisoners",
    "hostages": "hostages",
    "arrests": "arrests",
    "residents": "residents",
    "patients": "patients",
    "members": "members",
    "delegates": "delegates",
    "senators": "senators",
    "lawmakers": "lawmakers",
    "voters": "voters",
}
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
    "rubles": "RUB",
    "roubles": "RUB",
    "yen": "JPY",
    "rupees": "INR",
    "yuan": "CNY",
}

_DURATION = re.compile(
    rf"\b{_NUMBER}(?:\s*|-)(?P<unit>second|minute|hour|day|week|month|year)s?\b(?!-old)", re.IGNORECASE
)
_COUNT = re.compile(
    rf"\b{_NUMBER}{_SCALE_WORD}(?:\s+(?:more|additional|other|[A-Z][a-z]+|US|U\.S\.))?\s+"
    rf"(?P<unit>{'|'.join(sorted(_COUNT_UNITS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)
_MONEY_SYMBOL = re.compile(r"(?P<cur>US\$|\$|€|£|¥|₹|₽)\s?(?P<num>\d[\d,]*(?:\.\d+)?)" + _SCALE_WORD)
_MONEY_WORD = re.compile(rf"\b{_NUMBER}{_SCALE_WORD}\s+(?P<cur>{'|'.join(_CURRENCY_WORDS)})\b", re.IGNORECASE)
_PERCENT = re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
_YEARISH = re.compile(r"^(?:19|20)\d\d$")


def extract_figures(text: str, max_figures: int = 20, language: str = "en") -> list[Figure]:
    figures: list[Figure] = []
    seen: set[tuple[float, str]] = set()
    finders = (_money, _durations, _counts, _percents)
    if language not in ("en", "und"):
        finders += (partial(_local_durations, language=language),)
    for finder in finders:
        for figure in finder(text):
            key = (figure.value, figure.unit)
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures[:max_figures]


def _durations(text: str):
    for m in _DURATION.finditer(text):
        value = _number(m.group("num"))
        if value is not None and not _YEARISH.match(m.group("num")):
            yield Figure(value=value, unit=_DURATION_UNITS[m.group("unit").lower()], text=m.group(0))


@lru_cache(maxsize=32)
def _local_duration_pattern(language: str) -> tuple[re.Pattern | None, dict[str, str]]:
    """ "50 minutos", "50 Minuten": the language's time-unit words from dateparser's locale data (CLDR)."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(language).info
    except Exception:  # noqa: BLE001 - a language dateparser lacks: English units only
        return None, {}
    units = {w.lower(): unit for unit in _DURATION_UNITS for w in info.get(unit, []) if len(w) >= 3}
    if not units:
        return None, {}
    words = "|".join(sorted((re.escape(w) for w in units), key=len, reverse=True))
    return re.compile(rf"\b(?P<num>\d+(?:[.,]\d+)?)(?:\s*|-)(?P<unit>{words})\b", re.IGNORECASE), units


def _local_durations(text: str, language: str):
    pattern, units = _local_duration_pattern(language)
    for m in pattern.finditer(text) if pattern else ():
        value = _number(m.group("num").replace(",", "."))
        if value is not None and not _YEARISH.match(m.group("num")):
            yield Figure(value=value, unit=units[m.group("unit").lower()], text=m.group(0))


def _counts(text: str):
    for m in _COUNT.finditer(text):
        value = _number(m.group("num"), m.group("scale"))
        if value is not None and not _YEARISH.match(m.group("num")):
            unit = _COUNT_UNITS[m.group("unit").lower()]
            yield Figure(value=value, unit=unit, text=m.group(0), context=_context(text, m.start(), m.end()))


# What a count counts, read from the clause around it: 10,000 troops *withdrawn* and 90,000 troops *deployed*
# are two quantities, not a disagreement between outlets.
_CONTEXTS = [
    ("withdrawn", r"withdr[ae]w\w*|pull(?:ing|ed|s)? (?:back|out)|reduc\w+|leav(?:e|ing)|retreat\w*"),
    ("deployed", r"deploy\w*|mass(?:ed|ing)|gather\w*|build-?up|station\w*|amass\w*|near (?:its|the) border"),
    ("killed", r"kill\w*|dead|died|deaths?|fatalit\w+"),
    ("injured", r"injur\w+|wound\w+|hurt"),
    ("arrested", r"arrest\w*|detain\w*"),
    ("evacuated", r"evacuat\w+|displac\w+|fled"),
]
_CONTEXT_PATTERNS = [(label, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for label, pattern in _CONTEXTS]
CONTEXT_CHARS = 60


def _context(text: str, start: int, end: int) -> str | None:
    """The context word nearest to the figure within its sentence (at most CONTEXT_CHARS either side)."""
    left = max(text.rfind(". ", 0, start) + 1, start - CONTEXT_CHARS, 0)
    stop = text.find(". ", end)
    right = min(stop if stop >= 0 else len(text), end + CONTEXT_CHARS)
    center = (start + end) // 2 - left
    window = text[left:right]
    hits = [(abs(m.start() - center), label) for label, pattern in _CONTEXT_PATTERNS for m in pattern.finditer(window)]
    return min(hits)[1] if hits else None


def _money(text: str):
    for m in _MONEY_SYMBOL.finditer(text):
        value = _number(m.group("num"), m.group("scale"))
        if value is not None:
            yield Figure(value=value, unit=_CURRENCY_SYMBOLS[m.group("cur")], text=m.group(0).strip())
    for m in _MONEY_WORD.finditer(text):
        value = _number(m.group("num"), m.group("scale"))
        if value is not None:
            yield Figure(value=value, unit=_CURRENCY_WORDS[m.group("cur").lower()], text=m.group(0))


def _percents(text: str):
    for m in _PERCENT.finditer(text):
        yield Figure(value=float(m.group("num")), unit="percent", text=m.group(0))


def _number(raw: str, scale: str | None = None) -> float | None:
    raw = raw.lower()
    if raw in _WORD_NUMBERS:
        value = float(_WORD_NUMBERS[raw])
    else:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
    return value * _SCALE.get((scale or "").lower(), 1.0)
