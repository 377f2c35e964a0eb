"""The actor-choice ceiling: its scoring and its story-wise cross-validation (pure; no models)."""

from services.evaluation import actor_ceiling
from services.processor.extract import entities


def _candidate(name: str, gold: bool, in_headline: bool) -> dict:
    return {"name": name, "type": "person", "mentions": 3, "share": 1.0 if in_headline else 0.5,
            "in_headline": in_headline, "in_lead": True, "first": 0.1, "order": 0 if in_headline else 2,
            "known": False, "main": in_headline, "headline_subject": in_headline, "headline_object": False,
            "lead_subject": False, "lead_object": False, "headline_possessor": False, "gold": gold}


def _rows(stories: int = 10) -> list[dict]:
    """Per story two articles; the gold person is the headline's subject, the other one is not."""
    return [{"story": f"s{s}", "gold": [f"Ann Gold{s}"], "text": f"Ann Gold{s} met Bob Other{s}.",
             "candidates": [_candidate(f"Ann Gold{s}", True, True), _candidate(f"Bob Other{s}", False, False)]}
            for s in range(stories) for _ in range(2)]


def test_scores_count_a_duplicate_actor_once_and_a_missed_gold_against_recall():
    rows = _rows(1)[:1]
    assert actor_ceiling._scores(rows, [["Ann Gold0", "Gold0"]])["precision"] == 0.5  # "Gold0" repeats Ann
    assert actor_ceiling._scores(rows, [[]]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "actors_per_article": 0.0}
    assert actor_ceiling._scores(rows, [["Bob Other0"]])["recall"] == 0.0


def test_a_learnable_choice_is_learned_across_stories():
    learned = actor_ceiling.cross_validated(_rows())
    assert learned[0.5]["f1"] == 1.0 and learned[0.5]["actors_per_article"] == 1.0


def test_recording_candidates_puts_the_extractor_back():
    before = entities._main_actors
    with actor_ceiling._recording_candidates([]):
        assert entities._main_actors is not before
    assert entities._main_actors is before
