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
# "an hour" and its fractions, the article as the number: minutes for each form
_AN_HOUR = re.compile(
    r"\b(?P<part>half[ -]|(?:a|one|three) quarters? of )?an[ -]hour(?P<more>[ -]and[ -]a[ -]half)?\b", re.IGNORECASE
)
_HOUR_PARTS = {"half": 30.0, "a quarter of": 15.0, "one quarter of": 15.0, "three quarters of": 45.0}
# a rate, not a length: "once an hour", or a number among the two words before ("$15 an hour", "60 miles an
# hour", "10km an hour", "three times an hour")
_RATE_BEFORE = re.compile(rf"(?:\b(?:once|twice)|\d\S*(?:\s+\S+)?|\b(?:{'|'.join(_WORD_NUMBERS)})(?:\s+\S+)?)\s+$",
                          re.IGNORECASE)
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
        if _local_money_pattern(language) is not None:
            # numbers written the language's way ("7.200 millones", "1,4%"): English rules would read 7.2 and 4
            finders = (partial(_local_money, language=language), _durations, _counts,
                       partial(_local_percents, language=language))
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
    for m in _AN_HOUR.finditer(text):
        if m.group("part") is None and _RATE_BEFORE.search(text, max(m.start() - 30, 0), m.start()):
            continue
        part = re.sub(r"[ -]+", " ", m.group("part") or "").strip().lower()
        minutes = _HOUR_PARTS.get(part, 60.0) + (30.0 if m.group("more") else 0.0)
        yield Figure(value=minutes, unit="minute", text=m.group(0))


@lru_cache(maxsize=32)
def _local_duration_pattern(language: str) -> tuple[re.Pattern | None, dict[str, str], dict[str, float]]:
    """ "50 minutos", "50 Minuten", "deux heures", "una hora": the language's time-unit words and the number
    words its dates use ("une", "deux" ... "douze"; plain-word simplifications only), from dateparser's locale
    data (CLDR)."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(language).info
    except Exception:  # noqa: BLE001 - a language dateparser lacks: English units only
        return None, {}, {}
    units = {w.lower(): unit for unit in _DURATION_UNITS for w in info.get(unit, []) if len(w) >= 3}
    if not units:
        return None, {}, {}
    numbers = {word.lower(): float(value) for rule in info.get("simplifications") or () for word, value in rule.items()
               if _PLAIN_WORD.fullmatch(word) and value.isdigit()}
    words = "|".join(sorted((re.escape(w) for w in units), key=len, reverse=True))
    number_words = "".join(f"|{re.escape(w)}" for w in sorted(numbers, key=len, reverse=True))
    return re.compile(rf"\b(?P<num>\d+(?:[.,]\d+)?{number_words})(?:\s*|-)(?P<unit>{words})\b", re.IGNORECASE), \
        units, numbers


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _local_durations(text: str, language: str):
    pattern, units, numbers = _local_duration_pattern(language)
    for m in pattern.finditer(text) if pattern else ():
        raw = m.group("num")
        value = numbers[raw.lower()] if raw.lower() in numbers else _number(raw.replace(",", "."))
        if value is not None and not _YEARISH.match(raw):
            yield Figure(value=value, unit=units[m.group("unit").lower()], text=m.group(0))


@lru_cache(maxsize=32)
def _local_money_pattern(language: str) -> tuple[re.Pattern, dict[str, float], dict[str, str], tuple[str, str]] | None:
    """ "7.200 millones de US$", "7,2 Milliarden Dollar", "1,2 miliardi di euro": money in the language's own
    words and number format, all from Unicode CLDR as Babel ships it: the decimal and grouping signs, the scale
    words of its long compact number formats ("0 millones" = 10^6, "0 mil millones" = 10^9, Spanish "billón" =
    10^12), the currency symbols, and the currency nouns (the first lower-case word of a currency's display
    names, else the last: "dólares estadounidenses" -> dólares, "Amerikaanse dollar" -> dollar, "US-Dollar" ->
    Dollar). None for a language CLDR lacks (English rules then)."""
    try:
        from babel import Locale, UnknownLocaleError
        from babel.numbers import get_currency_name, get_decimal_symbol, get_group_symbol

        locale = Locale.parse(language)
    except (ImportError, UnknownLocaleError, ValueError):
        return None
    scales: dict[str, float] = {}
    for forms in locale.compact_decimal_formats.get("long", {}).values():
        for magnitude, pattern in forms.items():
            zeros = pattern.pattern.count("0")
            word = pattern.pattern.replace("0", "").strip().lower()
            if word and zeros:
                scales.setdefault(word, float(magnitude) / 10 ** (zeros - 1))
    currencies: dict[str, str] = {}
    for code in set(_CURRENCY_SYMBOLS.values()) | set(_CURRENCY_WORDS.values()):
        currencies[code.lower()] = code
        symbol = locale.currency_symbols.get(code)
        if symbol:
            currencies[symbol.lower()] = code
        for count in (1, 2):
            words = re.split(r"[\s-]+", get_currency_name(code, count=count, locale=language))
            noun = next((w for w in words if w[:1].islower()), words[-1])
            currencies.setdefault(noun.lower(), code)
    for symbol, code in _CURRENCY_SYMBOLS.items():
        currencies.setdefault(symbol.lower(), code)
    signs = (get_group_symbol(language), get_decimal_symbol(language))
    number = _local_number(*signs)
    scale = rf"(?:\s+(?P<scale>{'|'.join(sorted(map(re.escape, scales), key=len, reverse=True))}))?"
    currency = "|".join(sorted(map(re.escape, currencies), key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w$€£¥₹₽]){number}{scale}\s*(?:(?:de|di|d['’]|van)\s*)?(?P<cur>{currency})(?![\w$])"
        rf"|(?P<cur2>{currency})\s?{number.replace('?P<num>', '?P<num2>')}"
        rf"{scale.replace('?P<scale>', '?P<scale2>')}",
        re.IGNORECASE,
    )
    return pattern, scales, currencies, signs


def _local_number(group: str, decimal: str) -> str:
    """A number written with the language's grouping and decimal signs ("7.200", "1,4", "7 200,5")."""
    group, decimal = re.escape(group), re.escape(decimal)
    return rf"(?P<num>\d{{1,3}}(?:{group}\d{{3}})+(?:{decimal}\d+)?|\d+(?:{decimal}\d+)?)"


def _local_value(raw: str, signs: tuple[str, str]) -> float | None:
    group, decimal = signs
    try:
        return float(raw.replace(group, "").replace(decimal, "."))
    except ValueError:
        return None


def _local_money(text: str, language: str):
    pattern, scales, currencies, signs = _local_money_pattern(language)
    for m in pattern.finditer(text):
        raw, scale, cur = (m.group("num"), m.group("scale"), m.group("cur")) if m.group("num") else \
            (m.group("num2"), m.group("scale2"), m.group("cur2"))
        value = _local_value(raw, signs)
        if value is not None:
            value *= scales.get((scale or "").lower(), 1.0)
            yield Figure(value=value, unit=currencies[cur.lower()], text=m.group(0).strip())


@lru_cache(maxsize=32)
def _local_percent_pattern(language: str) -> re.Pattern:
    _, _, _, signs = _local_money_pattern(language)
    return re.compile(rf"(?<![\d.,]){_local_number(*signs)}\s?%")


def _local_percents(text: str, language: str):
    signs = _local_money_pattern(language)[3]
    for m in _local_percent_pattern(language).finditer(text):
        value = _local_value(m.group("num"), signs)
        if value is not None:
            yield Figure(value=value, unit="percent", text=m.group(0))


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
