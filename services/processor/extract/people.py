"""People: canonical full names (within-article coreference) and the country the text gives them.

"Biden", "Mr Biden", "US President Joe Biden" -> "Joe Biden": a surname joins the full name that ends with
it (same first initial for two full names: "Mary Cheney" != "Elizabeth Cheney"); a surname seen alone is
completed from the body ("Psaki" -> "Jen Psaki"). A person's country is read from the words just before a
mention ("US President", "his Russian counterpart", "Kremlin aide") or a following apposition.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from services.processor.extract.gazetteer import TITLE_WORDS, Gazetteer
from services.processor.extract.given_names import can_be_first_name
from services.processor.extract.names import Cluster, Mention, clean_person_name, is_title_case, whole_words

_INSTITUTION_CUES = {
    "Kremlin": "RUS",
    "White House": "USA",
    "Pentagon": "USA",
    "Downing Street": "GBR",
    "Elysee": "FRA",
    "Beijing": "CHN",
    "Moscow": "RUS",
    "Washington": "USA",
    "Kyiv": "UKR",
    "Kiev": "UKR",
}


def person_clusters(mentions: list[Mention], full_text: str) -> list[Cluster]:
    names = [(_title_safe_name(clean_person_name(m.text), m, full_text), m) for m in mentions]
    names = [(n, m) for n, m in names if n]
    full_names = Counter(n for n, _ in names if len(n.split()) >= 2)
    by_surname: dict[str, Counter] = defaultdict(Counter)
    for name, count in full_names.items():
        by_surname[name.split()[-1]][name] += count
    clusters: dict[str, Cluster] = {}
    for name, m in names:
        surname = name.split()[-1]
        if len(name.split()) == 1:
            canonical = (
                _canonical_full_name(surname, by_surname, full_text) or _sole_first_name(name, full_names) or name
            )
        else:  # "Joe Biden" ~ "Joseph R. Biden" (same initial) but "Mary Cheney" != "Elizabeth Cheney"
            same_initial = [n for n, _ in by_surname[surname].most_common() if n[0] == name[0]]
            canonical = same_initial[0] if same_initial else name
        cluster = clusters.setdefault(canonical, Cluster(canonical, "person"))
        cluster.aliases.update({m.text, name} | ({surname} if _sole_bearer(surname, by_surname) else set()))
        cluster.first = min(cluster.first, m.start)
        cluster.in_title |= m.in_title
    return list(clusters.values())


def _sole_first_name(name: str, full_names: Counter) -> str | None:
    # "Elizabeth" alone, in an article about Elizabeth Cheney: the one full name with that first name.
    matches = {full for full in full_names if full.split()[0] == name}
    return matches.pop() if len(matches) == 1 else None


def _sole_bearer(surname: str, by_surname: dict[str, Counter]) -> bool:
    # A bare "Cheney" cannot be resolved when the article names two Cheneys.
    return len({n.split()[0][0] for n in by_surname.get(surname, {})}) <= 1


def _title_safe_name(name: str | None, m: Mention, full_text: str) -> str | None:
    # Title Case headlines fool spaCy: "...Bill Clinton to Ask Sestak to Drop Out" gives PERSON "Ask Sestak".
    # A headline-only full name that the body never repeats is reduced to its surname and re-completed.
    if name and m.in_title and len(name.split()) >= 2 and full_text.count(name) < 2:
        title = full_text.partition("\n")[0]
        if is_title_case(title) and re.search(rf"\b{re.escape(name.split()[-1])}\b", full_text[len(title) :]):
            return name.split()[-1]
    return name


def _canonical_full_name(surname: str, by_surname: dict[str, Counter], full_text: str) -> str | None:
    if surname in by_surname:
        return by_surname[surname].most_common(1)[0][0]
    title, _, body = full_text.partition("\n")
    return _first_name_from(surname, body) or _first_name_from(surname, title)


def _first_name_from(surname: str, full_text: str) -> str | None:
    # The lead says "Psaki"; the body says "Jen Psaki" somewhere: take the most frequent first name.
    firsts = Counter(
        m.group(1)
        for m in re.finditer(rf"\b([A-Z][a-z]+(?:\s[A-Z]\.)?)\s+{re.escape(surname)}\b", full_text)
        if m.group(1).split()[0].lower() not in TITLE_WORDS and can_be_first_name(m.group(1).split()[0])
    )
    return f"{firsts.most_common(1)[0][0]} {surname}" if firsts else None


def person_country(cluster: Cluster, full_text: str, gaz: Gazetteer, others: Iterable[Cluster] = ()) -> str | None:
    """The country most mentions of the person are given; `others`: the article's other people, whose names end
    the phrase a cue is read from."""
    votes: Counter[str] = Counter()
    own = {w for name in cluster.aliases | {cluster.name} for w in name.split()}
    other_words = {w for c in others for name in c.aliases | {c.name} for w in name.split()} - own
    for alias in sorted(cluster.aliases | {cluster.name}, key=len, reverse=True):
        for match in whole_words(alias).finditer(full_text):
            cue = _cue_before(full_text[max(0, match.start() - 45) : match.start()], gaz, other_words) or _cue_after(
                full_text[match.end() : match.end() + 45], gaz
            )
            if cue:
                votes[cue] += 1
    return votes.most_common(1)[0][0] if votes else None


_DOTTED_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")  # "U.S.": an abbreviation, no sentence break


def _cue_before(window: str, gaz: Gazetteer, other_people: Collection[str] = frozenset()) -> str | None:
    """The country of the noun phrase right before a name: cut at line, sentence and clause breaks, at
    "and"/"with"/..., and after another person's name ("The Kremlin said Putin told Biden": the Kremlin is
    Putin's); the dots of "U.S." break nothing."""
    window = _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", ""), window)
    window = re.split(r"[\n.;:!?\"“”]|,|\band\b|\bwith\b|\bto\b|\bby\b|\bfrom\b|\bof\b(?!\s+state)", window)[-1]
    people = [m for m in re.finditer(r"[A-Z][\w'’-]*", window) if m.group(0) in other_people]
    if people:
        window = window[people[-1].end():]
    for phrase, iso3 in _INSTITUTION_CUES.items():
        if phrase in window:
            return iso3
    words = re.findall(r"[A-Z][\w.'’]*(?:\s+[A-Z][a-z]+)?", window)
    for word in reversed(words):
        for candidate in (word, word.split()[0]):
            iso3 = gaz.country_of_cue(candidate)
            if iso3:
                return iso3
    return None


def _cue_after(window: str, gaz: Gazetteer) -> str | None:
    match = re.match(
        r"^,\s+(?:the\s+|a\s+)?([A-Z][\w.'’]*)\s+(?:president|leader|prime minister|foreign minister|"
        r"minister|official|spokesman|spokeswoman|aide|ambassador|envoy|king|chancellor)",
        window,
    )
    return gaz.country_of_cue(match.group(1)) if match else None
