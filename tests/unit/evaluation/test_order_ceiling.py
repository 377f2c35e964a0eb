"""The order-free clustering of the order ceiling tool (no models: hand-made articles and matrices)."""

from pathlib import Path

import numpy as np

from services.evaluation import order_ceiling
from services.processor.dedup.clusterer import load_params
from tests.unit.processor.dedup.conftest import Synth


def _blocks(within: float, across: float) -> np.ndarray:
    """Two groups of three articles: `within` between members of a group, `across` between the groups."""
    probs = np.full((6, 6), across)
    probs[:3, :3] = probs[3:, 3:] = within
    np.fill_diagonal(probs, 0.0)
    return probs


def test_average_linkage_keeps_groups_whose_mean_probability_reaches_the_cut():
    labels = order_ceiling.order_free_labels(_blocks(0.8, 0.1), cut=0.5)
    assert len(set(labels[:3])) == len(set(labels[3:])) == 1 and labels[0] != labels[3]
    assert len(set(order_ceiling.order_free_labels(_blocks(0.8, 0.6), cut=0.5))) == 1  # the groups join too
    assert len(set(order_ceiling.order_free_labels(_blocks(0.3, 0.1), cut=0.5))) == 6  # nothing reaches it


def test_one_article_is_one_cluster():
    assert order_ceiling.order_free_labels(np.zeros((1, 1)), cut=0.5) == ["1"]


def test_pair_probabilities_score_every_article_against_every_other_without_joining_any():
    synth = Synth(seed=3)
    stories = [synth.direction(), synth.direction()]
    articles = [synth.article(story, noise=0.2, entities=(f"Place{s}",), keywords=(f"kw{s}",),
                              sides=(f"A{s}", f"B{s}"))
                for s, story in enumerate(stories) for _ in range(3)]
    probs = order_ceiling.pair_probabilities(articles, load_params())
    assert np.allclose(probs, probs.T) and not probs.diagonal().any()
    assert probs[:3, :3][~np.eye(3, dtype=bool)].min() > 0.5   # the same story: every pair would join
    assert probs[:3, 3:].max() < 0.1                           # other stories: none would
    labels = order_ceiling.order_free_labels(probs, cut=0.5)
    assert len(set(labels[:3])) == len(set(labels[3:])) == 1 and labels[0] != labels[3]


def test_a_dev_file_is_scored_with_the_model_that_never_saw_it():
    params, model = order_ceiling.pair_model_for(Path("ecbplus_dev.jsonl"))
    assert model == "leave-one-corpus-out" and params == load_params()["loco"]["ecbplus_dev.jsonl"]
    params, model = order_ceiling.pair_model_for(Path("my_news.jsonl"))
    assert model == "shipped" and "loco" in params
