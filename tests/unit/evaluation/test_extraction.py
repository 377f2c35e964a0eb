from __future__ import annotations

import json

import pytest

from services.evaluation.extraction import (
    entity_matches,
    eval_extraction_command,
    evaluate_extraction,
    strict_match,
)
from tests.unit.processor.extract.seeds import shared_extractor

TWO_CHENEYS = "Mary Cheney criticized her sister Liz Cheney. Cheney said so on Sunday."
ONE_CHENEY = "Dick Cheney spoke on Sunday. Cheney said so."


@pytest.mark.parametrize(
    "gold, actor, text, expected",
    [
        ("Barack Obama", "Barack Obama", "", True),
        ("Barack Obama", "Obama", "President Barack Obama spoke.", True),
        ("Sasha and Malia Obama", "Barack Obama", "Barack Obama and Sasha Obama", False),
        ("Sasha and Malia Obama", "Malia Obama", "", True),
        ("Mary Cheney", "Cheney", TWO_CHENEYS, False),
        ("Dick Cheney", "Cheney", ONE_CHENEY, True),
        ("Bill Clinton", "Hillary Clinton", "", False),
        ("Kevil McCarthy", "Kevin McCarthy", "", False),  # a gold typo is not the same name
        ("Michael Grimm", "Michael G. Grimm", "", True),
        ("Chuck Grassley", "Charles E. Grassley", "", True),  # a nickname of the given name (nicknames package)
        ("Chuck Grassley", "Charles Schumer", "", False),
        ("Obama administration", "Barack Obama", "", False),
        ("Obama's administration", "Obama administration", "", True),
        ("Republican Lawmakers", "Republicans", "", True),
        ("GOP leaders", "Republicans", "", True),
        ("Senate Republicans", "Republicans", "", True),
        ("Colorado officials", "Colorado", "", True),
        ("Nebraska and Oklahoma officials", "Oklahoma", "", True),
        ("Walmart", "Wal-Mart", "", True),
        ("NAACP", "National Association for the Advancement of Colored People", "", True),
        ("protestors", "protesters", "", False),  # a spelling variant is no alias in any source
        ("police", "Michael Brown", "", False),
        ("Republicans", "Democrats", "", False),
    ],
)
def test_strict_match(gold, actor, text, expected):
    assert strict_match(gold, actor, text) is expected


@pytest.mark.parametrize(
    "gold, actors, expected",
    [
        ("Barack Obama", ["Obama"], True),
        ("Kevil McCarthy", ["Kevin McCarthy"], True),
        ("Bill Clinton", ["Hillary Clinton"], False),
        ("Republican Lawmakers", ["Republicans", "Republican"], True),
        ("police", ["Michael Brown"], False),
    ],
)
def test_lenient_match_is_kept_for_comparison(gold, actors, expected):
    assert entity_matches(gold, actors) is expected


def _write(tmp_path, rows):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_a_duplicate_of_a_matched_actor_counts_once():
    from services.evaluation.extraction import _one_to_one_matches

    text = "Perry wins. Texas Gov. Rick Perry won the endorsement of Sheriff Joe Arpaio."
    assert _one_to_one_matches(["Rick Perry"], ["Perry", "Rick Perry"], text) == 1
    assert _one_to_one_matches(["Rick Perry", "Joe Arpaio"], ["Rick Perry", "Joe Arpaio"], text) == 2


def test_precision_recall_f1_and_roles_on_a_tiny_file(tmp_path, capsys):
    rows = [
        {
            "id": "1",
            "title": "Obama signs health bill",
            "text": "President Barack Obama signed the bill on Tuesday.",
            "published_at": "2010-03-23T00:00:00+00:00",
            "language": "en",
            "outlet": "nyt",
            "gold_main_entities": ["Barack Obama"],
            "gold_actor1": "Barack Obama",
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
    result = evaluate_extraction(_write(tmp_path, rows), extractor=shared_extractor())
    assert result["n_docs"] == 2 and result["n_gold_entities"] == 2
    assert result["strict_recall"] == 0.5
    right = 1  # Barack Obama; every other predicted actor is wrong
    assert result["strict_precision"] == round(right / result["n_predicted_actors"], 4)
    assert result["n_gold_roles"] == 1 and result["role_accuracy"] == 1.0
    eval_extraction_command(_write(tmp_path, rows))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-2].startswith("main entities (strict): P ")
    assert json.loads(out[-1])["strict_recall"] == 0.5


def test_cross_language_consistency(tmp_path):
    story = {
        "en": ("Boeing wins order", "Boeing said on 3 May 2005 that Air China bought 60 Boeing jets."),
        "es": ("Boeing gana un pedido", "Boeing anunció el 3 de mayo de 2005 que Air China compró 60 aviones Boeing."),
        "it": (
            "Boeing vince un ordine",
            "Boeing ha annunciato il 3 maggio 2005 che Air China ha comprato 60 aerei Boeing.",
        ),
        "nl": ("Boeing wint order", "Boeing maakte op 3 mei 2005 bekend dat Air China 60 Boeing-toestellen koopt."),
    }
    rows = [
        {"id": lang, "title": title, "text": text, "published_at": "2005-05-04T00:00:00+00:00",
         "language": lang, "event_label": "boeing"}
        for lang, (title, text) in story.items()
    ]
    result = evaluate_extraction(_write(tmp_path, rows), extractor=shared_extractor())
    assert result["n_multilingual_events"] == 1
    assert result["same_event_date_share"] == 1.0  # 3 May in all four languages, not the publication day
    assert result["same_top2_actors_share"] == 1.0, result["examples_top_actors_differ"]
