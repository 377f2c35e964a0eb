"""Actors the headline and lead do not name but the body does (regexes + gazetteer, no NER there).

NER runs on headline + lead only (speed); these cheap rules recover the body's recurring actors:
people whose surname recurs ("Harry Reid ... Reid said") or who carry an honorific ("President Obama"),
curated organizations ("Tea Party"), repeated acronyms ("AARP"), repeated multi-word names
("Secure America Now"), place governments ("Colorado officials"), parties ("Democratic lawmakers") and
generic collective actors ("police", "protesters").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from services.processor.extract.gazetteer import TITLE_WORDS, Gazetteer
from services.processor.extract.given_names import (
    can_be_first_name,
    can_be_surname,
    is_function_word,
    is_given_name,
    is_very_common_word,
)
from services.processor.extract.multilingual import opens_sentence
from services.processor.extract.names import (
    BODY_OFFSET,
    MIN_BODY_MENTIONS,
    MONTH_AND_DAY_NAMES,
    NON_PERSON_HEADS,
    ROLE_PREFIXES,
    Cluster,
    is_well_known,
    strip_possessive,
)

_HONORIFIC_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Senator|Rep|Gov|Governor|President|Speaker|Secretary(?: of [A-Z][a-z]+)?|Justice|"
    r"Judge|Mayor|Sheriff|Chancellor|Minister|Prime Minister|Attorney General)\.?\s+"
    r"((?:[A-Z][a-z]+\s+)?[A-Z][a-z][\w'’-]+)"
)


# Overlapping (lookahead) so that "Majority Leader Harry Reid" still yields "Harry Reid".
_NAME_BIGRAM = re.compile(
    r"(?=\b([A-Z][a-z]+(?:\s+[A-Z]\.|\s+[A-Z][a-z]+(?=\s+[A-Z][a-z]))?)\s+([A-Z][a-z][\w'’-]+)\b)"
)


_LEADER_TITLE = re.compile(
    r"\b(?:President|Prime Minister|Chancellor|Speaker)\s+(?:[A-Z][a-z]+\s+)?([A-Z][a-z][\w'’-]+)"
)


_ADMINISTRATION = re.compile(r"\b([A-Z][a-z]+)(?:['’]s)?\s+(?:administration|White House|campaign)\b")


_CAPITALIZED_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|for\s+|the\s+)?[A-Z][a-z]+){1,4}\b")


MAX_REPEATED_NAMES = 3


_PLACE_GOVERNMENT = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:['’]s)?\s+(?:officials|authorities|government|"
    r"lawmakers|legislators|leaders|attorney general|prosecutors)\b"
)


_ACRONYM = re.compile(r"\b(?:[A-Z]{3,6}|(?:[A-Z]\.){3,6})(?![\w.])")


# Capitals that are not organizations: datelines, units, shouting, media jargon.
_NOT_ORG_ACRONYMS = {
    "WASHINGTON",
    "NEW",
    "YORK",
    "CEO",
    "GDP",
    "USD",
    "EUR",
    "AM",
    "PM",
    "EST",
    "EDT",
    "GMT",
    "UTC",
    "IST",
    "PHOTO",
    "FILE",
    "VIDEO",
    "UPDATE",
    "AP",
    "AFP",
    "TV",
    "OK",
    "LGBT",
    "LOL",
    "MORE",
    "READ",
    "WATCH",
    "THE",
    "AND",
    "FOR",
    "BREAKING",
    "JUST",
    "IN",
    "ID",
    "DNA",
    "HIV",
}


# Gazetteer names that are too ambiguous to harvest from free English text (the other languages' acronyms of
# NATO, the UN and the EU are also a company's or a product's name in English text).
_AMBIGUOUS_ORG_KEYS = {"House", "Democratic", "Republican", "Democrat", "Senate", "UN", "EU", "OTAN", "Otan", "NAVO",
                       "ONU", "UE"}


_ORG_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}


# Generic collective actors (CAMEO's COP, OPP, LEG...): named by a common noun in headline or lead.
_GROUP_NOUNS = {
    "police": "police",
    "officers": "police",
    "protesters": "protesters",
    "protestors": "protesters",
    "demonstrators": "protesters",
    "plaintiffs": "plaintiffs",
    "defendants": "defendants",
    "lawmakers": "lawmakers",
    "legislators": "lawmakers",
    "voters": "voters",
    "students": "students",
    "teachers": "teachers",
    "workers": "workers",
    "conservatives": "conservatives",
    "liberals": "liberals",
    "activists": "activists",
    "rebels": "rebels",
    "militants": "militants",
    "insurgents": "insurgents",
    "separatists": "separatists",
    "troops": "troops",
    "soldiers": "troops",
    "residents": "residents",
    "prosecutors": "prosecutors",
    "immigrants": "immigrants",
    "migrants": "migrants",
    "refugees": "refugees",
    "critics": "critics",
    "supporters": "supporters",
    "officials": "officials",
    "companies": "companies",
}


_GROUP_PATTERN = re.compile(r"\b(" + "|".join(_GROUP_NOUNS) + r")\b", re.IGNORECASE)


# "Democratic lawmakers", "Democratic-led Senate", "GOP leaders": the party acts, as a group.
_PARTY_GROUP = re.compile(r"\b(Democrats?|Democratic|Republicans?|GOP|G\.O\.P\.)(?:-|\s+)[a-z]")


MAX_GROUPS = 3


MIN_BODY_GROUP_MENTIONS = 3


def body_clusters(title: str, body: str, gaz: Gazetteer, clusters: list[Cluster]) -> list[Cluster]:
    """Actors the lead does not name but the body keeps mentioning (regex + gazetteer, no NER).

    People: a full name whose surname recurs on its own ("Harry Reid ... Reid said") or after an honorific
    ("Sen. Reid"). Organizations/groups: the curated gazetteer names ("Tea Party", "Democrats").
    """
    known_tokens = {t for c in clusters for a in c.aliases | {c.name} for t in a.split()}
    found = _body_people(title, body, gaz, known_tokens) + _body_organizations(title, body, gaz, clusters)
    known_names = {c.name for c in clusters + found} | {a for c in clusters + found for a in c.aliases}
    found += _body_acronyms(title, body, gaz, known_names)
    found += _repeated_names(body, gaz, known_names | {c.name for c in found})
    found += _repeated_single_names(body, gaz, known_names | {c.name for c in found})
    found += _led_organizations(title, body, clusters + found)
    return found + _place_governments(f"{title}\n{body}", gaz, known_names | {c.name for c in found})


def _body_people(title: str, body: str, gaz: Gazetteer, known_tokens: set[str]) -> list[Cluster]:
    surname_counts = Counter(re.findall(r"\b[A-Z][a-z][\w'’-]+\b", body))
    honored = {strip_possessive(m.group(1).split()[-1]) for m in _HONORIFIC_NAME.finditer(body)}
    # A head of government named even once ("President Obama") is a main actor of most stories.
    leaders = {strip_possessive(m.group(1)) for m in _LEADER_TITLE.finditer(body)}
    honored |= {strip_possessive(m.group(1)) for m in _ADMINISTRATION.finditer(f"{title}\n{body}")}
    full_names: dict[str, Counter] = defaultdict(Counter)
    for match in _NAME_BIGRAM.finditer(body):
        first, surname = match.group(1), strip_possessive(match.group(2))
        if any(not can_be_first_name(t) or t.lower() in TITLE_WORDS or t in ROLE_PREFIXES for t in first.split()):
            continue
        full_names[surname][f"{first} {surname}"] += 1
    for surname in honored:
        if surname not in full_names and (surname_counts[surname] + title.count(surname) >= 2 or surname in leaders):
            full_names[surname][surname] += 1  # "President Obama" only: the surname is the name
    people = []
    for surname, variants in full_names.items():
        if surname in known_tokens or not _plausible_surname(surname, gaz):
            continue
        alone = surname_counts[surname] - sum(variants.values())
        if alone < 1 and surname not in honored:
            continue  # a capitalized pair seen once is as likely a place or a title as a person
        name = variants.most_common(1)[0][0]
        place = gaz.place(name)
        if (place is not None and is_well_known(place)) or gaz.organization(name) is not None:
            continue
        people.append(
            Cluster(
                name,
                "person",
                aliases={name, surname},
                first=BODY_OFFSET + body.find(name),
                in_title=bool(re.search(rf"\b{re.escape(surname)}\b", title)),
            )
        )
    return people


_LED_ORGANIZATION = re.compile(r"\b([A-Z][a-z][\w'’-]+?)(?:['’]s)?\s+(administration|campaign)\b")


def _led_organizations(title: str, body: str, clusters: list[Cluster]) -> list[Cluster]:
    """ "the Obama administration", "Romney's campaign": an organization led by a person the article names.

    Kept when the headline names it or the text does at least twice.
    """
    surnames = {c.name.split()[-1] for c in clusters if c.type == "person"}
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _LED_ORGANIZATION.finditer(f"{title}\n{body}"):
        if match.group(1) in surnames:
            name = f"{match.group(1)} {match.group(2)}"
            counts[name] += 1
            first.setdefault(name, match.start())
    return [
        Cluster(name, "organization", {name}, BODY_OFFSET + first[name], in_title=first[name] < len(title))
        for name, count in counts.items()
        if count >= MIN_BODY_MENTIONS or first[name] < len(title)
    ]


def _plausible_surname(token: str, gaz: Gazetteer) -> bool:
    place = gaz.place(token)  # "Obama" is also a small Japanese city: only well-known places disqualify
    return (
        token not in gaz.demonyms
        and (place is None or not is_well_known(place))
        and gaz.organization(token) is None
        and token.lower() not in TITLE_WORDS
        and token not in ROLE_PREFIXES
        and can_be_surname(token)
        and token not in MONTH_AND_DAY_NAMES
        and token not in NON_PERSON_HEADS
    )


def _body_organizations(title: str, body: str, gaz: Gazetteer, clusters: list[Cluster]) -> list[Cluster]:
    known = {c.name for c in clusters}
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    surfaces: dict[str, set[str]] = {}  # "IRS" for the Internal Revenue Service: how the headline may name it
    for match in _org_pattern(tuple(sorted(gaz.organizations, key=len, reverse=True))).finditer(body):
        key = match.group(0)
        if key in _AMBIGUOUS_ORG_KEYS:
            continue
        entry = gaz.organizations[key]
        counts[entry.name] += 1
        first.setdefault(entry.name, match.start())
        surfaces.setdefault(entry.name, set()).add(key)
    result = []
    for name, count in counts.items():
        if name in known or count < 1:
            continue
        entry = gaz.organization(name)
        result.append(
            Cluster(
                name,
                entry.kind if entry else "organization",
                aliases={name} | surfaces[name],
                first=BODY_OFFSET + first[name],
                in_title=name in title,
                country=entry.country if entry else None,
            )
        )
    return result


def _org_pattern(keys: tuple[str, ...]) -> re.Pattern:
    if keys not in _ORG_PATTERNS:
        _ORG_PATTERNS[keys] = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")
    return _ORG_PATTERNS[keys]


def _body_acronyms(title: str, body: str, gaz: Gazetteer, known: set[str]) -> list[Cluster]:
    """Organizations written as acronyms and repeated ("AARP", "N.A.A.C.P."): rarely anything else."""
    counts = Counter(m.group(0).replace(".", "") for m in _ACRONYM.finditer(f"{title}\n{body}"))
    result = []
    for acronym, count in counts.items():
        if count < MIN_BODY_MENTIONS or acronym in known or gaz.place(acronym) is not None:
            continue
        if acronym in gaz.demonyms or acronym in _NOT_ORG_ACRONYMS:
            continue
        entry = gaz.organization(acronym)
        name = entry.name if entry else acronym
        if name in known:
            continue
        result.append(
            Cluster(
                name,
                entry.kind if entry else "organization",
                aliases={acronym},
                first=BODY_OFFSET + body.find(acronym),
                in_title=acronym in title,
                country=entry.country if entry else None,
            )
        )
    return result


def _repeated_names(body: str, gaz: Gazetteer, known: set[str]) -> list[Cluster]:
    """Multi-word names the body repeats ("Secure America Now"): a named thing the lead missed."""
    counts = Counter(m.group(0) for m in _CAPITALIZED_NAME.finditer(body))
    known_tokens = {t for name in known for t in name.split()}
    result = []
    for name, count in counts.most_common():
        if count < MIN_BODY_MENTIONS or len(result) >= MAX_REPEATED_NAMES:
            break
        words = name.split()
        if (
            is_function_word(words[0])
            or words[0].lower() in TITLE_WORDS
            or words[0] in ROLE_PREFIXES
            or words[-1] in known_tokens
            or name in known
            or gaz.place(name) is not None
            or words[0] in MONTH_AND_DAY_NAMES
            or words[-1] in MONTH_AND_DAY_NAMES
        ):
            continue
        result.append(_body_name_cluster(name, body, gaz, "unknown"))
    return result


_SINGLE_NAME = re.compile(r"(?<![\w-])[A-Z][a-z]+[A-Z]?\w*(?![\w-])")  # not a piece of "Wal-Mart"


def _repeated_single_names(body: str, gaz: Gazetteer, known: set[str]) -> list[Cluster]:
    """One-word names the body keeps capitalizing mid-sentence ("Apple", "Medicare"): organizations.

    People are found by their full names; places, demonyms, given names, months and titles are skipped.
    """
    counts = Counter(m.group(0) for m in _SINGLE_NAME.finditer(body) if not opens_sentence(body, m.start()))
    known_tokens = {t for name in known for t in name.split()}
    result = []
    for name, count in counts.most_common():
        if count < MIN_BODY_GROUP_MENTIONS or len(result) >= MAX_REPEATED_NAMES:
            break
        if (
            name in known_tokens
            or is_function_word(name)
            or is_given_name(name)
            or is_very_common_word(name)
            or name.lower() in TITLE_WORDS
            or name in ROLE_PREFIXES
            or name in NON_PERSON_HEADS
            or name in MONTH_AND_DAY_NAMES
            or name in gaz.demonyms
            or gaz.place(name) is not None
        ):
            continue
        result.append(_body_name_cluster(name, body, gaz, "organization"))
    return result


def _body_name_cluster(name: str, body: str, gaz: Gazetteer, kind: str) -> Cluster:
    """A name only the body gives: the gazetteer's organization if it knows the name, else `kind`."""
    entry = gaz.organization(name)
    return Cluster(entry.name if entry else name, entry.kind if entry else kind, {name},
                   BODY_OFFSET + body.find(name), country=entry.country if entry else None)


def _place_governments(text: str, gaz: Gazetteer, known: set[str]) -> list[Cluster]:
    """ "Colorado officials", "Ukrainian authorities": the place's government acts."""
    result: dict[str, Cluster] = {}
    for match in _PLACE_GOVERNMENT.finditer(text):
        surface = match.group(1)
        iso3 = gaz.demonyms.get(surface)
        place = gaz.place(surface) if iso3 is None else gaz.places.get(gaz.country_names.get(iso3, ""))
        if place is None or place.kind not in ("country", "state", "city") or place.name in known:
            continue
        kind = "country" if place.kind == "country" else "organization"
        result.setdefault(
            place.name, Cluster(place.name, kind, {surface}, BODY_OFFSET + match.start(), country=place.country)
        )
    return list(result.values())


def group_clusters(title: str, lead: str, full_text: str, clusters: list[Cluster]) -> list[Cluster]:
    known = {c.name for c in clusters}
    found: dict[str, Cluster] = {}
    for match in _PARTY_GROUP.finditer(full_text):
        name = "Democrats" if match.group(1).startswith("Dem") else "Republicans"
        if name not in known:
            found.setdefault(name, Cluster(name, "group", {name}, BODY_OFFSET + match.start(), country="USA"))
    body_counts = Counter(_GROUP_NOUNS[m.group(1).lower()] for m in _GROUP_PATTERN.finditer(full_text))
    for offset, text in ((0, title), (len(title) + 1, lead), (BODY_OFFSET, full_text)):
        for match in _GROUP_PATTERN.finditer(text):
            name = _GROUP_NOUNS[match.group(1).lower()]
            if offset == BODY_OFFSET and body_counts[name] < MIN_BODY_GROUP_MENTIONS:
                continue  # outside headline and lead a group must recur to matter
            if name not in known and len(found) < MAX_GROUPS + 2:
                cluster = found.setdefault(name, Cluster(name, "group", {match.group(1)}, BODY_OFFSET + offset))
                cluster.aliases.add(match.group(1))
                cluster.in_title |= offset == 0
    return list(found.values())
