"""Named-entity mentions -> canonical actors and places (pure; spaCy is run by the caller).

This module orchestrates the entity stage and fixes spaCy-sm's labels with gazetteer knowledge:
"Kiev" tagged PERSON is a place, "Crimea" tagged ORG is a place, "Biden" tagged GPE/ORG is a person
when the article names a person Biden, "Joe Biden & Vladimir Putin" is two people. Then:
  * people.py   - canonical full names (within-article coreference) and their countries;
  * harvest.py  - actors only the body names (NER sees headline + lead only);
  * places.py   - normalized places with ISO3 and coordinates;
  * here        - organizations/groups/NORP countries, acronym unification ("Nato" -> "NATO"),
                  salience ranking and the actor1/actor2 roles.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType

from schemas.extracted import Actor, Place
from services.common.cyrillic import CYRILLIC
from services.common.word_frequency import zipf_frequency
from services.processor.extract.demonyms import is_country_adjective
from services.processor.extract.gazetteer import Gazetteer
from services.processor.extract.given_names import can_be_first_name
from services.processor.extract.harvest import body_clusters, group_clusters
from services.processor.extract.names import (
    FAC,
    GPE,
    LOC,
    NON_PERSON_HEADS,
    NORP,
    ORG,
    PERSON,
    PLACE_LABELS,
    Cluster,
    Mention,
    clean_person_name,
    is_title_case,
    is_well_known,
    strip_possessive,
    whole_words,
)
from services.processor.extract.people import person_clusters, person_country
from services.processor.extract.places import build_places

_CONJUNCTION = re.compile(r"\s+(?:&|and)\s+|,\s+")


# Topic/location/time prepositions only ("after Geneva meeting": a when): the object of "against", "with" or
# "to" is a target, i.e. an actor.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:over|about|on|in|into|regarding|from|at|for|of|between|across|near|inside|"
    r"within|amid|throughout|after|before|during|since|until|ahead\s+of)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)


MAX_ACTORS = 12
MAIN_SHARE = 0.5


@dataclass(frozen=True)
class Entities:
    actors: list[Actor]
    places: list[Place]
    aliases: dict[str, str]  # surface form -> canonical actor name (quote speakers)


def build_entities(
    mentions: list[Mention], title: str, body: str, gaz: Gazetteer, lead: str = "", english: bool = True
) -> Entities:
    full_text = f"{title}\n{body}"
    lead = lead or body[:600]
    mentions = relabel(_cut_headline_runs(mentions, title, body, gaz), full_text, gaz)
    mentions = _drop_headline_case_noise(mentions, title, body, gaz)
    persons = [c for c in person_clusters([m for m in mentions if m.label == PERSON], full_text)
               if not _common_noun(c, full_text)]
    others = _other_clusters([m for m in mentions if m.label in (ORG, NORP)], full_text, gaz)
    countries = _headline_place_actors([m for m in mentions if m.label in PLACE_LABELS], title, gaz)
    clusters = _eponymous_organizations(_merge_same_name(persons + others + countries), full_text, gaz)
    clusters = _merge_short_forms(_merge_acronyms(clusters, full_text, gaz), full_text, gaz)
    if english:  # the body harvest reads English honorifics and collective nouns ("Sen.", "police")
        clusters += body_clusters(title, body, gaz, clusters)
        clusters += group_clusters(title, lead, full_text, clusters)
        clusters = _merge_acronyms(clusters, full_text, gaz)  # a harvested "National Rifle Association" + "NRA"
    people = [c for c in clusters if c.type == "person"]
    for cluster in people:
        cluster.country = person_country(cluster, full_text, gaz, people)
    actors = _rank_actors(clusters, full_text, title, gaz, lead)
    places = build_places([m for m in mentions if m.label in PLACE_LABELS], full_text, gaz, clusters)
    aliases = {alias: c.name for c in clusters for alias in c.aliases | {c.name}}
    return Entities(actors=actors, places=places, aliases=aliases)


def _common_noun(cluster: Cluster, full_text: str) -> bool:
    """A one-word "person" the article also writes in lower case is a common noun a Title Case headline
    capitalized ("Arson in Alaska", "Riot Breaks Out", "Fire at Waitrose"): no name is written so."""
    return " " not in cluster.name and whole_words(cluster.name.lower()).search(full_text) is not None


def relabel(mentions: list[Mention], full_text: str, gaz: Gazetteer) -> list[Mention]:
    mentions = [part for m in mentions for part in _split_conjoined(m)]
    person_tokens = _person_name_tokens(mentions, full_text)
    fixed = []
    for m in mentions:
        label = _corrected_label(m, person_tokens, gaz)
        if label:
            fixed.append(replace(m, label=label))
    return fixed


def _drop_headline_case_noise(mentions: list[Mention], title: str, body: str, gaz: Gazetteer) -> list[Mention]:
    """In Title Case headlines spaCy-sm tags runs of capitalized words ("Supreme Court Questions Claims").

    There, a headline entity is kept only if the body writes it the same way, or a gazetteer knows it,
    or (persons) its surname occurs in the body.
    """
    if not is_title_case(title):
        return mentions
    return [m for m in mentions if not m.in_title or _supported(m, body, gaz)]


def _cut_headline_runs(mentions: list[Mention], title: str, body: str, gaz: Gazetteer) -> list[Mention]:
    """A Title Case headline's run that `_drop_headline_case_noise` would drop keeps its longest known start
    ("Supreme Court Questions Claims" -> "Supreme Court", "Lindsay Lohan Checks" -> "Lindsay Lohan"): the
    words a headline runs on with are its verb and object, capitalized too. Before `relabel`, which then
    labels the start as any mention; a start that is the surname of a person the article names is that
    person ("Obama" of "Obama Mocks Congress", tagged ORG, is the president, not the town in Japan; that comes
    first, as spaCy-sm tags surnames as places too), else one the body tags as a place is that place ("Ground
    Zero" of "Ground Zero Mosque", tagged PERSON). A run not tagged as a place also keeps a one-word start that is
    the surname of someone the body names in full (`_body_surnames`: "Reid" of "Reid Breaks With Obama")."""
    if not is_title_case(title):
        return [_surname_run_on(m, body) for m in mentions]
    mentions = [part for m in mentions for part in _split_conjoined(m)]  # "Biden, Putin Trade ...": each name
    surnames = _person_name_tokens(mentions, f"{title}\n{body}")
    named_people = _body_surnames(mentions, body)
    # the body's own tags of its places: "Ground Zero" of "Ground Zero Mosque" is the site, no person
    place_labels = {strip_possessive(m.text): m.label for m in mentions if m.label in PLACE_LABELS and not m.in_title}
    out = []
    for m in mentions:
        whole = not m.in_title or _supported(m, body, gaz)
        # a run tagged as a place that starts with a surname is mostly a place named after someone ("Cook County")
        start = None if whole else _known_start(strip_possessive(m.text), body, gaz,
                                                frozenset() if m.label in PLACE_LABELS else named_people)
        if start:
            label = PERSON if start in surnames else place_labels.get(start, m.label)
            m = Mention(start, label, m.start, m.in_title)
        out.append(m)
    return out


def _body_surnames(mentions: list[Mention], body: str) -> frozenset[str]:
    """Surnames of the people the body names by given name and surname ("Harry Reid"), except words the body
    also writes in lower case ("Susan Rice" and "rice farmers"): what a headline's one-word person can be."""
    surnames = _full_name_surnames(m for m in mentions if not m.in_title)
    return frozenset(w for w in surnames if not whole_words(w.lower()).search(body))


def _surname_run_on(m: Mention, body: str) -> Mention:
    """In any headline, a two-word 'person' that starts with the surname of someone the body names by given name
    and surname, and whose second word the body never writes as a name (after a capitalized word), is that
    someone run on into the next capitalized word: "Putin tells Macron West ignored..." (the body: "Emmanuel
    Macron", "the West") names Macron, not a Macron West. A list ("Trump and Kim") is left to `relabel`."""
    words = strip_possessive(m.text).split()
    if not m.in_title or m.label != PERSON or len(words) != 2 or _CONJUNCTION.search(m.text) \
            or " ".join(words) in body:
        return m
    first, second = (re.escape(w) for w in words)
    named_in_full = any(can_be_first_name(match.group(1))
                        for match in re.finditer(rf"\b([A-Z][\w'’-]+) {first}\b(?!\s+[A-Z])", body))
    second_is_a_surname = re.search(rf"\b[A-Z][\w'’.-]* {second}\b", body) is not None  # "Carter W. Page"
    return Mention(words[0], PERSON, m.start, m.in_title) if named_in_full and not second_is_a_surname else m


def _supported(m: Mention, body: str, gaz: Gazetteer) -> bool:
    text = strip_possessive(m.text)
    return _known(text, body, gaz) or \
        (m.label == PERSON and re.search(rf"\b{re.escape(text.split()[-1])}\b", body) is not None)


def _known(text: str, body: str, gaz: Gazetteer) -> bool:
    return text in body or gaz.place(text) is not None or gaz.organization(text) is not None or text in gaz.demonyms


def _known_start(text: str, body: str, gaz: Gazetteer, people: frozenset[str]) -> str | None:
    """The longest run of the first words of `text` (fewer than all) that the body writes so or the gazetteer
    knows as a place or organization. One word only if the gazetteer knows it or it is in `people`, the
    surnames a person run can start with ("Reid Breaks With Obama": Harry Reid): a capitalized common word
    starts many body sentences."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        start = " ".join(words[:n])
        if (n > 1 and start in body) or gaz.place(start) is not None or gaz.organization(start) is not None \
                or (n == 1 and start in people):
            return start
    return None


def _split_conjoined(m: Mention) -> list[Mention]:
    """spaCy-sm tags "Joe Biden & Vladimir Putin" as one PERSON and "Biden, Putin trade" as one ORG: split.

    PERSON spans split on "&" / "and" / commas. Other spans only on commas (organization names contain
    "and"), and their pieces lose trailing lowercase words ("Putin trade" -> "Putin"); a piece is then
    relabeled by `_corrected_label` like any mention (a bare unknown token in such a list is a surname).
    """
    if m.label == PERSON and _CONJUNCTION.search(m.text):
        separator = _CONJUNCTION
    elif m.label in (ORG, GPE) and ", " in m.text:
        separator = re.compile(r",\s+")
    else:
        return [m]
    parts, offset = [], 0
    for piece in separator.split(m.text):
        start = m.text.find(piece, offset)
        offset = start + len(piece)
        piece = re.sub(r"(?:\s+[a-z][\w'’-]*)+$", "", piece.strip())
        if piece:
            label = m.label if m.label == PERSON else _LISTED_NAME
            parts.append(Mention(piece, label, m.start + start, m.in_title))
    return parts


_LISTED_NAME = "LISTED"  # a piece of a comma list spaCy tagged ORG/GPE: decided in _corrected_label


def _corrected_label(m: Mention, person_tokens: set[str], gaz: Gazetteer) -> str | None:
    text = strip_possessive(m.text)
    if m.label == _LISTED_NAME:
        if gaz.place(text) is not None:
            return GPE
        if gaz.organization(text) is not None or text.isupper() or len(text.split()) > 3:
            return ORG
        return PERSON
    if gaz.organization(text) is not None and m.label != PERSON:
        return ORG
    if m.label == PERSON:
        if _well_known_place(text, gaz) and text not in person_tokens:
            return GPE  # "Kiev" as PERSON
        if text.split()[-1] in NON_PERSON_HEADS:
            return ORG  # "Fulton County", "Vancouver Police": institutions and places, not people
        return PERSON
    if m.label in (GPE, ORG, LOC, NORP) and text in person_tokens and not _well_known_place(text, gaz):
        return PERSON  # "Biden" as GPE/ORG; "Perry" as NORP where the article names Rick Perry (Perry, Georgia)
    if m.label == ORG and _well_known_place(text, gaz):
        return GPE  # "Crimea" as ORG
    if m.label in (ORG, NORP, GPE, LOC, FAC):
        return m.label
    return None  # DATE, CARDINAL, ... are read by regex elsewhere


def _well_known_place(text: str, gaz: Gazetteer) -> bool:
    place = gaz.place(text)
    return place is not None and is_well_known(place)


def _person_name_tokens(mentions: list[Mention], full_text: str) -> set[str]:
    """Surnames the article itself marks as people: PERSON entities and 'Mr X' / 'President X'."""
    tokens = _full_name_surnames(mentions)
    for match in re.finditer(
        r"\b(?:Mr|Mrs|Ms|Dr|President|Sen|Senator|Gov|Governor|Rep)\.?\s+([A-Z][a-z]+)\b", full_text
    ):
        tokens.add(match.group(1))
    return tokens


def _full_name_surnames(mentions: Iterable[Mention]) -> set[str]:
    """Last words of the PERSON mentions that name someone by given name and surname ("Harry Reid": Reid)."""
    tokens: set[str] = set()
    for m in mentions:
        if m.label == PERSON:
            name = clean_person_name(m.text)
            if name and len(name.split()) >= 2:
                tokens.add(name.split()[-1])
    return tokens


def _other_clusters(mentions: list[Mention], full_text: str, gaz: Gazetteer) -> list[Cluster]:
    acronyms = _acronym_map(full_text)
    clusters: dict[str, Cluster] = {}
    for m in mentions:
        entry = _org_or_country(m, acronyms, gaz)
        if entry is None:
            continue
        name, kind, country = entry
        cluster = clusters.setdefault(name, Cluster(name, kind, country=country))
        if m.label == NORP and m.written:  # a country adjective outside English: counted where it was read
            cluster.counted.append(m.start)
        else:
            cluster.aliases.add(strip_possessive(re.sub(r"^(?:the|The)\s+", "", m.text)))
        cluster.first = min(cluster.first, m.start)
        cluster.in_title |= m.in_title
    return list(clusters.values())


def _org_or_country(m: Mention, acronyms: Mapping[str, str], gaz: Gazetteer) -> tuple[str, str, str | None] | None:
    text = strip_possessive(re.sub(r"^(?:the|The)\s+", "", m.text.strip())).strip(" :;,.-")
    if re.fullmatch(r"(?:[A-Z]\.){2,}", m.text.strip()):
        text = m.text.replace(".", "")  # "U.N." -> "UN" (clean_article undots 3+ letters only)
    org = gaz.organization(text) or gaz.organization(acronyms.get(text, ""))
    if org is not None:
        return org.name, org.kind, org.country
    if m.label == NORP:
        # a country adjective outside English comes named as its country (multilingual.py)
        iso3 = gaz.country_of_cue(text) if m.written else gaz.demonyms.get(text) or gaz.demonyms.get(text.rstrip("s"))
        if iso3:
            return gaz.country_names.get(iso3, text), "country", iso3
        return text, "group", None
    if len(text) < 2 or not text[0].isupper():
        return None
    name = acronyms.get(text, text)
    if name in acronyms and name.isupper():  # spelled out in the text: translations keep names, not acronyms
        name = acronyms[name]
    name = _without_legal_form(name)
    if name.isalpha() and len(name) <= 5 and name.upper() != name and name.upper() in acronyms.values():
        name = name.upper()  # "Nato" -> "NATO" when the text also writes it in capitals
    return name, "organization", _org_country(name, gaz)


def _without_legal_form(name: str) -> str:
    """ "General Motors Corporation" -> "General Motors", "Chrysler LLC" -> "Chrysler": outlets and languages
    differ in whether they write the legal form (cleanco's table of legal forms of many countries)."""
    from cleanco import basename

    return basename(name) or name


def _org_country(name: str, gaz: Gazetteer) -> str | None:
    # "US Air Force", "Russian Defence Ministry": the country is in the name.
    for word in name.replace("'s", "").split()[:2]:
        iso3 = gaz.country_of_cue(word)
        if iso3:
            return iso3
    return None


@lru_cache(maxsize=4)  # read three times per article (clusters, then acronyms before and after the body harvest)
def _acronym_map(full_text: str) -> Mapping[str, str]:
    """'North Atlantic Treaty Organization (NATO)' -> {'NATO': 'North Atlantic Treaty Organization'}."""
    mapping = {}
    for match in re.finditer(r"((?:[A-Z][a-z]+\s+(?:(?:for|of|and|the|on)\s+)*){1,8})\(([A-Z]{2,6})\)", full_text):
        words, acronym = match.group(1).split(), match.group(2)
        # the shortest capitalized tail that spells the acronym: a caption run into the sentence ("Logo of
        # General Motors General Motors Corporation (GM)") must not become part of the name
        for start in reversed(range(len(words))):
            initials = "".join(w[0] for w in words[start:] if w[0].isupper())
            if words[start][0].isupper() and (initials.endswith(acronym) or acronym in initials):
                long_name = " ".join(words[start:])
                mapping[acronym] = long_name
                mapping[long_name] = acronym
                break
    return MappingProxyType(mapping)  # shared by the cache: read-only


def _headline_place_actors(mentions: list[Mention], title: str, gaz: Gazetteer) -> list[Cluster]:
    """Governments named by their place act in headlines ("Russia warns...", "Nebraska and Oklahoma Sue
    Colorado"): such places are actors as well as places. Countries get type 'country'; states and
    cities (their governments) 'organization'. A place after a preposition ("over Ukraine") is a topic."""
    clusters: dict[str, Cluster] = {}
    for m in mentions:
        if not m.in_title or _PREPOSITION_BEFORE.search(title[max(0, m.start - 30) : m.start]):
            continue
        place = gaz.place(strip_possessive(m.text))
        if place is None or place.kind not in ("country", "state", "city"):
            continue
        kind = "country" if place.kind == "country" else "organization"
        cluster = clusters.setdefault(place.name, Cluster(place.name, kind, country=place.country))
        # as the text writes it too: counted and found in the headline by those words ("Stati Uniti")
        cluster.aliases |= {strip_possessive(m.text), strip_possessive(m.written or m.text)}
        cluster.first = min(cluster.first, m.start)
        cluster.in_title = True
    return list(clusters.values())


def _merge_same_name(clusters: list[Cluster]) -> list[Cluster]:
    merged: dict[str, Cluster] = {}
    for cluster in clusters:
        if cluster.name in merged:
            target = merged[cluster.name]
            target.aliases |= cluster.aliases
            target.counted += cluster.counted
            target.first = min(target.first, cluster.first)
            target.in_title |= cluster.in_title
            target.country = target.country or cluster.country
        else:
            merged[cluster.name] = cluster
    return list(merged.values())


def _eponymous_organizations(clusters: list[Cluster], full_text: str, gaz: Gazetteer) -> list[Cluster]:
    """A company called after a person ("Ford Motor Company", William Clay Ford): where the headline names the
    organization and not the person, and the text uses the surname alone as the organization's short name
    (`_short_forms_in_use`: "relieve Ford", "Ford's losses"), the surname alone is the organization's, as in the
    other language versions of the story; the person keeps only their full name. A surname that is no short
    name in use stays the person's ("Johnson & Johnson vaccine approved" beside "Boris Johnson said...")."""
    headline_heads = {c.name.split()[0] for c in clusters
                      if c.type == "organization" and " " in c.name and c.in_title}
    for person in clusters:
        surname = person.name.split()[-1]
        if person.type == "person" and " " in person.name and not person.in_title and surname in headline_heads:
            person.owns_surname, had_alias = False, surname in person.aliases
            person.aliases.discard(surname)
            if surname not in {c.name for c in _short_forms_in_use(clusters, full_text, gaz)}:
                person.owns_surname = True  # the organization does not take it: the person keeps it
                if had_alias:
                    person.aliases.add(surname)
    return clusters


def _merge_acronyms(clusters: list[Cluster], full_text: str, gaz: Gazetteer) -> list[Cluster]:
    """'National Association for the Advancement of Colored People' + 'NAACP' -> one cluster named 'NAACP'.

    An initialism NER did not tag ("Automaker GM to cut jobs": the body says "General Motors") names the
    organization whose capitalized words it spells, when the text writes it in capitals: the headline and the
    mention count then see it, and the name is the one the merge above gives."""
    acronyms = {c.name: c for c in clusters if c.name.isupper() and c.type != "person"}
    spelled_out = _acronym_map(full_text)
    names = {c.name for c in clusters}
    spellers = Counter(_initials(c.name) for c in clusters)
    kept = []
    for cluster in clusters:
        initials = _initials(cluster.name)
        target = acronyms.get(initials) if len(initials) >= 2 and initials != cluster.name else None
        if target is not None and cluster.type != "person":
            target.aliases |= cluster.aliases | {cluster.name}
            target.first = min(target.first, cluster.first)
            target.in_title |= cluster.in_title
            continue
        # only an unambiguous initialism: one organization spells it, nothing else is named so, and it is no
        # place ("US" of "Universal Studios" is the country)
        if cluster.type == "organization" and len(initials) >= 2 and len(cluster.name.split()) == len(initials) \
                and spellers[initials] == 1 and initials not in names and gaz.place(initials) is None \
                and whole_words(initials).search(full_text):
            cluster.aliases |= {cluster.name, initials}
            if initials not in spelled_out:  # named as when NER tags both forms (above), or as `_org_or_country`
                cluster.name = initials      # names a spelled-out one: one name in every language
        kept.append(cluster)
    return kept


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _merge_short_forms(clusters: list[Cluster], full_text: str, gaz: Gazetteer) -> list[Cluster]:
    """ "Apple Computer" + "Apple", "Dow Jones Industrial Average" + "Dow": one organization, under the short
    name every outlet and language uses (`_absorbed_by`: which longer organization a short name stands for)."""
    clusters = clusters + _short_forms_in_use(clusters, full_text, gaz)
    short = {c.name: c for c in clusters if c.type == "organization" and " " not in c.name}
    absorbed = set()
    for head, source in _absorbed_by(clusters, set(short)).items():
        target = short[head]
        target.aliases |= source.aliases | {source.name}
        target.first = min(target.first, source.first)
        target.in_title |= source.in_title
        target.country = target.country or source.country
        absorbed.add(id(source))
    return [c for c in clusters if id(c) not in absorbed]


def _absorbed_by(clusters: list[Cluster], heads: set[str]) -> dict[str, Cluster]:
    """Short name -> the one longer organization it stands for: the only one that starts with it, or of several
    ("Chrysler Group", "Chrysler Holding") the only one the headline names (the company the article is about)."""
    longer: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        head = cluster.name.split()[0]
        if cluster.type == "organization" and " " in cluster.name and head in heads:
            longer.setdefault(head, []).append(cluster)
    out = {}
    for head, candidates in longer.items():
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.in_title]
        if len(candidates) == 1:
            out[head] = candidates[0]
    return out


# Company short names are rarer words ("Chrysler" 3.55, "Boeing" 3.8 on wordfreq's Zipf scale) than the adjectives
# that start many organizations' names ("Islamic" 4.44, "Catholic" 4.55, "Muslim" 4.67); a common word is a short
# name only where the text writes it as a possessive ("Apple's": "apple" is 4.76).
SHORT_NAME_MAX_ZIPF = 4.0
# A word inside a sentence: after a letter, a digit or a comma-like sign and a space (a capital after a full
# stop may be any word starting a sentence).
_INSIDE_SENTENCE = r"(?<=[^\W_] |[,;:] )"


def _short_forms_in_use(clusters: list[Cluster], full_text: str, gaz: Gazetteer) -> list[Cluster]:
    """The short name a text writes for an organization NER found only in full: "Apple Computer" in the lead,
    "Apple" alone in the body (NER reads the headline and lead only). The first word of the name, written alone
    (not before another capitalized word) inside a sentence at least twice, never in lower case, that is no
    place, demonym (in any language: "Russische"), gazetteer organization ("Republican" is the Republicans) or
    word of a person's name, and is either a rare word (`SHORT_NAME_MAX_ZIPF`) or written as a possessive
    ("Apple's": a name, not the adjective of "Islamic State" or "Catholic Church"); only where it stands for
    one longer organization (`_absorbed_by`), which `_merge_short_forms` then merges into it."""
    taken = {name for c in clusters for name in c.aliases | {c.name} if " " not in name}
    person_words = {w for c in clusters if c.type == "person"  # less a surname that names a company
                    for w in (c.name.split() if c.owns_surname else c.name.split()[:-1])}
    first_alone: dict[str, int] = {}  # head -> where the text first writes it alone
    for cluster in clusters:
        head = cluster.name.split()[0]
        if cluster.type != "organization" or " " not in cluster.name or head in taken \
                or not head[:1].isupper() or full_text.count(head) < 2 or head in person_words \
                or head in gaz.demonyms or is_country_adjective(head) \
                or gaz.place(head) is not None or gaz.organization(head) is not None \
                or (head.lower() in full_text and whole_words(head.lower()).search(full_text)):
            continue
        alone = list(re.finditer(rf"{_INSIDE_SENTENCE}{re.escape(head)}\b(?!\s+[A-Z])(['’]s\b)?", full_text))
        possessive = any(m.group(1) for m in alone)
        if len(alone) >= 2 and (zipf_frequency(head.lower(), "en") < SHORT_NAME_MAX_ZIPF or possessive):
            first_alone[head] = alone[0].start()
    out = []
    for head, source in _absorbed_by(clusters, set(first_alone)).items():
        cluster = Cluster(head, "organization", country=source.country)
        cluster.first = first_alone[head]
        out.append(cluster)
    return out


def _rank_actors(clusters: list[Cluster], full_text: str, title: str, gaz: Gazetteer, lead: str) -> list[Actor]:
    counts, main = _main_actors(clusters, full_text, title, gaz, lead)
    ranked = sorted(main, key=lambda c: (-_salience(c, counts[c.name]), c.first))[:MAX_ACTORS]
    roles = _roles(clusters, main, title)
    return [
        Actor(
            name=c.name,
            type=c.type if c.type in ("person", "organization", "country", "group") else "unknown",
            country=c.country,
            role=roles.get(c.name, "other"),
            mentions=counts[c.name],
        )
        for c in ranked
    ]


def _main_actors(clusters: list[Cluster], full_text: str, title: str, gaz: Gazetteer,
                 lead: str) -> tuple[dict[str, int], list[Cluster]]:
    """(mentions of each cluster, the clusters the article is about: `_is_main`)."""
    counts = {c.name: max(1, _count_mentions(c, full_text)) for c in clusters}
    most = max(counts.values(), default=1)
    return counts, [c for c in clusters if _is_main(c, counts[c.name], most, title, gaz, f"{title}\n{lead}")]


def _is_main(cluster: Cluster, mentions: int, most: int, title: str, gaz: Gazetteer, opening: str) -> bool:
    """The article is about it: a person the headline names, or an actor named about as often as the
    most-named one (at least MAIN_SHARE as often) that is a person or in the headline. An organization or a
    country the body names often but the headline does not is the setting ("the Senate", "the United
    States"), not an actor; so is a generic group ("Republicans", "immigrants") the headline does not name,
    unless the article names it most; nor is an actor main that neither the headline nor the lead (`opening`)
    names, unless it is the most-named: what an article reports, it says first (README, "What extraction
    returns")."""
    if mentions < most and not (_named_in(cluster, opening) or any(at < len(opening) for at in cluster.counted)
                                or _in_romanized_headline(cluster, title)):
        return False
    in_headline = _in_headline(cluster, title, gaz)
    if mentions < MAIN_SHARE * most:
        return in_headline and cluster.type == "person"  # "Biden and Putin speak": both, however often named
    return cluster.type == "person" or in_headline or (cluster.type == "group" and mentions >= most)


def _forms(cluster: Cluster) -> set[str]:
    """The ways an article names the cluster: its aliases, and a person's surname."""
    forms = cluster.aliases | {cluster.name} | (
        {cluster.name.split()[-1]} if cluster.type == "person" and cluster.owns_surname else set())
    return forms - {""}


def _named_in(cluster: Cluster, text: str) -> bool:
    return any(whole_words(form).search(text) for form in _forms(cluster))


def _in_headline(cluster: Cluster, title: str, gaz: Gazetteer) -> bool:
    """Named in the headline as itself: "House" in "House Republicans vow..." names the Republicans. A person
    the name reader found in a headline of another script is there, though its romanized name is not
    ("Байден": Bayden)."""
    if cluster.type == "person" and _in_romanized_headline(cluster, title):
        return True
    if any(at < len(title) for at in cluster.counted):
        return True
    forms = _forms(cluster)
    for headline in {title, title.replace(".", "")}:  # "U.N." is "UN" (clean_article undots 3+ letters only)
        for form in forms:
            for match in whole_words(form).finditer(headline):
                following = re.match(r"\s+([A-Z][\w.]*)", headline[match.end() :])
                group = gaz.organization(following.group(1).rstrip(".").rstrip("'’s")) if following else None
                if cluster.type == "person" or group is None or group.kind != "group":
                    return True
    return False


def _in_romanized_headline(cluster: Cluster, title: str) -> bool:
    """The name reader found the cluster in a headline written mostly in Cyrillic (`_romanized`)."""
    return cluster.in_title and _romanized(title)


def _romanized(title: str) -> bool:
    """A headline written mostly in Cyrillic (Russian, Ukrainian; a Latin "NATO" or "G7" in it or not): its
    names are read romanized, so the headline itself never contains them as written."""
    return len(CYRILLIC.findall(title)) > len(_LATIN_LETTER.findall(title))


_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _salience(cluster: Cluster, mentions: int) -> float:
    return 3.0 * cluster.in_title + math.log1p(mentions) + (0.5 if cluster.type == "person" else 0.0)


def _roles(clusters: list[Cluster], main: list[Cluster], title: str) -> dict[str, str]:
    """actor1 = who acts, actor2 = to whom: the first two actors in reading order of headline then lead.

    Without a parser this is positional: headlines are written subject-first ("Putin warns Biden"), and
    a symmetric "Biden and Putin ..." keeps the order the outlet chose; a passive between the two
    ("Cheney blasted by sister") swaps them. Roles go to main actors (`main`): a subject that is none (an
    organization the headline names in passing: "Google fined by EU") leaves actor1 empty rather than make the
    object the subject, and a setting named second ("... at the White House") does not take actor2 from the
    main actor after it. Groups and unknown names never take a role.
    """
    ordered = sorted(
        (c for c in clusters if c.type in ("person", "organization", "country")),
        key=lambda c: (not c.in_title, c.first),
    )
    pair = ordered[:2]
    if len(pair) == 2 and all(c.in_title for c in pair) and _passive_between(pair, title):
        pair.reverse()
    is_main = {id(c) for c in main}.__contains__
    subject = pair[0] if pair and is_main(id(pair[0])) else None
    others = ([pair[1]] if len(pair) == 2 else []) + ordered[2:]
    target = next((c for c in others if is_main(id(c))), None)
    roles = {subject.name: "actor1"} if subject is not None else {}
    if target is not None:
        roles[target.name] = "actor2"
    return roles


_PASSIVE = re.compile(r"\b\w+(?:ed|en|wn)\s+by\b", re.IGNORECASE)


def _passive_between(pair: list[Cluster], title: str) -> bool:
    first, second = sorted(c.first for c in pair)
    return first < len(title) and bool(_PASSIVE.search(title[first : min(second, len(title))]))


def _count_mentions(cluster: Cluster, full_text: str) -> int:
    forms = {a for a in cluster.aliases | {cluster.name} if a}
    if cluster.type == "person" and cluster.owns_surname:
        forms = {cluster.name.split()[-1]}  # every full mention contains the surname
    return len(whole_words(*sorted(forms, key=len, reverse=True)).findall(full_text)) + len(cluster.counted)
