"""Places: spaCy GPE/LOC/FAC mentions plus gazetteer names in the body, normalized with coordinates."""

from __future__ import annotations

import calendar
import re

from schemas.extracted import Place
from services.processor.extract.gazetteer import Gazetteer, GeoEntry
from services.processor.extract.names import (
    Cluster,
    Mention,
    is_title_case,
    is_well_known,
    strip_possessive,
    whole_words,
)

_DIRECTION = re.compile(
    r"^(?:the\s+)?(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+",
    re.IGNORECASE,
)


_CAP_RUN = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w.'’-]*)*")


BODY_CITY = 100_000  # places found in the body by gazetteer scan (no NER there)
# A smaller town counts where the text puts something in it: "a Waitrose store in Banstead".
# "in March" is a time, though March is also a town (Cambridgeshire): month names never count here.
_LOCATIVE = re.compile(r"(?<!\w)(?:in|at|near)[ \t\u00a0]+$", re.IGNORECASE)
_RUN_PREFIX = re.compile(r"^(?:The|In|On|At|From|To)\s+")
_MONTHS = frozenset(calendar.month_name[1:])


MAX_PLACES = 12


def build_places(mentions: list[Mention], full_text: str, gaz: Gazetteer, clusters: list[Cluster]) -> list[Place]:
    person_tokens = {t for c in clusters if c.type == "person" for t in c.name.split()}
    # Blank out organization names, except governments named by their place ("Nebraska" sues...).
    org_aliases = {
        a for c in clusters if c.type in ("organization", "group") for a in c.aliases if gaz.place(a) is None
    }
    org_aliases |= {k for k in gaz.organizations if " " in k and k in full_text}
    outside_orgs = _blank_out(full_text, org_aliases)  # "...Cooperation in Europe" names no place
    found: dict[str, tuple[GeoEntry | None, str]] = {}
    for m in mentions:
        text = _DIRECTION.sub("", strip_possessive(m.text.strip()))
        if text not in outside_orgs:
            continue
        entry = gaz.place(text)
        if entry is None and gaz.organization(text) is not None:
            continue
        name = entry.name if entry else text
        if entry is None and _looks_like_name_part(text, full_text):
            continue  # "Kennedy" (Anthony Kennedy), "Malia" (Malia Obama): spaCy GPEs the gazetteer does not know
        if _common_word(text, entry, full_text):
            continue
        if name not in person_tokens and text[:1].isupper():
            found.setdefault(name, (entry, text))
    for entry in scan_places(outside_orgs, gaz, person_tokens) + _title_case_places(outside_orgs, gaz):
        found.setdefault(entry.name, (entry, entry.name))
    places = []
    for name, (entry, surface) in found.items():
        count = max(1, _count_place(entry, surface, full_text))
        places.append(
            Place(
                name=name,
                country=entry.country if entry else None,
                kind=entry.kind if entry else None,
                lat=entry.lat if entry else None,
                lon=entry.lon if entry else None,
                mentions=count,
            )
        )
    places.sort(key=lambda p: -p.mentions)
    return places[:MAX_PLACES]


def _looks_like_name_part(text: str, full_text: str) -> bool:
    if " " in text:
        return False
    pattern = rf"\b[A-Z][a-z]+\s+{re.escape(text)}\b|\b{re.escape(text)}\s+[A-Z][a-z]+"
    return re.search(pattern, full_text) is not None


def scan_places(
    text: str, gaz: Gazetteer, exclude_tokens: set[str] = frozenset(), extra: dict[str, GeoEntry] | None = None
) -> list[GeoEntry]:
    """Gazetteer places written in the text (no NER): whole capitalized runs only, to avoid 'Jesse Jackson'.

    `extra` adds names in another language ("Frankreich") for articles that get no NER.
    """
    found: dict[str, GeoEntry] = {}
    for match in _CAP_RUN.finditer(text):
        prefix = _RUN_PREFIX.match(match.group(0))
        written = match.group(0)[prefix.end() if prefix else 0:]
        run = strip_possessive(written)
        entry = _lookup(run, gaz, extra) or _lookup(run.rstrip("."), gaz, extra)  # "Mo." vs "Geneva."
        if entry is None or run in exclude_tokens:
            continue
        if entry.kind == "city" and entry.population < BODY_CITY and not _put_in(match, prefix, written, run):
            continue
        if _common_word(run, entry, text):
            continue
        found.setdefault(entry.name, entry)
    return list(found.values())


def _put_in(match: re.Match, prefix: re.Match | None, written: str, run: str) -> bool:
    """The run follows "in"/"at"/"near" ("a store in Banstead", "In Banstead, firefighters..."), is no month
    and no possessive ("in Clinton's remarks" is about a person: `written` is the run before `strip_possessive`)."""
    if run.rstrip(".") in _MONTHS or run != written:
        return False
    if prefix is not None:
        return prefix.group(0).split()[0] in ("In", "At")
    start = match.start()
    return _LOCATIVE.search(match.string, max(0, start - 8), start) is not None


def _common_word(name: str, entry: GeoEntry | None, text: str) -> bool:
    """A one-word town name that the same text also writes in lower case is that common word, capitalized at a
    sentence start or in a headline: "Man charged in hit and run" (Man, Ivory Coast) beside "a man has been
    charged"; "Rest" (an old name of Rasht) beside "the rest". Countries and regions are not in question."""
    if entry is None or entry.kind != "city" or " " in name or not name[:1].isupper():
        return False
    return re.search(rf"\b{re.escape(name.lower())}\b", text) is not None


def _title_case_places(full_text: str, gaz: Gazetteer) -> list[GeoEntry]:
    """In a Title Case headline every word is capitalized ("Suit Against Colorado Over Marijuana"), so
    capitalized runs are useless: look up its 1-3 word spans instead, well-known places only."""
    title = full_text.partition("\n")[0]
    if not is_title_case(title):
        return []
    words = re.findall(r"[A-Z][\w.'’-]*|\S+", title)
    found: dict[str, GeoEntry] = {}
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            span = strip_possessive(" ".join(words[i : i + size]).rstrip(".,:;"))
            entry = gaz.places.get(span)
            if entry is not None and is_well_known(entry) and not _common_word(span, entry, full_text):
                found.setdefault(entry.name, entry)
    return list(found.values())


def _lookup(name: str, gaz: Gazetteer, extra: dict[str, GeoEntry] | None) -> GeoEntry | None:
    return gaz.places.get(name) or (extra or {}).get(name)


def _blank_out(text: str, phrases: set[str]) -> str:
    # "Organization for Security and Cooperation in Europe" must not yield the place "Europe".
    for phrase in sorted(phrases, key=len, reverse=True):
        if len(phrase) > 3:
            text = text.replace(phrase, " " * len(phrase))
    return text


def _count_place(entry: GeoEntry | None, surface: str, full_text: str) -> int:
    forms = {surface} | ({entry.name} if entry else set())
    return len(whole_words(*sorted(forms, key=len, reverse=True)).findall(full_text))
