"""Russian and Ukrainian words: lemma and name tags from a dictionary, and a Latin spelling.

pymorphy3 with its dictionaries (pymorphy3-dicts-ru: OpenCorpora; pymorphy3-dicts-uk: VESUM; MIT, the data in
the wheels) gives each word's lemma and dictionary tags: Name (given name), Surn (surname), Patr (patronymic),
Geox (place), Orgn (organization). The Latin spelling of Russian is the Wikipedia romanization (iuliia's
`WIKIPEDIA` schema), the usual English spelling of Russian names (Путин -> Putin, Лавров -> Lavrov, Зеленский ->
Zelensky); of Ukrainian, the national standard (`UKRAINIAN_ROMANIZATION`: Путін -> Putin, Зеленський ->
Zelenskyi). Names romanized from English come back phonetically (Байден -> Bayden, Baiden): the dedup compares
surnames by sound for that (`dedup.clusterer._spelled_as_event`).

A word is Ukrainian when it has a letter Russian lacks (і ї є ґ), or when the article is in Ukrainian; other
Cyrillic words are read as Russian. Belarusian, Serbian, Bulgarian... (ў ј љ) are left as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_OTHER_CYRILLIC = re.compile(r"[ўјљњћђѕџЎЈЉЊЋЂЅЏ]")  # Belarusian, Serbian, Macedonian: no dictionary here
PERSON_TAGS = ("Name", "Surn", "Patr")
PLACE_TAG, ORGANIZATION_TAG = "Geox", "Orgn"
_NAME_TAGS = (*PERSON_TAGS, PLACE_TAG, ORGANIZATION_TAG)
CYRILLIC_LANGUAGES = ("ru", "uk")

# Ukrainian to Latin: Resolution No. 55 of the Cabinet of Ministers of Ukraine, 27 January 2010 (the official
# romanization, used for passports and place names). Є, Ї, Й, Ю, Я have another spelling at the start of a word
# (`_UKRAINIAN_WORD_INITIAL`); the soft sign and the apostrophe are not written; "зг" is "zgh" (Згурський ->
# Zghurskyi), not "zh" (ж).
UKRAINIAN_ROMANIZATION = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
_UKRAINIAN_WORD_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UKRAINIAN_WORD = re.compile(r"[\u0400-\u04FF]+(?:['’ʼ][\u0400-\u04FF]+)*")  # an apostrophe inside a word only
_RUSSIAN_ONLY_LETTERS = re.compile(r"[ыэёъЫЭЁЪ]")  # a Russian name quoted in a Ukrainian text


class CyrillicWord(NamedTuple):
    lemma: str             # the dictionary form, lowercase ("путину" -> "путин")
    tag: str | None        # the name tag of the parse taken (Name/Surn/Patr/Geox/Orgn), None if none
    known: bool            # the dictionary has the word (else pymorphy3 guessed)


@lru_cache(maxsize=len(CYRILLIC_LANGUAGES))
def _morph(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=1)
def _romanize():
    import iuliia

    return iuliia.WIKIPEDIA.translate


def cyrillic_language(text: str, language: str | None = None) -> str | None:
    """The language this module reads `text` in: "uk" if it has a letter only Ukrainian writes, else the
    article's `language` if that is Russian or Ukrainian, else "ru"; None for text with no Cyrillic letter or
    with letters of a language there is no dictionary for."""
    if not CYRILLIC.search(text) or _OTHER_CYRILLIC.search(text):
        return None
    if _UKRAINIAN_LETTERS.search(text):
        return "uk"
    return language if language in CYRILLIC_LANGUAGES else "ru"


@lru_cache(maxsize=65_536)
def cyrillic_word(word: str, capitalized: bool, language: str = "ru") -> CyrillicWord:
    """Lemma and name tag of one Russian or Ukrainian word (lowercase in, lowercase lemma out).

    Capitalized in the text, a parse with a name tag is taken whatever its probability ("Газа" is Gaza, "Марта"
    a given name); lowercase, only when it is as probable as the most probable parse ("газа" is gas, "марта"
    of March; in Ukrainian, whose dictionary gives no probabilities, only when every parse is a name). A word
    the dictionary lacks keeps its written form unless the guessed lemma is the word minus an ending
    ("байдена" -> "байден") or the guess is a man's name or surname, which declines regularly ("зеленскому" ->
    "зеленский"); "рютте" stays, not the guessed woman's name "рютта"."""
    morph = _morph(language)
    parses = morph.parse(word)
    top = parses[0].score
    # grammeme sets, not `in tag`: the Ukrainian tag set has no Geox/Orgn, and `in` raises for a grammeme it lacks
    named = [p for p in parses if not p.tag.grammemes.isdisjoint(_NAME_TAGS) and (capitalized or p.score >= top)]
    if language == "uk":  # its dictionary scores every parse alike: no probability to go by
        if not capitalized and len(named) < len(parses):  # lowercase: a name only if it can be nothing else
            named = []  # ("віра" is faith, the given name Віра only when written so)
        named.sort(key=lambda p: p.normal_form != word)  # a nominative as written first: "юлія" is Yuliia, not Yulii
    best = named[0] if named else parses[0]
    known = morph.word_is_known(word)
    lemma = best.normal_form
    tag = next((t for t in _NAME_TAGS if t in best.tag.grammemes), None) if named else None
    if not known and not word.startswith(lemma) and not (tag in PERSON_TAGS and "masc" in best.tag.grammemes):
        return CyrillicWord(word, None, False)
    return CyrillicWord(lemma, tag, known)


def romanized(text: str, language: str | None = None) -> str:
    """Latin spelling of Russian (Wikipedia romanization) or Ukrainian text (`UKRAINIAN_ROMANIZATION`), by
    `cyrillic_language`; other text unchanged."""
    which = cyrillic_language(text, language)
    if which == "uk":
        return _UKRAINIAN_WORD.sub(lambda m: _ukrainian_in_latin(m.group()), text)
    return _romanize()(text) if which == "ru" else text


def _ukrainian_in_latin(word: str) -> str:
    if _RUSSIAN_ONLY_LETTERS.search(word):
        return _romanize()(word)
    out = []
    for i, letter in enumerate(word):
        lower = letter.lower()
        if lower == "г" and i and word[i - 1].lower() == "з":
            latin = "gh"
        elif i == 0 and lower in _UKRAINIAN_WORD_INITIAL:
            latin = _UKRAINIAN_WORD_INITIAL[lower]
        else:
            latin = UKRAINIAN_ROMANIZATION.get(lower, lower)
        if letter != lower and latin:  # "Щ" -> "Shch", in an all-capitals word "SHCH"
            latin = latin.upper() if word.isupper() and len(word) > 1 else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


@lru_cache(maxsize=65_536)
def latin_name_token(token: str, language: str | None = None) -> str:
    """A lowercase Russian or Ukrainian token that names someone ("путину", "путіна", "зеленського"; places too
    where the dictionary tags them, the Russian one), as its romanized lemma ("putin"), so that a keyword match
    crosses scripts the way names do; any other token unchanged (common words are compared within their own
    language). `language`: the article's (`cyrillic_language`)."""
    language = cyrillic_language(token, language)
    if language is None:
        return token
    word = cyrillic_word(token, False, language)
    return romanized(word.lemma, language) if word.tag is not None else token
