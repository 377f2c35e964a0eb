"""Direct quotes and who said them (regex over the cleaned body).

Speaker attribution, in order: a reporting clause next to the quote ('..., said White House Press
Secretary Jen Psaki', 'Mr Ushakov said ...', 'according to the Kremlin'), resolved to a canonical actor
name when the article names that person; a role phrase ('a senior US official') otherwise; a pronoun
('he said') inherits the previous speaker, and so does an unattributed quote that opens a sentence
right after an attributed one in the same paragraph ('“A,” X said. “B.”'). Adjacent fragments joined
by 'and' ('“serious” and “substantive”') are merged: outlets quote the same words split differently,
and corroboration across outlets needs the same string.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemas.extracted import Quote

_QUOTE = re.compile(r"“([^”“]{2,600})[”\"]|\"([^\"]{2,600})\"|‘([^’‘]{3,300})’(?!\w)")
_JOIN = re.compile(r"^\s*[,.]?\s*(?:and|or|,)\s*$")
_SPEECH_VERB = (
    r"(?:said|says|told|stated|added|described|called|warned|noted|wrote|declared|insisted|explained|argued|asked|"
    r"replied|responded|tweeted|posted|continued|acknowledged|claimed|recalled|urged|saying|remarked|testified|"
    r"announced|conceded|admitted|tells|emphasized|stressed)"
)
# A speaker phrase starts capitalized and may run through lowercase role words:
# "Putin's foreign policy advisor Yuri Ushakov"; the resolver keeps the name after the last role word.
_ROLE_WORDS = (
    r"(?:foreign|policy|press|secretary|advis[oe]r|aide|spokes(?:man|woman|person)|minister|senior|chief|"
    r"deputy|national|security|defen[cs]e|state|assistant|of|de|van|von|bin|al-\w+)"
)
_NAME = rf"(?:[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|{_ROLE_WORDS}(?=\s+[\w'’.-])))*)"
_ROLE = (
    r"(?:(?:a|an|the|one of the|one)\s+)?(?:(?:senior|top|former|different|other|unnamed|Russian|US|U\.S\.|"
    r"American|[A-Z][a-z]+|White House|Kremlin|administration|government|press|foreign|policy|military|"
    r"intelligence|state|defense|defence|security|campaign|union|party|police|company)\s+){0,4}"
    r"(?:official|officials|spokesman|spokeswoman|spokesperson|aide|adviser|advisor|source|diplomat|"
    r"minister|president|leader|statement|readout|analyst|lawmaker|senator|officer|administration|governor|"
    r"congressman|congresswoman|mayor|sheriff|chairman|chairwoman|candidate|spokesperson|prosecutor|lawyer|"
    r"attorney|expert|witness|resident|protester)"
)
# '..., said Mr Ushakov' / '..., Ushakov said' / 'the official said' / 'Putin's adviser Ushakov said'
_AFTER = re.compile(
    rf"^\W{{0,4}}\s*(?:{_SPEECH_VERB}\s+(?P<a>{_NAME}|{_ROLE})|(?P<b>{_NAME}|{_ROLE}|he|she|they)"
    rf"(?:,[^,]{{1,80}},)?\s+(?:{_SPEECH_VERB}|also\s+{_SPEECH_VERB}))"
)
# 'Mr Ushakov said: “...”' / 'He added: “...”' / 'according to X' before the quote
_BEFORE = re.compile(
    rf"(?P<s>{_NAME}|{_ROLE}|[Hh]e|[Ss]he|[Tt]hey)(?:,[^,]{{1,80}},)?\s+(?:also\s+|meanwhile\s+|then\s+|later\s+|\w+ly\s+)?"
    rf"{_SPEECH_VERB}(?:\s+[\w'’-]+){{0,8}}\s*[:,]?\s*$"
)
_ACCORDING = re.compile(rf"according to (?P<s>{_NAME}|{_ROLE})")
_PRONOUNS = {"he", "she", "they"}
MIN_QUOTE_WORDS = 2
CONTEXT_CHARS = 200


def extract_quotes(paragraphs: list[str], resolve_speaker: Callable[[str], str | None]) -> list[Quote]:
    quotes: list[Quote] = []
    last_speaker: str | None = None
    for paragraph in paragraphs:
        paragraph_speaker: str | None = None
        for text, before, after in _quote_spans(paragraph):
            if len(text.split()) < MIN_QUOTE_WORDS:
                continue
            raw = _speaker(before, after)
            if raw and raw.lower() in _PRONOUNS:
                speaker = last_speaker
            elif raw:
                speaker = resolve_speaker(raw)
            elif _only_quote(before, after):  # a paragraph that is nothing but a quote continues the speaker
                speaker = last_speaker
            elif paragraph_speaker and _starts_sentence(before):  # '“A,” X said. “B.”': B is X's too
                speaker = paragraph_speaker
            else:
                speaker = None
            last_speaker = speaker or last_speaker
            paragraph_speaker = speaker or paragraph_speaker
            quotes.append(Quote(text=text, speaker=speaker))
    return _dedupe(quotes)


def _quote_spans(sentence: str) -> list[tuple[str, str, str]]:
    """(quoted text, text before, text after) with adjacent 'x' and 'y' fragments merged."""
    matches = list(_QUOTE.finditer(sentence))
    spans: list[tuple[int, int, str]] = []
    for m in matches:
        text = next(g for g in m.groups() if g is not None).strip().strip(",")
        gap = sentence[spans[-1][1] : m.start()] if spans else ""
        if spans and _JOIN.match(gap):
            start, _, previous = spans.pop()
            glue = " and " if re.search(r"\band\b", gap) else (" or " if re.search(r"\bor\b", gap) else ", ")
            spans.append((start, m.end(), f"{previous.rstrip('.,')}{glue}{text}"))
        else:
            spans.append((m.start(), m.end(), text))
    # Attribution sits next to the quote: bounded context keeps the regexes linear on huge paragraphs.
    return [
        (text.rstrip(" ,.;:"), sentence[max(0, start - CONTEXT_CHARS) : start], sentence[end : end + CONTEXT_CHARS])
        for start, end, text in spans
    ]


def _starts_sentence(before: str) -> bool:
    return not before.strip() or before.rstrip()[-1] in '.:!?”"'


def _only_quote(before: str, after: str) -> bool:
    return not re.search(r"\w", before) and not re.search(r"\w", after)


def _speaker(before: str, after: str) -> str | None:
    raw = _raw_speaker(before, after)
    # A speaker phrase never runs over a sentence end: "said Putin's advisor Ushakov. However, ..."
    return re.split(r"(?<=[a-z]{2})\.(?:\s|$)", raw)[0].strip() if raw else None


def _raw_speaker(before: str, after: str) -> str | None:
    m = _AFTER.match(after)
    if m:
        return (m.group("a") or m.group("b")).strip()
    m = _BEFORE.search(before)
    if m:
        return m.group("s").strip()
    m = _ACCORDING.search(after) or _ACCORDING.search(before)
    if m:
        return m.group("s").strip()
    return None


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    seen: dict[str, int] = {}
    result: list[Quote] = []
    for quote in quotes:
        key = re.sub(r"\W+", " ", quote.text.lower()).strip()
        if key in seen:
            if result[seen[key]].speaker is None and quote.speaker:
                result[seen[key]] = quote
            continue
        seen[key] = len(result)
        result.append(quote)
    return result
