"""The README's Measured table is generated from the committed benchmark results, never edited by hand."""

from __future__ import annotations

import json

import pytest

from services.evaluation.readme_table import BEGIN, END, REPOSITORY, measured_table, update_readme


def test_the_readme_table_is_the_one_the_committed_results_give(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text((REPOSITORY / "README.md").read_text())
    changed = update_readme(readme, REPOSITORY / "docs" / "benchmarks.json",
                            REPOSITORY / "docs" / "benchmarks-quality.json")
    assert not changed, "README's Measured table is stale: run python -m services.evaluation.readme_table"


def test_each_figure_comes_from_its_result_and_a_missing_one_says_so():
    quality = {"finished_utc": "2026-12-04 10:00:00",
               "newsfuse-loco": {"basil_dev.jsonl": {"bcubed_f1": 0.91234, "pairwise_f1": 0.8}},
               "newsfuse": {"seed_story": {"bcubed_f1": 0.5, "pairwise_f1": 0.25}},
               "newsfuse-shuffled": {"ecbplus_dev.jsonl": {"bcubed_f1_min": 0.8677, "bcubed_f1_max": 0.9099}},
               "newsfuse-loco-shuffled": {"basil_dev.jsonl": {"bcubed_f1_min": 0.99, "bcubed_f1_max": 1.0}}}
    perf = {"started_utc": "2026-11-29 01:08:04",
            "ingest": {"runs": [{"mode": "batch 500", "articles_per_s": 4381.5}]},
            "e2e": {"configs": [{"burst": {"sustained_articles_per_s": 31.0},
                                 "headlines": {"latency_topic_s": {"p95": 0.4095}}}]}}
    table = measured_table(perf, quality).splitlines()
    assert table[0] == "| measure | result | from |"
    loco = next(row for row in table if "leave-one-corpus-out" in row)
    assert "| 0.912 / 0.800 · not measured · not measured | make bench-quality, 2026-12-04 |" in loco
    assert "| 0.500 / 0.250 · not measured |" in next(row for row in table if "seed story" in row)
    assert "| not measured · 0.868–0.910 · not measured |" in next(row for row in table if "arrival orders" in row)
    assert "| 0.990–1.000 · not measured · not measured |" in next(row for row in table if "those shuffled" in row)
    assert "| 4,382 articles/s | make bench, 2026-11-29 |" in next(row for row in table if "ingest" in row)
    assert "| 0.41 s · not measured |" in next(row for row in table if "p95" in row)
    assert "| not measured |" in next(row for row in table if "50,000 live events" in row)


def test_a_readme_without_the_markers_is_refused(tmp_path):
    readme, empty = tmp_path / "README.md", tmp_path / "none.json"
    readme.write_text("# no table here\n")
    with pytest.raises(ValueError, match="markers"):
        update_readme(readme, empty, empty)
    readme.write_text(f"before\n{BEGIN}\nold\n{END}\nafter\n")
    empty.write_text(json.dumps({}))
    assert update_readme(readme, empty, empty)
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith("after\n") and "old" not in text
