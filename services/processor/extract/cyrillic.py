"""Russian and Ukrainian names in capitalized runs: back to the nominative, their kind, cut where the kind
changes.

Both languages inflect names ("Путину", "Байдена", "с Зеленским", "Путіна"), so a name run matches nothing until
it is back in the nominative; the lemma and the kind (person, place, organization) come from the dictionary
(services/common/cyrillic.py). Romanization happens where a mention becomes English (multilingual.py).
"""

from __future__ import annotations

from collections.abc import Container

from services.common.cyrillic import (
    CYRILLIC,
    ORGANIZATION_TAG,
    PERSON_TAGS,
    PLACE_TAG,
    cyrillic_language,
    cyrillic_word,
    romanized,
)
from services.processor.extract.given_names import is_given_name
from services.processor.extract.names import GPE, ORG, PERSON

_LABEL_OF_TAG = {**dict.fromkeys(PERSON_TAGS, PERSON), PLACE_TAG: GPE, ORGANIZATION_TAG: ORG}


def names_in_run(run: str, opens_sentence: bool = False, language: str = "ru",
                 places: Container[str] = ()) -> list[tuple[str, str, str | None]]:
    """The names a capitalized run holds, each (as written, in the nominative, label).

    Russian writes a title's country and the name after it as one capitalized run ("президента России Юрий
    Ушаков", "США Владимир Путин"): the run is cut where the kind changes (place or organization vs person).
    Label: PERSON for given names, surnames and patronymics ("Владимиром Путиным" -> "Владимир Путин"), the
    place or organization tag otherwise, None for a word with no name tag ("Макрон", "Цзиньпин": the caller
    decides). A dictionary word with no name tag that opens a sentence ("Президент США ...") is the sentence's
    capital, not a name, and is dropped. `places`: place names in the nominative ("Росія", "Київ"), for the
    Ukrainian dictionary, which tags no places (`_read`)."""
    out: list[tuple[list[str], list[str], str | None]] = []
    for i, written in enumerate(run.split()):
        lemma, kind, known = _read(written, cyrillic_language(written, language) or language, places)
        if i == 0 and opens_sentence and known and kind is None:
            continue
        if out and (out[-1][2] == kind or None in (out[-1][2], kind)):
            written_words, lemmas, label = out[-1]
            out[-1] = (written_words + [written], lemmas + [lemma], label or kind)
        else:
            out.append(([written], [lemma], kind))
    return [(" ".join(w), " ".join(n), label) for w, n, label in out]


def _read(written: str, language: str, places: Container[str]) -> tuple[str, str | None, bool]:
    """(nominative, label, known to the dictionary) of one word of a run.

    Ukrainian needs more than its dictionary, which tags no places and not every given name: a place `places`
    knows is a place (before a surname tag: "Лондон"), an all-capitals word an abbreviation as written ("НАТО"
    would be a form of the name Ната), and a word with no name tag a person's where the given-name dictionary
    knows its Latin spelling ("Володимир", which the dictionary tags only as a common noun and the town)."""
    if language == "uk" and written.isupper() and len(written) > 1:
        return written, GPE if written in places else ORG, True
    word = cyrillic_word(written.lower(), True, language)
    lemma = _with_case(word.lemma, written)
    if language == "uk":
        if lemma in places or written in places:
            return lemma, GPE, word.known
        if word.tag is None and CYRILLIC.search(written) and is_given_name(romanized(lemma, language)):
            return lemma, PERSON, word.known
    return lemma, _LABEL_OF_TAG.get(word.tag) if word.tag else None, word.known


def _with_case(lemma: str, written: str) -> str:
    """The lemma in the written word's case: НАТО stays upper case, each capitalized part of a hyphenated
    name stays capitalized ("Ростов-на-Дону"), a Latin word is kept as written ("McDonald")."""
    if lemma == written.lower() or not any("а" <= c <= "я" or c == "ё" for c in lemma):
        return written
    if written.isupper() and len(written) > 1:
        return lemma.upper()
    parts, written_parts = lemma.split("-"), written.split("-")
    if len(parts) != len(written_parts):
        return lemma[:1].upper() + lemma[1:]
    return "-".join(p[:1].upper() + p[1:] if w[:1].isupper() else p for p, w in zip(parts, written_parts, strict=True))
