"""Is a capitalized word a first name? General knowledge from two shipped data sets, no hand-made lists.

* given names: Jörg Michael's first-name dictionary (~48k names of 50+ countries) as shipped in the
  `gender-guesser` wheel (`gender_guesser/data/nam_dict.txt`);
* common words: wordfreq's English frequencies and spaCy's English stop words.

A headline in Title Case makes spaCy read "Ask Sestak" or "Plus Obama" as a full name; a capitalized word
that is a common English word ("Ask", "Plus", "Dear") and no known given name is not a first name, while
rare words ("Mitt", "Deval") and given names that are also words ("Will", "Bill", "Rand") are.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

COMMON_WORD_ZIPF = 3.5  # >= ~3 uses per million words: a word any English reader knows


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    names: set[str] = set()
    data = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            if line[:1] in "#=" or not line.strip():
                continue
            name = line.split()[1]
            # '+' joins the parts of a compound name, written with a dash, a space or nothing.
            names.update(name.replace("+", sep) for sep in ("", " ", "-"))
    return frozenset(names)


def is_given_name(word: str) -> bool:
    return word in given_names()


@lru_cache(maxsize=100_000)
def is_common_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= COMMON_WORD_ZIPF


def is_function_word(word: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    return word.lower() in STOP_WORDS


def can_be_first_name(word: str) -> bool:
    """False for "The", "Ask", "Lecturing"; True for "Barack", "Will", "Mitt"."""
    word = word.rstrip(".")
    if len(word) == 1:
        return word.isupper()  # an initial: "J. Edgar Hoover"
    if is_given_name(word):
        return True
    return not is_function_word(word) and not is_common_word(word)


def can_be_surname(word: str) -> bool:
    """False for capitalized function words ("Also", "Meanwhile"); surnames may be common words ("Rice", "Bush")."""
    return not is_function_word(word.rstrip("."))
