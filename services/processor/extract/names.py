"""Shared vocabulary of the entity stages: mentions, clusters and the word lists that tell names apart."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from services.processor.extract.gazetteer import TITLE_WORDS, GeoEntry
from services.processor.extract.given_names import can_be_first_name


@lru_cache(maxsize=8192)
def whole_words(*forms: str) -> re.Pattern:
    """Any of the forms as whole words, tried in the given order. Compiled once per name set: the names of a
    story recur over its articles, and these patterns churned re's own 512-pattern cache (~1,100
    recompilations per 128 articles)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")

PERSON, ORG, NORP, GPE, LOC, FAC = "PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"


PLACE_LABELS = {GPE, LOC, FAC}


_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


_NAME_TOKEN = re.compile(r"^[A-Z][A-Za-z'’.\-]*$")


BIG_CITY = 300_000  # a PERSON/ORG label is overridden only by a well-known place


BODY_OFFSET = 10**6  # body-only actors come after every headline/lead actor in reading order


MIN_BODY_MENTIONS = 2


@dataclass(frozen=True)
class Mention:
    text: str
    label: str
    start: int  # char offset in the NER input (headline first)
    in_title: bool = False
    written: str = ""  # the text's words where `text` is their English name ("Stati Uniti"; ru/uk: the nominative)


@dataclass
class Cluster:
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    first: int = 10**9
    in_title: bool = False
    country: str | None = None
    # a person's surname written alone names them; False where it names an organization called after them
    # (`entities._eponymous_organizations`: "Ford" is Ford Motor Company, not William Clay Ford)
    owns_surname: bool = True
    # offsets of mentions whose reader chose them one by one (country adjectives outside English): counted
    # besides the aliases, as a scan of the text for their words would also count the ones it left out
    # ("statunitense GM") and those inside a longer word ("Koreaanse" in "Noord-Koreaanse")
    counted: list[int] = field(default_factory=list)


# Last words that make a capitalized name an institution or a place, never a person.
NON_PERSON_HEADS = {
    "County",
    "City",
    "State",
    "University",
    "College",
    "Street",
    "Avenue",
    "Department",
    "Party",
    "Court",
    "Police",
    "Council",
    "Committee",
    "Agency",
    "Island",
    "Islands",
    "River",
    "Lake",
    "Mountain",
    "Mountains",
    "Airport",
    "Hospital",
    "School",
    "Church",
    "Center",
    "Centre",
    "Park",
    "Bridge",
    "Hotel",
    "Company",
    "Inc",
    "Corp",
    "Group",
    "Bank",
    "Times",
    "Post",
    "News",
    "Journal",
    "Association",
    "Institute",
    "Foundation",
    "Act",
    "Bill",
    "Day",
    "Week",
    "Cup",
    "Games",
    "Awards",
    "Award",
    "Prize",
    "Show",
    "Ministry",
    "Office",
    "Service",
    "Force",
    "Army",
    "Navy",
    "Forces",
    "Reserve",
    "Fund",
    "Board",
    "Commission",
    "Senate",
    "House",
    "Assembly",
    "Parliament",
    "Congress",
    "Square",
    "Road",
    "Station",
    "Stadium",
    "Hall",
    "Club",
    "Union",
    "League",
}


# Capitalized words that introduce a name as its role or institution ("Kremlin aide", "White House ...").
ROLE_PREFIXES = {
    "Kremlin",
    "White",
    "House",
    "Press",
    "Secretary",
    "Foreign",
    "Defense",
    "Defence",
    "Minister",
    "President",
    "Prime",
    "Vice",
    "Senator",
    "Governor",
    "Mayor",
    "Chancellor",
    "Ambassador",
    "Spokesman",
    "Spokeswoman",
    "Adviser",
    "Advisor",
    "Aide",
    "Chief",
    "General",
    "Justice",
    "Judge",
    "Speaker",
    "Leader",
    "Rep",
    "Sen",
    "Gov",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Sen.",
    "US",
    "U.S.",
    "UK",
    "Russian",
    "American",
    "Ukrainian",
    "Chinese",
    "British",
    "French",
    "German",
    "Israeli",
    "Iranian",
    "State",
    "Department",
    "Attorney",
    "Republican",
    "Democratic",
    "Democrat",
    "GOP",
    "Congressman",
    "Congresswoman",
    "Representative",
    "Former",
    "Commander",
    "Colonel",
    "Captain",
    "Lieutenant",
    "Sergeant",
    "Officer",
    "Detective",
    "Sheriff",
    "Pope",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Lord",
    "Lady",
    "Dame",
    "Rev",
    "Reverend",
}


MONTH_AND_DAY_NAMES = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}


def is_title_case(title: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def is_well_known(place: GeoEntry) -> bool:
    return place.kind in ("country", "region", "continent", "state") or place.population >= BIG_CITY


def clean_person_name(text: str) -> str | None:
    """'US President Joe Biden' -> 'Joe Biden'; 'Kremlin aide Yuri Ushakov' -> 'Yuri Ushakov'; 'Mr Putin's' -> 'Putin'.

    The name is the run of capitalized tokens after the last title/role word; None if nothing name-like is left.
    """
    tokens = [t.strip(',;:()"“”') for t in strip_possessive(text.strip()).replace("’", "'").split()]
    tokens = [t for t in tokens if t]
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        bare = token.rstrip(".").removesuffix("'s")
        if bare.lower() in TITLE_WORDS or bare in ROLE_PREFIXES or token.endswith("'s"):
            cut = i + 1
    tokens = tokens[cut:]
    if tokens and tokens[-1].rstrip(".") in ("Jr", "Sr") and len(tokens) > 2:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[-1] in _TRAILING_NON_NAMES:
        tokens = tokens[:-1]  # "Biden tells Putin US will ..." gives PERSON "Putin US"
    if len(tokens) == 2 and not can_be_first_name(tokens[0]):
        tokens = tokens[1:]  # "Plus Obama", "Ask Sestak": a capitalized common word, not a first name
    if not tokens or len(tokens) > 4 or not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    if len(tokens) == 1 and tokens[0].lower().rstrip(".") in TITLE_WORDS:
        return None
    return " ".join(tokens)


_TRAILING_NON_NAMES = {"US", "U.S.", "UK", "U.K.", "EU", "UN", "NATO", "Nato", "GOP"}


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())
