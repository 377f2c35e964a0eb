"""Is a capitalized word a first name? General knowledge from shipped data sets, no hand-made lists.

* given names: Jörg Michael's first-name dictionary (~48k names of 50+ countries, with how common each is
  per country) as shipped in the `gender-guesser` wheel (`gender_guesser/data/nam_dict.txt`);
* English nicknames: Carlton Northern's curated name/nickname pairs as shipped in the `nicknames` wheel
  ("Chuck" for Charles, which the first-name dictionary lacks);
* common words: wordfreq's English frequencies and spaCy's English stop words.

A headline in Title Case makes spaCy read "Ask Sestak" or "Plus Obama" as a full name; a capitalized word
that is a common English word ("Ask", "Plus", "Dear") and no known given name is not a first name, while
rare words ("Mitt", "Deval") and given names that are also words ("Bill", "Rand") are. A stop word is a
first name only where English speakers use it as one ("Will", "May"; not "The", a name elsewhere).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

COMMON_WORD_ZIPF = 3.5  # >= ~3 uses per million words: a word any English reader knows
_ENGLISH_COLUMNS = slice(30, 33)  # nam_dict.txt's frequency columns of Great Britain, Ireland and the USA


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]]]:
    """(every given name, those used in Great Britain, Ireland or the USA, short forms: ("Bill", "William"))."""
    names: set[str] = set()
    english: set[str] = set()
    short_forms: set[tuple[str, str]] = set()
    data = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("="):  # "=  Bill William": the same name
                short, full = line.split()[1:3]
                short_forms.update({(short, full), (full, short)})
            if line[:1] in "#=" or not line.strip():
                continue
            # '+' joins the parts of a compound name, written with a dash, a space or nothing.
            spellings = {line.split()[1].replace("+", sep) for sep in ("", " ", "-")}
            names.update(spellings)
            if line[_ENGLISH_COLUMNS].strip():
                english.update(spellings)
    return frozenset(names), frozenset(english), frozenset(short_forms)


def is_given_name(word: str) -> bool:
    return word in _dictionary()[0]


def is_english_given_name(word: str) -> bool:
    """A given name used in Great Britain, Ireland or the USA ("Julia", "Newton"; not "Tokio" or "Medina")."""
    return word in _dictionary()[1]


def same_given_name(a: str, b: str) -> bool:
    """ "Bill" = "William", "Liz" = "Elizabeth" (the dictionary's equivalences), "Chuck" = "Charles" (a
    nickname of it); else spelled alike."""
    if a.lower() == b.lower() or (a.capitalize(), b.capitalize()) in _dictionary()[2]:
        return True
    nicknames = _nicknames()
    return b.lower() in nicknames.get(a.lower(), ()) or a.lower() in nicknames.get(b.lower(), ())


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Name -> its nicknames, lower case ("charles" -> {"chuck", "charlie", ...}); a direct pair only, not
    two nicknames of one name ("Chuck" is not "Charlie")."""
    from nicknames import NickNamer

    return {name: frozenset(nicks) for name, nicks in NickNamer().nickname_lookup.items()}


@lru_cache(maxsize=100_000)
def is_common_word(word: str) -> bool:
    from services.common.word_frequency import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= COMMON_WORD_ZIPF


VERY_COMMON_WORD_ZIPF = 5.0  # >= 1 use per 100,000 words: "God", "Internet"


@lru_cache(maxsize=100_000)
def is_very_common_word(word: str) -> bool:
    from services.common.word_frequency import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= VERY_COMMON_WORD_ZIPF


def is_function_word(word: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    return word.lower() in STOP_WORDS


def can_be_first_name(word: str) -> bool:
    """False for "The", "Ask", "Lecturing"; True for "Barack", "Will", "Mitt"."""
    word = word.rstrip(".")
    if len(word) == 1:
        return word.isupper()  # an initial: "J. Edgar Hoover"
    if is_function_word(word):
        return word in _dictionary()[1]
    return is_given_name(word) or not is_common_word(word)


def can_be_surname(word: str) -> bool:
    """False for capitalized function words ("Also", "Meanwhile"); surnames may be common words ("Rice", "Bush")."""
    return not is_function_word(word.rstrip("."))
