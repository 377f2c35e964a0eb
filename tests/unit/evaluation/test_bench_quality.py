"""The quality report's gap table: the pipeline beside the same models in the same shuffled arrival orders."""

from __future__ import annotations

from services.evaluation.bench_quality import _pipeline_report

SCORES = {"bcubed_f1": 0.9, "pairwise_f1": 0.8}
PIPELINE = {"ecbplus_dev.jsonl": {
    "seed": 13, "batch": 50, "raw_partitions": 4, "database": "sqlite", "rows": 10, "accepted_rows": 10,
    "rejected_rows": 0, "undated_accepted_rows": 10, "rejected": [], "bcubed_f1": 0.915, "pairwise_f1": 0.906,
    "offline_same_rows": SCORES, "offline_same_order": {"bcubed_f1": 0.913}}}


def _row(report: list[str]) -> str:
    return next(line for line in report if line.startswith("| ecbplus_dev.jsonl |"))


def test_the_pipeline_is_set_beside_the_leave_one_corpus_out_models_in_the_same_orders():
    spread = {"ecbplus_dev.jsonl": {"runs": [{}] * 5, "bcubed_f1_min": 0.889, "bcubed_f1_mean": 0.905,
                                    "bcubed_f1_max": 0.922}}
    loco = {"ecbplus_dev.jsonl": {"bcubed_f1_min": 0.893, "bcubed_f1_mean": 0.9103, "bcubed_f1_max": 0.927}}
    row = _row(_pipeline_report(PIPELINE, spread, loco))
    assert row.endswith("| 0.889 · 0.905 · 0.922 | 0.800 | 0.906 | +0.106 | 0.893 · 0.910 · 0.927 | +0.005 |")


def test_without_the_leave_one_corpus_out_runs_their_columns_say_so():
    row = _row(_pipeline_report(PIPELINE, {}, {}))
    assert row.endswith("| – | 0.800 | 0.906 | +0.106 | – | – |")
