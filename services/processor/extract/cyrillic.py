"""Russian names: inflected Cyrillic mentions to their nominative, their kind, and a Latin spelling.

Russian inflects names ("Путину", "Байдена", "с Зеленским"), so a name run is matched to nothing until it is
back in the nominative. pymorphy3 with its OpenCorpora dictionary (pymorphy3-dicts-ru, both MIT, the data in
the wheel) gives each word's lemma and its dictionary tags: Name (given name), Surn (surname), Patr
(patronymic), Geox (place), Orgn (organization). The Latin spelling is the Wikipedia romanization
(iuliia's `WIKIPEDIA` schema), which gives the usual English spelling of Russian names (Путин -> Putin,
Лавров -> Lavrov, Зеленский -> Zelensky); names romanized from English come back phonetically (Байден ->
Bayden), so those match an English "Biden" only through the multilingual embedding, not by name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from services.processor.extract.names import GPE, ORG, PERSON

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_PERSON_TAGS = ("Name", "Surn", "Patr")
_LABEL_OF_TAG = {"Geox": GPE, "Orgn": ORG}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _romanize():
    import iuliia

    return iuliia.WIKIPEDIA.translate


@lru_cache(maxsize=65_536)
def _word(word: str) -> tuple[str, str | None, bool]:
    """(nominative, kind of name or None, whether the dictionary knows the word) of one capitalized word:
    the dictionary's parse with a name tag, else its most probable parse."""
    morph = _morph()
    parses = morph.parse(word)
    named = [p for p in parses if any(t in p.tag for t in (*_PERSON_TAGS, *_LABEL_OF_TAG))]
    best = named[0] if named else parses[0]
    kind = None
    if any(t in best.tag for t in _PERSON_TAGS):
        kind = PERSON
    else:
        kind = next((label for tag, label in _LABEL_OF_TAG.items() if tag in best.tag), None)
    return _with_case(best.normal_form, word), kind, morph.word_is_known(word.lower())


def _with_case(lemma: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return lemma.upper()  # НАТО, США
    return "-".join(part[:1].upper() + part[1:] for part in lemma.split("-"))


def names_in_run(run: str) -> list[tuple[str, str, str | None]]:
    """The names a capitalized run holds, each (as written, in the nominative, label), common words dropped.

    Russian writes a title's country and the name after it as one capitalized run ("президента России Юрий
    Ушаков", "США Владимир Путин"): the run is cut where the kind changes (place or organization vs person).
    Label: PERSON for given names, surnames and patronymics ("Владимиром Путиным" -> "Владимир Путин"), the
    place or organization tag otherwise, None for a word the dictionary lacks ("Цзиньпин": may be a name).
    A dictionary word with no name tag is a common word (a sentence-initial "Президент", the "Белого" of
    "Белого дома") and no name by itself."""
    out: list[tuple[list[str], list[str], str | None]] = []
    for written in run.split():
        lemma, kind, known = _word(written)
        if kind is None and known:
            out.append(([], [], None))  # a common word ends the name before it
            continue
        label = kind if kind is not None else (out[-1][2] if out and out[-1][0] else None)
        if out and out[-1][0] and (out[-1][2] == label or None in (out[-1][2], kind)):
            out[-1][0].append(written)
            out[-1][1].append(lemma)
            if out[-1][2] is None:
                out[-1] = (out[-1][0], out[-1][1], label)
        else:
            out.append(([written], [lemma], label))
    return [(" ".join(w), " ".join(n), label) for w, n, label in out if w]


def romanized(text: str) -> str:
    """Latin spelling of a Cyrillic name (Wikipedia romanization); text without Cyrillic unchanged."""
    if not CYRILLIC.search(text):
        return text
    return _romanize()(text)


@lru_cache(maxsize=65_536)
def latin_name_token(token: str) -> str:
    """A lowercase Cyrillic token that the dictionary tags as a name ("путину"), as its romanized nominative
    ("putin"), so that a keyword match can cross scripts the way names do; any other token unchanged (common
    words are compared within their own language)."""
    if not CYRILLIC.search(token):
        return token
    lemma, kind, _ = _word(token)
    return romanized(lemma).lower() if kind is not None else token
