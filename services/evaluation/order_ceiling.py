"""Is arrival order or the pair model what limits dedup on a file: `python -m services.evaluation.order_ceiling F.jsonl`.

Single pass places each article once, on the events that exist when it arrives, so its score moves with the
arrival order. Two figures with the same pair model (the leave-one-corpus-out one of a dev file, else the
shipped one) tell whether a clustering that does not depend on order would do better:
  * single pass (the product) in the file's stream order and in shuffled orders: min, mean, max BCubed F1;
  * order-free: average-linkage agglomerative clustering of the model's article-to-article join probabilities
    (each article scored against every other one as a one-article event, as the product scores a pair), cut at
    each threshold of a grid. The best cut is picked on the file itself: an in-sample ceiling for any
    order-free use of the model, not a figure the product could promise.
An order-free ceiling no higher than the single-pass mean says the pair evidence, not the order, is the limit.
Needs the evaluation extra (scipy, via scikit-learn). The last printed line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from schemas import ExtractedArticle
from services.evaluation.bench_quality import single_pass
from services.evaluation.metrics import evaluate
from services.evaluation.pipeline_quality import shuffled_order
from services.evaluation.runner import read_jsonl
from services.evaluation.train_dedup import analysed_stream

ORDER_SEEDS = tuple(range(100, 110))
CUTS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
# every article a candidate of every other: pairs the product's 8 candidates would skip still get scored
_ALL_CANDIDATES = 64


def pair_model_for(dataset: Path) -> tuple[dict, str]:
    """The pair model that never saw this dev file (params.json "loco"), else the shipped one; and which."""
    from services.processor.dedup.clusterer import load_params

    params = load_params()
    left_out = params.get("loco", {}).get(dataset.name)
    return (left_out, "leave-one-corpus-out") if left_out else (params, "shipped")


def pair_probabilities(articles: Sequence[ExtractedArticle], params: dict) -> np.ndarray:
    """Symmetric matrix of join probabilities: article i scored against article j's one-article event
    (vetoes and near-duplicates as at run time; 0 where j is not among i's candidates)."""
    from services.processor.dedup import Deduplicator
    from services.processor.dedup.clusterer import config_for

    # a threshold above 1 keeps every article in an event of its own (nothing joins, nothing is moved)
    config = config_for(params).model_copy(update={"threshold": 1.01, "candidates": _ALL_CANDIDATES,
                                                   "reconsider_lone_articles": False})
    dedup = Deduplicator(config, params=params)
    for article in articles:
        dedup.add(article)
    row_of = {dedup.event_of(a.article_id): i for i, a in enumerate(articles)}
    probs = np.zeros((len(articles), len(articles)))
    for i, article in enumerate(articles):
        for event_id, p, _ in dedup.score_candidates(article):
            j = row_of.get(event_id)
            if j is not None and j != i:
                probs[i, j] = p
    return (probs + probs.T) / 2


def order_free_labels(probs: np.ndarray, cut: float) -> list[str]:
    """Average-linkage clusters of a probability matrix: groups whose mean pair probability is >= cut."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(probs) < 2:
        return ["1"] * len(probs)
    distance = 1.0 - probs
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return [str(c) for c in fcluster(tree, 1.0 - cut, criterion="distance")]


def ceiling(dataset: Path, seeds: Sequence[int] = ORDER_SEEDS) -> dict:
    from services.processor.analyze import ArticleAnalyzer

    rows = read_jsonl(dataset)
    params, model = pair_model_for(dataset)
    analyzer = ArticleAnalyzer(cache_size=len(rows) + 1)  # every order after the first reads the cache
    shuffled = [single_pass(analyzer, rows, params, shuffled_order(len(rows), s))[0]["bcubed_f1"] for s in seeds]
    articles, gold = analysed_stream(dataset, analyzer)  # in stream order, as `newsfuse eval` feeds them
    probs = pair_probabilities(articles, params)
    cuts = {str(cut): evaluate(gold, order_free_labels(probs, cut))["bcubed_f1"] for cut in CUTS}
    best = max(cuts, key=lambda c: cuts[c])
    return {
        "dataset": dataset.name, "pair_model": model,
        "single_pass_file_order": single_pass(analyzer, rows, params)[0]["bcubed_f1"],
        "single_pass_shuffled": {"seeds": list(seeds), "min": min(shuffled), "mean": statistics.mean(shuffled),
                                 "max": max(shuffled)},
        "order_free_by_cut": cuts, "order_free_best_cut": float(best), "order_free_best": cuts[best],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--orders", type=int, default=len(ORDER_SEEDS), help="shuffled arrival orders")
    args = parser.parse_args(argv)
    result = ceiling(args.dataset, tuple(range(100, 100 + args.orders)))
    spread = result["single_pass_shuffled"]
    print(f"{result['dataset']} ({result['pair_model']} pair model): single pass BCubed F1 "
          f"{result['single_pass_file_order']:.3f} in file order, {spread['min']:.3f} · {spread['mean']:.3f} · "
          f"{spread['max']:.3f} over {len(spread['seeds'])} shuffled orders; order-free (average linkage, best cut "
          f"{result['order_free_best_cut']} chosen in-sample) {result['order_free_best']:.3f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
