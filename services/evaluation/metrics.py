"""Clustering metrics for event deduplication: BCubed and pairwise precision/recall/F1 (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items, predictions {len(pred)}")


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """BCubed (Bagga & Baldwin 1998) precision, recall, F1 averaged over items.

    For item i: precision = |pred cluster of i ∩ gold cluster of i| / |pred cluster of i|,
    recall = the same intersection / |gold cluster of i|. Empty input -> (1, 1, 1).
    """
    _check(gold, pred)
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    cell = Counter(zip(gold, pred))
    gsize, psize = Counter(gold), Counter(pred)
    # every item of a (gold, pred) cell has the same per-item scores: sum them per cell
    p = sum(c * c / psize[pl] for (gl, pl), c in cell.items()) / n
    r = sum(c * c / gsize[gl] for (gl, pl), c in cell.items()) / n
    return p, r, _f1(p, r)


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Precision/recall/F1 over unordered item pairs placed in the same cluster.

    No predicted pairs -> precision 1 (no false merge); no gold pairs -> recall 1 (nothing to find).
    """
    _check(gold, pred)
    pairs = lambda c: c * (c - 1) // 2  # noqa: E731
    tp = sum(pairs(c) for c in Counter(zip(gold, pred)).values())
    pred_pairs = sum(pairs(c) for c in Counter(pred).values())
    gold_pairs = sum(pairs(c) for c in Counter(gold).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return p, r, _f1(p, r)


def evaluate(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    return {
        "n_gold": len(set(gold)), "n_pred": len(set(pred)),
        "bcubed_p": round(bp, 4), "bcubed_r": round(br, 4), "bcubed_f1": round(bf, 4),
        "pairwise_p": round(pp, 4), "pairwise_r": round(pr, 4), "pairwise_f1": round(pf, 4),
    }
