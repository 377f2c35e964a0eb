"""Measure extraction (`newsfuse eval-extraction DATASET.jsonl`); the last printed line is one JSON object.

Main entities (rows with `gold_main_entities`, BASIL): precision, recall and F1 of the extracted actors
under a strict name match; role accuracy where rows give `gold_actor1` / `gold_actor2`; and, labeled
`lenient_*`, the earlier recall-only figure (one shared word, a surname with any first name).

Strict match: a predicted actor names the gold person, organisation or group when
  * the names are equal after normalisation (case, accents, punctuation, possessive, a leading "the", a
    middle initial, a plural -s, spaces: "Wal-Mart" = "Walmart"), or are aliases of one gazetteer entry
    ("GOP" = "Republicans", "U.S." = "United States") or one is the other's acronym ("NRA");
  * two person names agree on first and last name, middle names aside ("Hillary Rodham Clinton"), the
    first names equal or short forms in the given-name dictionary ("Dave" = "David");
  * a bare surname names a full name only when the article names one person with that surname
    ("Cheney" names no one when the text has Mary and Liz Cheney);
  * a gold group "<X> <plural common noun>" ("Colorado officials", "GOP leaders") or "<X> <group>"
    ("Senate Republicans") names the members of X, resp. of the group: it matches an actor naming X,
    resp. the group. A gold "A and B" is matched by an actor naming either.
The match uses general knowledge only: the gazetteer, spaCy's English stop words, wordfreq's frequencies
and the given-name dictionary of `given_names.py`; no word list of its own.

Multilingual consistency (files whose events come in several languages, MEANTIME): the share of events
whose versions all have the same two top actors (as a set), and the same resolved event date.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

from services.processor.extract.gazetteer import load_gazetteer
from services.processor.extract.given_names import can_be_first_name, is_common_word, is_function_word, same_given_name

SURNAME_RATIO = 0.85  # lenient matcher only: annotator typos ("Kevil McCarthy")
TOP_ACTORS = 2
MAX_MISSES = 25


@dataclass(frozen=True)
class _Doc:
    title: str
    text: str
    published_at: datetime | None
    language: str | None
    outlet: str | None
    url: str | None
    gold: list[str]
    gold_roles: dict[str, str]  # "actor1"/"actor2" -> gold name
    event_label: str | None


def evaluate_extraction(path: Path, extractor=None) -> dict:
    """Run the extractor over a JSONL file; return main-entity scores, consistency and throughput."""
    docs = list(_read(Path(path)))
    if extractor is None:
        from services.processor.extract import EventExtractor

        extractor = EventExtractor()
    started = time.perf_counter()
    events = extractor.extract_many(docs)
    seconds = time.perf_counter() - started
    result: dict = {"dataset": str(path), "n_docs": len(docs)}
    result |= _main_entity_scores(docs, events)
    result |= _cross_language_consistency(docs, events)
    result |= {
        "mean_actors_per_doc": round(sum(len(e.actors) for e in events) / max(1, len(events)), 2),
        "event_date_from_text": round(sum(e.event_date.source == "text" for e in events) / max(1, len(events)), 4),
        "articles_per_second": round(len(docs) / seconds, 1) if seconds > 0 else None,
        "cpu_ms_per_article": round(1000 * seconds / max(1, len(docs)), 1),
    }
    return result


def _main_entity_scores(docs: Sequence[_Doc], events: Sequence) -> dict:
    gold_total = gold_found = predicted = predicted_right = lenient_found = 0
    roles_total = roles_right = 0
    misses: list[dict] = []
    for doc, event in zip(docs, events, strict=True):
        if not doc.gold:
            continue
        actors = [a.name for a in event.actors]
        text = f"{doc.title}\n{doc.text}"
        for gold in doc.gold:
            gold_total += 1
            lenient_found += entity_matches(gold, actors)
            if any(strict_match(gold, actor, text) for actor in actors):
                gold_found += 1
            elif len(misses) < MAX_MISSES:
                misses.append({"gold": gold, "title": doc.title[:80], "actors": actors[:8]})
        predicted += len(actors)
        predicted_right += _one_to_one_matches(doc.gold, actors, text)
        for role, gold in doc.gold_roles.items():
            roles_total += 1
            roles_right += any(a.role == role and strict_match(gold, a.name, text) for a in event.actors)
    precision = predicted_right / predicted if predicted else None
    recall = gold_found / gold_total if gold_total else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {
        "n_docs_with_gold": sum(bool(d.gold) for d in docs),
        "n_gold_entities": gold_total,
        "n_predicted_actors": predicted,
        "strict_precision": _round(precision),
        "strict_recall": _round(recall),
        "strict_f1": _round(f1),
        "n_gold_roles": roles_total,
        "role_accuracy": _round(roles_right / roles_total if roles_total else None),
        "lenient_recall_one_shared_word": _round(lenient_found / gold_total if gold_total else None),
        "examples_missed": misses,
    }


def _one_to_one_matches(gold: Sequence[str], actors: Sequence[str], text: str) -> int:
    """Predicted actors that match a gold entity no earlier actor matched: "Perry" and "Rick Perry" for gold
    "Rick Perry" are one right and one duplicate (a duplicate would otherwise raise precision)."""
    taken: set[int] = set()
    for actor in actors:
        hit = next((i for i, g in enumerate(gold) if i not in taken and strict_match(g, actor, text)), None)
        if hit is not None:
            taken.add(hit)
    return len(taken)


def _cross_language_consistency(docs: Sequence[_Doc], events: Sequence) -> dict:
    versions: dict[str, list[tuple[_Doc, object]]] = defaultdict(list)
    for doc, event in zip(docs, events, strict=True):
        if doc.event_label:
            versions[doc.event_label].append((doc, event))
    multilingual = {label: pairs for label, pairs in versions.items() if len({d.language for d, _ in pairs}) > 1}
    if not multilingual:
        return {}
    same_actors = same_date = 0
    disagreements: list[dict] = []
    for label, pairs in multilingual.items():
        tops = [frozenset(a.name for a in event.actors[:TOP_ACTORS]) for _, event in pairs]
        dates = [event.event_date.date for _, event in pairs]
        same_actors += len(set(tops)) == 1 and bool(tops[0])
        same_date += len(set(dates)) == 1 and dates[0] is not None
        if len(set(tops)) > 1 and len(disagreements) < MAX_MISSES:
            by_language = {d.language: sorted(t) for (d, _), t in zip(pairs, tops, strict=True)}
            disagreements.append({"event": label, "top_actors": by_language})
    n = len(multilingual)
    return {
        "n_multilingual_events": n,
        "languages": sorted({d.language or "und" for pairs in multilingual.values() for d, _ in pairs}),
        "same_top2_actors_share": round(same_actors / n, 4),
        "same_event_date_share": round(same_date / n, 4),
        "examples_top_actors_differ": disagreements,
    }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def eval_extraction_command(dataset: Path) -> None:
    """Evaluate extraction on DATASET.jsonl; the last printed line is one JSON object."""
    result = evaluate_extraction(dataset)
    for miss in result.get("examples_missed", [])[:10]:
        print(f"missed {miss['gold']!r} in {miss['title']!r}; actors: {', '.join(miss['actors'])}")
    for differ in result.get("examples_top_actors_differ", [])[:10]:
        print(f"top actors differ in {differ['event']}: {differ['top_actors']}")
    if result.get("strict_f1") is not None:
        print(
            f"main entities (strict): P {result['strict_precision']:.3f}  R {result['strict_recall']:.3f}  "
            f"F1 {result['strict_f1']:.3f}; "
            f"lenient recall (one shared word) {result['lenient_recall_one_shared_word']:.3f}"
        )
    print(json.dumps(result, ensure_ascii=False, default=str))


# ----------------------------------------------------------------------------- strict match


def strict_match(gold: str, actor: str, text: str = "") -> bool:
    """Does the extracted `actor` name the gold entity? `text` (the article) decides bare surnames."""
    return any(_names_same(part, actor, text) for part in _conjuncts(gold))


def _conjuncts(gold: str) -> list[str]:
    """ "Sasha and Malia Obama" -> both girls; "Nebraska and Oklahoma officials" -> both governments."""
    parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", gold) if p.strip()]
    if len(parts) != 2:
        return [gold]
    first, second = parts
    if " " not in first:  # the shared last word belongs to both: "Sasha and Malia Obama"
        return [gold, f"{first} {second.split()[-1]}" if " " in second else first, second]
    return [gold, first, second]


def _names_same(gold: str, actor: str, text: str) -> bool:
    if _same_referent(gold, actor) or _same_person(gold, actor):
        return True
    gold_words, actor_words = _normal(gold).split(), _normal(actor).split()
    if len(actor_words) == 1 and _is_person_name(gold) and actor_words[0] == gold_words[-1]:
        return len(_first_names_before(gold.split()[-1], text)) <= 1
    members_of = _group_of(gold)
    return members_of is not None and _same_referent(members_of, actor)


def _same_person(a: str, b: str) -> bool:
    """ "Hillary Rodham Clinton" = "Hillary Clinton", "Dave Brat" = "David Brat": first and last name agree."""
    if not (_is_person_name(a) and _is_person_name(b)):
        return False
    words_a, words_b = _normal(a).split(), _normal(b).split()
    return words_a[-1] == words_b[-1] and same_given_name(words_a[0], words_b[0])


def _same_referent(a: str, b: str) -> bool:
    keys_a, keys_b = _keys(a), _keys(b)
    return bool(keys_a & keys_b) or _acronym(a) in keys_b or _acronym(b) in keys_a


def _keys(name: str) -> set[str]:
    """The normalised name, its gazetteer canonical name, without spaces ("wal mart" = "walmart")."""
    gaz = load_gazetteer()
    forms = {name}
    entry = gaz.organization(name) or gaz.place(name)
    if entry is not None:
        forms.add(entry.name)
    keys = {_normal(f) for f in forms}
    return {k.replace(" ", "") for k in keys if k}


def _acronym(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name) if not is_function_word(w)]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


def _group_of(gold: str) -> str | None:
    """ "Colorado officials" -> "Colorado"; "Senate Republicans" -> "Republicans"; else None."""
    words = gold.split()
    if len(words) < 2:
        return None
    head, modifier = words[-1], " ".join(words[:-1])
    gaz = load_gazetteer()
    head_entry = gaz.organization(head)
    if head_entry is not None and head_entry.kind == "group":
        return head
    plural_common_noun = head.lower().endswith("s") and is_common_word(head) and gaz.place(head) is None
    return modifier if plural_common_noun and head_entry is None else None


def _is_person_name(name: str) -> bool:
    words = name.split()
    gaz = load_gazetteer()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and can_be_first_name(words[0])
        and gaz.organization(name) is None
        and gaz.place(name) is None
    )


def _first_names_before(surname: str, text: str) -> set[str]:
    """Distinct first names the article writes before `surname` ("Mary Cheney", "Liz Cheney")."""
    found = re.findall(rf"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?{re.escape(surname)}\b", text)
    return {f for f in found if can_be_first_name(f)}


def _normal(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = re.sub(r"['’]s\b", "", name)
    words = re.sub(r"[^a-z0-9 ]+", " ", name.replace(".", "")).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) >= 3:  # "michael g grimm" = "michael grimm"
        words = [w for i, w in enumerate(words) if len(w) > 1 or i in (0, len(words) - 1)]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


# ----------------------------------------------------------------------------- lenient match (labeled)


def entity_matches(gold: str, actor_names: Iterable[str]) -> bool:
    """Lenient: one shared content word, or a surname with any (or the same initial) first name."""
    actor_names = list(actor_names)
    if _is_person_name(gold):
        return any(_lenient_person(gold, name) for name in actor_names)
    gold_words = _content_words(gold)
    return any(gold_words & _content_words(name) for name in actor_names)


def _lenient_person(gold: str, actor: str) -> bool:
    gold_words, actor_words = _normal(gold).split(), _normal(actor).split()
    if not actor_words:
        return False
    if SequenceMatcher(None, gold_words[-1], actor_words[-1]).ratio() < SURNAME_RATIO:
        return False
    return len(actor_words) == 1 or gold_words[0][:1] == actor_words[0][:1]


def _content_words(name: str) -> set[str]:
    words = {w for w in _normal(name).split() if len(w) > 1 and not is_function_word(w)}
    return words | ({_normal(name).replace(" ", "")} if name.strip() else set())


def _read(path: Path) -> Iterable[_Doc]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            published = datetime.fromisoformat(row["published_at"]) if row.get("published_at") else None
            yield _Doc(
                title=row.get("title") or "",
                text=row.get("text") or "",
                published_at=published,
                language=row.get("language"),
                outlet=row.get("outlet"),
                url=row.get("url"),
                gold=list(row.get("gold_main_entities") or []),
                gold_roles={r: row[f"gold_{r}"] for r in ("actor1", "actor2") if row.get(f"gold_{r}")},
                event_label=row.get("event_label"),
            )
