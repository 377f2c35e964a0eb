from __future__ import annotations

import json

import pytest

from services.evaluation.extraction import entity_matches, eval_extraction_command, evaluate_extraction
from tests.unit.processor.extract.seeds import shared_extractor


@pytest.mark.parametrize(
    "gold, actors, expected",
    [
        ("Barack Obama", ["Barack Obama"], True),
        ("Barack Obama", ["Obama"], True),
        ("Kevil McCarthy", ["Kevin McCarthy"], True),
        ("Bill Clinton", ["Hillary Clinton"], False),
        ("Obama administration", ["Barack Obama"], True),
        ("Republican Lawmakers", ["Republicans"], True),
        ("GOP leaders", ["Republicans"], True),
        ("Walmart", ["Wal-Mart"], True),
        ("protestors", ["protesters"], True),
        ("police", ["Michael Brown"], False),
    ],
)
def test_entity_name_match(gold, actors, expected):
    assert entity_matches(gold, actors) is expected


def test_evaluate_on_a_tiny_file(tmp_path, capsys):
    rows = [
        {
            "id": "1",
            "title": "Obama signs health bill",
            "text": "President Barack Obama signed the bill on Tuesday.",
            "published_at": "2010-03-23T00:00:00+00:00",
            "language": "en",
            "outlet": "nyt",
            "gold_main_entities": ["Barack Obama"],
        },
        {
            "id": "2",
            "title": "Storm hits coast",
            "text": "A storm hit the coast.",
            "published_at": None,
            "language": "en",
            "outlet": "fox",
            "gold_main_entities": ["Coast Guard"],
        },
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = evaluate_extraction(path, extractor=shared_extractor())
    assert result["n_docs"] == 2 and result["n_gold_entities"] == 2
    assert result["main_entity_recall"] == 0.5
    eval_extraction_command(path)
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last_line)["main_entity_recall"] == 0.5
