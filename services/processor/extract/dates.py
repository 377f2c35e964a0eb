"""Event date and mentioned (scheduled / earlier) events, resolved against the publication time.

Why regexes and not dateparser: news dates are relative to the *publication*, not to "now", and
dateparser resolves "Thursday" / "January 10" against the wall clock (and reads "IST" as +02:00).
The rules here:
  * bare weekday ("on Thursday")  -> the most recent such day on or before the publication date
    (the coming one when the nearest tense cue before it is future: "will testify on Wednesday");
  * "yesterday" / "today" / "last night" -> relative to the publication date;
  * "January 10", "the 9th and 10th of January", "9-10. January" -> the year that puts the date
    nearest to publication (a December article's "January 10" is next year's);
  * explicit years are kept; "in June" (month only) gives precision "month".
The event date is the first date in headline + lead within the week before publication, else the
first weekday/relative date or a date at most a day before publication in the body; else the
publication date (source="published"), the previous day if published 00:00-06:00 UTC.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from schemas.extracted import EventDate, MentionedEvent

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = (
    r"(?:\s*(?:-|–|and|to|&)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"  # second day of a range: "9-10", "9th and 10th"
)
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_PATTERNS = [
    # "January 10", "Jan. 10th, 2022", "January 10-11"
    ("day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b{_DAY2}{_YEAR}(?!\s*(?:percent|%|million|billion))")),
    # "10 January", "9-10. January", "the 9th and 10th of January 2022"
    ("day", re.compile(rf"\b(?:the\s+)?{_DAY}{_DAY2}\.?\s+(?:of\s+)?{_MONTH}\b{_YEAR}")),
    # "in June", "last March", "June 2014": month precision
    ("month", re.compile(rf"\b(?:in|since|until|by|last|next|this|early|late|mid-?)\s+{_MONTH}\b{_YEAR}")),
    ("weekday", re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")),
    (
        "relative",
        re.compile(
            r"\b(?P<relative>yesterday|today|tonight|last night|this morning|this afternoon|"
            r"this evening|earlier today)\b",
            re.IGNORECASE,
        ),
    ),
]
_RELATIVE_DAYS = {"yesterday": -1, "last night": -1}
_FUTURE_CUE = re.compile(
    r"\b(?:will|would|plan(?:s|ned)?|scheduled|set to|ahead of|upcoming|next|followed by|"
    r"due|expected|to (?:meet|hold|begin|start))\b",
    re.IGNORECASE,
)
_EVENT_NOUN = re.compile(
    r"\b(?:talks|meeting|meetings|summit|session|conference|consultations|negotiations|dialogue|call|"
    r"vote|election|elections|visit|hearing|trial|deadline|ceremony|rally|debate|speech|session|"
    r"referendum|exercises|drills|inauguration|launch|meet|met|visit|visited|travel|vote|talk|spoke|speak)\b",
    re.IGNORECASE,
)
_EVENT_VERB = re.compile(r"^(?:meet|met|visit|visited|travel|vote|talk|spoke|speak)\b", re.IGNORECASE)
_PAST_CUE = re.compile(r"\b(?:met|was|were|had|did|ago|last|earlier|previously|took place|held)\b", re.IGNORECASE)
# Weak past cues (any -ed verb, "said") only decide a bare weekday, never a month-day date's year.
_WEAK_PAST_CUE = re.compile(rf"{_PAST_CUE.pattern}|\b(?:said|told|\w{{3,}}ed)\b", re.IGNORECASE)
EARLY_HOURS_UTC = 6
LEAD_MAX_AGE_DAYS = 7  # news reports the last week; an older date in the lead is background
CUE_WINDOW = 100  # characters before a date searched for will/plan/scheduled... or met/was/last...


@dataclass(frozen=True)
class DateMention:
    date: date
    precision: str  # "day" | "month"
    kind: str  # "day" | "month" | "weekday" | "relative"
    expression: str
    sentence: str
    start: int  # offset of the expression in its sentence
    end: date | None = None  # last day of a range ("9-10 January")


def find_dates(sentence: str, published: date | None, language: str = "en") -> list[DateMention]:
    """All resolvable date expressions of one sentence, left to right, without overlaps."""
    lexicon = _lexicon(language)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in lexicon.patterns:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            resolved = _resolve(kind, match, published, lexicon)
            if resolved is None:
                continue
            taken.append(match.span())
            found.append(
                DateMention(
                    resolved[0],
                    resolved[1],
                    kind,
                    match.group(0).strip(),
                    sentence,
                    match.start(),
                    _range_end(match, resolved[0]),
                )
            )
    return sorted(found, key=lambda m: m.start)


@dataclass(frozen=True)
class _Lexicon:
    patterns: list[tuple[str, re.Pattern]]
    months: dict[str, int]  # lower-case name -> 1..12
    weekdays: dict[str, int]  # lower-case name -> 0 (Monday)..6
    relative_days: dict[str, int]  # lower-case word -> days from publication


_ENGLISH = _Lexicon(_PATTERNS, _MONTHS, _WEEKDAYS, {**_RELATIVE_DAYS})
_MONTH_KEYS = [calendar.month_name[i].lower() for i in range(1, 13)]
_WEEKDAY_KEYS = [calendar.day_name[i].lower() for i in range(7)]
# Particles between day, month and year: "3 de mayo de 2005", "3 di maggio", "3. Mai", "le 3 mai".
_LINK = r"(?:\s+(?:de|del|di|van)\b)?"


@lru_cache(maxsize=32)
def _lexicon(language: str) -> _Lexicon:
    """English: the hand-tuned rules above. Other languages: month, weekday and yesterday/today words from
    dateparser's locale data (CLDR), in the day-month-year order those languages write."""
    if language in ("en", "und", ""):
        return _ENGLISH
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(language).info
    except Exception:  # noqa: BLE001 - a language dateparser lacks: English rules only
        return _ENGLISH
    # Full month names only: CLDR's abbreviations are words too ("mar" = sea, "ago" = needle).
    months = {max(info.get(key, [""]), key=len).lower(): i + 1 for i, key in enumerate(_MONTH_KEYS)}
    months.pop("", None)
    weekdays = {w.lower(): i for i, key in enumerate(_WEEKDAY_KEYS) for w in info.get(key, []) if len(w) >= 4}
    relative = info.get("relative-type", {})
    relative_days = {w.lower(): -1 for w in relative.get("1 day ago", [])} | {
        w.lower(): 0 for w in relative.get("0 day ago", [])
    }
    month = r"(?P<month>" + _alternation(months) + r")\.?"
    year = rf"(?:,?{_LINK}\s+(?P<year>(?:19|20)\d\d))?"
    patterns = [
        ("day", re.compile(rf"\b{_DAY}\.?{_DAY2}\.?{_LINK}\s+{month}(?!\w){year}", re.IGNORECASE)),
        ("day", re.compile(rf"\b{month}\s+{_DAY}\b{_DAY2}{year}", re.IGNORECASE)),
        ("month", re.compile(rf"\b{month}{_LINK}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)),
    ]
    if weekdays:
        patterns.append(("weekday", re.compile(r"\b(?P<weekday>" + _alternation(weekdays) + r")\b", re.IGNORECASE)))
    if relative_days:
        relative_words = r"\b(?P<relative>" + _alternation(relative_days) + r")\b"
        patterns.append(("relative", re.compile(relative_words, re.IGNORECASE)))
    return _Lexicon(patterns, {**_MONTHS, **months}, {**_WEEKDAYS, **weekdays}, {**_RELATIVE_DAYS, **relative_days})


def calendar_words(language: str) -> frozenset[str]:
    """Lower-case month, weekday and yesterday/today words of a language: capitalized, they are not names."""
    lexicon = _lexicon(language)
    return frozenset(lexicon.months) | frozenset(lexicon.weekdays) | frozenset(lexicon.relative_days)


def _alternation(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def resolve_event_date(
    lead_sentences: list[str], body_sentences: list[str], published: datetime | None, language: str = "en"
) -> tuple[EventDate, list[DateMention]]:
    """The main event's date, plus every date mention of the article (for `mentioned_events`)."""
    pub_day = _utc_day(published)
    lead_mentions = [m for s in lead_sentences for m in find_dates(s, pub_day, language)]
    body_mentions = [m for s in body_sentences for m in find_dates(s, pub_day, language)]
    chosen = _pick_event_mention(lead_mentions, body_mentions, pub_day)
    weekdays = named_weekdays(lead_sentences, language)
    if chosen is not None:
        return EventDate(
            date=chosen.date, precision=chosen.precision, source="text", expression=chosen.expression,
            weekdays=weekdays,
        ), lead_mentions + body_mentions
    if published is not None:
        return _publication_fallback(published).model_copy(update={"weekdays": weekdays}), \
            lead_mentions + body_mentions
    return EventDate(weekdays=weekdays), body_mentions


def named_weekdays(lead_sentences: list[str], language: str = "en") -> list[int]:
    """Days of the week (0 = Monday) that the headline and lead name for what happened, scheduled ones left out.

    Needs no publication date: two undated reports of one happening name its weekday alike ("on Thursday"),
    reports of a look-alike on another day do not."""
    lexicon = _lexicon(language)
    pattern = next((p for kind, p in lexicon.patterns if kind == "weekday"), None)
    if pattern is None:
        return []
    days = set()
    for sentence in lead_sentences:
        for match in pattern.finditer(sentence):
            if _tense(match, window=CUE_WINDOW, weak=True) != "future":
                days.add(lexicon.weekdays[match.group("weekday").lower()])
    return sorted(days)


def _publication_fallback(published: datetime) -> EventDate:
    """No date in the text: the publication day, labeled as such.

    Between 00:00 and 06:00 UTC it is evening in the Americas and early morning in Europe/Asia: a story
    published then reports, overwhelmingly, the previous (UTC) day's event.
    """
    utc = published.astimezone(UTC) if published.tzinfo else published
    day = utc.date()
    date_only = utc.hour == utc.minute == utc.second == 0  # "2010-02-20T00:00:00": a day, no time given
    if utc.hour < EARLY_HOURS_UTC and not date_only:
        return EventDate(
            date=day - timedelta(days=1),
            precision="day",
            source="published",
            expression=f"published {utc:%H:%M} UTC: previous day",
        )
    return EventDate(date=day, precision="day", source="published", expression=None)


def mentioned_events(
    mentions: list[DateMention],
    event_date: EventDate,
    published: datetime | None,
    place_of: Callable[[str], str | None] | None = None,
    max_events: int = 8,
) -> list[MentionedEvent]:
    """Other dated happenings the article refers to: scheduled ones (after publication) or earlier ones."""
    pub_day = _utc_day(published) or event_date.date
    events: list[MentionedEvent] = []
    seen: set[tuple[date, str]] = set()
    for mention in mentions:
        if mention.date == event_date.date or not _EVENT_NOUN.search(mention.sentence):
            continue
        relation = _relation(mention, pub_day)
        text = _event_phrase(mention)
        if (mention.date, relation) in seen or not text:
            continue
        seen.add((mention.date, relation))
        place = place_of(text) if place_of else None
        events.append(
            MentionedEvent(text=text, date=mention.date, end_date=mention.end, relation=relation, place=place)
        )
        if len(events) >= max_events:
            break
    return events


def _utc_day(published: datetime | None) -> date | None:
    if published is None:
        return None
    return (published.astimezone(UTC) if published.tzinfo else published).date()


def _pick_event_mention(lead: list[DateMention], body: list[DateMention], pub_day: date | None) -> DateMention | None:
    # Lead dates describe the main event unless they are in the future (scheduled things) or weeks old
    # (background: "their second call since the December 7 summit").
    for mention in lead:
        if mention.kind == "month" or _is_scheduled_context(mention):
            continue
        if pub_day is None or 0 <= (pub_day - mention.date).days <= LEAD_MAX_AGE_DAYS:
            return mention
    # In the body, only recent, near-certain mentions of "the" event: weekdays, "yesterday", last week.
    for mention in body:
        if pub_day is None or mention.date > pub_day or _is_scheduled_context(mention):
            continue
        if mention.kind in ("weekday", "relative") or (pub_day - mention.date).days <= 1:
            return mention
    return None


def _is_scheduled_context(mention: DateMention) -> bool:
    window = mention.sentence[max(0, mention.start - CUE_WINDOW) : mention.start]
    return bool(_FUTURE_CUE.search(window))


def _relation(mention: DateMention, pub_day: date | None) -> str:
    if pub_day is not None:
        return "scheduled" if mention.date > pub_day else "earlier"
    return "scheduled" if _is_scheduled_context(mention) else "earlier"


def _event_phrase(mention: DateMention, max_chars: int = 160) -> str:
    """The clause naming the dated happening: 'a US-Russia security summit in Geneva on the 9th and 10th of January'."""
    sentence = mention.sentence
    end = mention.start + len(mention.expression)
    clause_start = max(sentence.rfind(sep, 0, mention.start) for sep in (", ", "; ", " — ", " – ", ": "))
    clause_start = 0 if clause_start < 0 else clause_start + 2
    nouns = list(_EVENT_NOUN.finditer(sentence, clause_start, mention.start))
    if nouns:
        start = _phrase_start(sentence, nouns[-1].start(), clause_start)
        if _EVENT_VERB.match(nouns[-1].group(0)) and mention.start - clause_start <= SHORT_CLAUSE:
            start = clause_start  # "meet in Geneva on ..." needs its subject: "Representatives of ... plan to meet"
    else:  # the noun follows the date: "a January 10 US-Russia security meeting"
        after = _EVENT_NOUN.search(sentence, end, end + (25 if mention.kind == "month" else 60))
        if after is None:
            return ""
        start, end = _phrase_start(sentence, mention.start, clause_start), after.end()
    return sentence[start:end].strip(' ,;."“”')[:max_chars]


_STOP_BACK = {
    "that",
    "but",
    "and",
    "or",
    "which",
    "who",
    "to",
    "for",
    "with",
    "before",
    "after",
    "ahead",
    "of",
    "comes",
    "came",
    "is",
    "was",
    "will",
    "be",
    "by",
    "as",
    "in",
    "at",
    "marked",
    "since",
}
SHORT_CLAUSE = 100


def _phrase_start(sentence: str, anchor: int, floor: int) -> int:
    # Back up over the anchor's modifiers to its determiner ("a US-Russia security summit"), at most 5 words.
    words = list(re.finditer(r"\S+", sentence[floor:anchor]))[-5:]
    start = anchor
    for word in reversed(words):
        token = word.group(0).lower()
        if token in ("a", "an", "the", "their", "its", "his", "her"):
            return floor + word.start()
        if token in _STOP_BACK:
            break
        start = floor + word.start()
    return start


def _resolve(kind: str, match: re.Match, published: date | None, lexicon: _Lexicon) -> tuple[date, str] | None:
    try:
        if kind == "weekday":
            if published is None:
                return None
            if _tense(match, window=CUE_WINDOW, weak=True) == "future":  # "will testify on Wednesday": the coming one
                return _next_weekday(lexicon.weekdays[match.group("weekday").lower()], published), "day"
            return _last_weekday(lexicon.weekdays[match.group("weekday").lower()], published), "day"
        if kind == "relative":
            if published is None:
                return None
            offset = lexicon.relative_days.get(match.group("relative").lower(), 0)
            return published + timedelta(days=offset), "day"
        month = lexicon.months[match.group("month").lower().rstrip(".")]
        year = int(match.group("year")) if match.group("year") else None
        day = int(match.group("day")) if kind == "day" else 1
        if year is None:
            if published is None:
                return None
            year = _year_for(month, day, published, _tense(match))
        return date(year, month, day), ("day" if kind == "day" else "month")
    except (ValueError, KeyError):
        return None  # "February 30", a stray number


def _range_end(match: re.Match, first: date) -> date | None:
    day2 = match.groupdict().get("day2")
    if not day2:
        return None
    try:
        end = first.replace(day=int(day2))
    except ValueError:
        return None
    return end if 0 < (end - first).days <= 14 else None


def _tense(match: re.Match, window: int = 60, weak: bool = False) -> str | None:
    """'future' / 'past' from the cue word nearest before the date ("will meet on", "met in"), else None."""
    before = match.string[max(0, match.start() - window) : match.start()]
    future = [m.end() for m in _FUTURE_CUE.finditer(before)]
    past = [m.end() for m in (_WEAK_PAST_CUE if weak else _PAST_CUE).finditer(before)]
    if not future and not past:
        return None
    # ">=": "scheduled"/"planned" are future cues although they end in -ed.
    return "future" if max(future, default=-1) >= max(past, default=-1) else "past"


def _year_for(month: int, day: int, published: date, tense: str | None) -> int:
    # The year that puts the date nearest to publication, unless the sentence's tense says otherwise
    # ("met in Geneva in June", said in December, is the last June).
    year = _nearest_year(month, day, published)
    candidate = date(year, month, day)
    if tense == "past" and candidate > published:
        year -= 1
    elif tense == "future" and candidate < published:
        year += 1
    return year


def _next_weekday(weekday: int, published: date) -> date:
    ahead = (weekday - published.weekday()) % 7
    return published + timedelta(days=ahead)


def _last_weekday(weekday: int, published: date) -> date:
    back = (published.weekday() - weekday) % 7
    return published - timedelta(days=back)


def _nearest_year(month: int, day: int, published: date) -> int:
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - published).days)).year
