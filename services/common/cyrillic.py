"""Russian words: lemma and name tags from a dictionary, and a Latin spelling.

pymorphy3 with its OpenCorpora dictionary (pymorphy3-dicts-ru, both MIT, the data in the wheel) gives each
word's lemma and dictionary tags: Name (given name), Surn (surname), Patr (patronymic), Geox (place), Orgn
(organization). The Latin spelling is the Wikipedia romanization (iuliia's `WIKIPEDIA` schema), the usual
English spelling of Russian names (Путин -> Putin, Лавров -> Lavrov, Зеленский -> Zelensky). Names
romanized from English come back phonetically (Байден -> Bayden): the dedup compares surnames by sound
for that (`dedup.clusterer._spelled_as_event`).

Only Russian: the dictionary is Russian and the schemas are for Russian letters, so a word with the
Ukrainian, Belarusian or Serbian letters і ї є ґ ў ј is left as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_NOT_RUSSIAN = re.compile(r"[іїєґўјљњћђѕџІЇЄҐЎЈЉЊЋЂЅЏ]")
PERSON_TAGS = ("Name", "Surn", "Patr")
PLACE_TAG, ORGANIZATION_TAG = "Geox", "Orgn"
_NAME_TAGS = (*PERSON_TAGS, PLACE_TAG, ORGANIZATION_TAG)


class RussianWord(NamedTuple):
    lemma: str             # the dictionary form, lowercase ("путину" -> "путин")
    tag: str | None        # the name tag of the parse taken (Name/Surn/Patr/Geox/Orgn), None if none
    known: bool            # the dictionary has the word (else pymorphy3 guessed)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _romanize():
    import iuliia

    return iuliia.WIKIPEDIA.translate


def is_russian(word: str) -> bool:
    return bool(CYRILLIC.search(word)) and not _NOT_RUSSIAN.search(word)


@lru_cache(maxsize=65_536)
def russian_word(word: str, capitalized: bool) -> RussianWord:
    """Lemma and name tag of one Russian word (lowercase in, lowercase lemma out).

    Capitalized in the text, a parse with a name tag is taken whatever its probability ("Газа" is Gaza, "Марта"
    a given name); lowercase, only when it is as probable as the most probable parse ("газа" is gas, "марта"
    of March). A word the dictionary lacks keeps its written form unless the guessed lemma is the word minus
    an ending ("байдена" -> "байден") or the guess is a man's name or surname, which declines regularly
    ("зеленскому" -> "зеленский"); "рютте" stays, not the guessed woman's name "рютта"."""
    morph = _morph()
    parses = morph.parse(word)
    top = parses[0].score
    named = [p for p in parses if any(t in p.tag for t in _NAME_TAGS) and (capitalized or p.score >= top)]
    best = named[0] if named else parses[0]
    known = morph.word_is_known(word)
    lemma = best.normal_form
    tag = next((t for t in _NAME_TAGS if t in best.tag), None)
    if not known and not word.startswith(lemma) and not (tag in PERSON_TAGS and "masc" in best.tag):
        return RussianWord(word, None, False)
    return RussianWord(lemma, tag, known)


def romanized(text: str) -> str:
    """Latin spelling of Russian text (Wikipedia romanization); other text unchanged."""
    if not is_russian(text):
        return text
    return _romanize()(text)


@lru_cache(maxsize=65_536)
def latin_name_token(token: str) -> str:
    """A lowercase Russian token that names someone or somewhere ("путину"), as its romanized lemma
    ("putin"), so that a keyword match crosses scripts the way names do; any other token unchanged (common
    words are compared within their own language)."""
    if not is_russian(token):
        return token
    word = russian_word(token, capitalized=False)
    return romanized(word.lemma) if word.tag is not None else token
