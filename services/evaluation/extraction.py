"""Measure extraction against BASIL's annotated main entities (`newsfuse eval-extraction DATASET.jsonl`).

main_entity_recall = matched gold entities / all gold entities (micro-averaged over documents), where a
gold entity is matched by an extracted actor of the same article under this name match:
  * person golds ("Kevin McCarthy": 2-4 capitalized words, no institution word): the surname must match
    an actor's surname (edit ratio >= 0.85, so annotator typos like "Kevil McCarthy" still count) and
    the first names must not contradict (same initial, or the actor is surname-only);
    "Bill Clinton" is therefore *not* matched by "Hillary Clinton";
  * other golds ("Senate Republicans", "Obama administration", "police"): at least one distinctive
    word (not a generic head such as officials/leaders/administration) equals an actor's word after
    light stemming (plural -s; GOP ~ Republican, Democratic ~ Democrat, protestors ~ protesters), or
    the names are equal once punctuation and spaces are dropped ("Wal-Mart" ~ "Walmart").
The name match is deliberately the same for every system: it never looks at how actors were found.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

_GENERIC = {
    "the",
    "of",
    "and",
    "for",
    "a",
    "an",
    "officials",
    "official",
    "leaders",
    "leader",
    "lawmakers",
    "administration",
    "campaign",
    "programs",
    "program",
    "members",
    "member",
    "group",
    "people",
    "u",
    "s",
    "us",
    "department",
    "party",
    "s.",
    "bill",
    "attacks",
    "rule",
    "couples",
    "with",
}
_INSTITUTION_WORDS = {
    "department",
    "agency",
    "association",
    "party",
    "court",
    "congress",
    "council",
    "committee",
    "campaign",
    "administration",
    "service",
    "officials",
    "lawmakers",
    "leaders",
    "republicans",
    "democrats",
    "programs",
    "attacks",
    "now",
    "america",
    "security",
}
SURNAME_RATIO = 0.85


@dataclass(frozen=True)
class _Doc:
    title: str
    text: str
    published_at: datetime | None
    language: str | None
    outlet: str | None
    url: str | None
    gold: list[str]


def evaluate_extraction(path: Path, extractor=None) -> dict:
    """Run the extractor over a BASIL-format JSONL file; return recall and throughput."""
    docs = list(_read(Path(path)))
    if extractor is None:
        from services.processor.extract import EventExtractor

        extractor = EventExtractor()
    started = time.perf_counter()
    events = extractor.extract_many(docs)
    seconds = time.perf_counter() - started
    gold_total = matched = docs_with_gold = 0
    misses: list[dict] = []
    for doc, event in zip(docs, events, strict=True):
        if not doc.gold:
            continue
        docs_with_gold += 1
        actor_names = [a.name for a in event.actors]
        for gold in doc.gold:
            gold_total += 1
            if entity_matches(gold, actor_names):
                matched += 1
            elif len(misses) < 25:
                misses.append({"gold": gold, "title": doc.title[:80], "actors": actor_names[:8]})
    return {
        "dataset": str(path),
        "n_docs": len(docs),
        "n_docs_with_gold": docs_with_gold,
        "n_gold_entities": gold_total,
        "main_entity_recall": round(matched / gold_total, 4) if gold_total else None,
        "mean_actors_per_doc": round(sum(len(e.actors) for e in events) / max(1, len(events)), 2),
        "event_date_from_text": round(sum(e.event_date.source == "text" for e in events) / max(1, len(events)), 4),
        "articles_per_second": round(len(docs) / seconds, 1) if seconds > 0 else None,
        "examples_missed": misses,
    }


def eval_extraction_command(dataset: Path) -> None:
    """Evaluate extraction on DATASET.jsonl; the last printed line is one JSON object."""
    result = evaluate_extraction(dataset)
    for miss in result["examples_missed"][:10]:
        print(f"missed {miss['gold']!r} in {miss['title']!r}; actors: {', '.join(miss['actors'])}")
    print(json.dumps(result, ensure_ascii=False, default=str))


def entity_matches(gold: str, actor_names: Iterable[str]) -> bool:
    actor_names = list(actor_names)
    if _looks_like_person(gold):
        return any(_person_match(gold, name) for name in actor_names)
    gold_words = _distinctive(gold)
    return any(gold_words & _distinctive(name) for name in actor_names) or any(
        _squash(gold) == _squash(name) for name in actor_names
    )


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not {w.lower() for w in words} & _INSTITUTION_WORDS
        and "and" not in words
    )


def _person_match(gold: str, actor: str) -> bool:
    gold_words, actor_words = _normal(gold).split(), _normal(actor).split()
    if not actor_words:
        return False
    if SequenceMatcher(None, gold_words[-1], actor_words[-1]).ratio() < SURNAME_RATIO:
        return False
    return len(actor_words) == 1 or gold_words[0][:1] == actor_words[0][:1]


def _distinctive(name: str) -> set[str]:
    words = {_stem(w) for w in _normal(name).split() if w not in _GENERIC and len(w) > 1}
    return words | ({_squash(name)} if len(_squash(name)) > 2 else set())


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())  # "Wal-Mart" == "Walmart", "N.R.A." == "NRA"


# Same-referent spellings of party words ("GOP leaders" names the Republicans).
_SYNONYMS = {"gop": "republican", "democratic": "democrat", "protestor": "protester"}


def _stem(word: str) -> str:
    for suffix in ("ies", "s"):
        if word.endswith(suffix) and len(word) > 4:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return _SYNONYMS.get(word, word)


def _normal(name: str) -> str:
    name = re.sub(r"['’]s\b", "", name.lower())
    return re.sub(r"[^a-z0-9 ]+", " ", name).strip()


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
            )
