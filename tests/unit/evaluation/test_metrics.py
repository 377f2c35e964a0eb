import math

import pytest

from services.evaluation.metrics import bcubed, evaluate, pairwise


def test_perfect_clustering():
    gold = ["a", "a", "b", "c", "c", "c"]
    pred = [1, 1, 2, 3, 3, 3]
    assert bcubed(gold, pred) == (1.0, 1.0, 1.0)
    assert pairwise(gold, pred) == (1.0, 1.0, 1.0)


def test_all_in_one_cluster_hand_computed():
    # gold {0,1} {2,3,4}; pred all together.
    gold = ["a", "a", "b", "b", "b"]
    pred = ["x"] * 5
    p, r, f = bcubed(gold, pred)
    # precision per item: a-items 2/5, b-items 3/5 -> (2*2/5 + 3*3/5)/5 = 13/25
    assert p == pytest.approx(13 / 25)
    assert r == pytest.approx(1.0)
    assert f == pytest.approx(2 * (13 / 25) / (1 + 13 / 25))
    pp, pr, pf = pairwise(gold, pred)
    # pred pairs C(5,2)=10, gold pairs 1+3=4, all gold pairs found
    assert pp == pytest.approx(4 / 10)
    assert pr == 1.0
    assert pf == pytest.approx(2 * 0.4 / 1.4)


def test_all_singletons_hand_computed():
    gold = ["a", "a", "b", "b", "b"]
    pred = [0, 1, 2, 3, 4]
    p, r, _ = bcubed(gold, pred)
    assert p == 1.0
    # recall: a-items 1/2 each, b-items 1/3 each -> (2*0.5 + 3/3)/5 = 0.4
    assert r == pytest.approx(0.4)
    pp, pr, pf = pairwise(gold, pred)
    assert pp == 1.0 and pr == 0.0 and pf == 0.0


def test_mixed_case_hand_computed():
    # gold: A={0,1,2}, B={3,4}; pred: X={0,1}, Y={2,3,4}
    gold = ["A", "A", "A", "B", "B"]
    pred = ["X", "X", "Y", "Y", "Y"]
    p, r, f = bcubed(gold, pred)
    # precision: 0,1 -> 2/2; 2 -> 1/3; 3,4 -> 2/3  => (1+1+1/3+2/3+2/3)/5 = 11/15
    assert p == pytest.approx(11 / 15)
    # recall: 0,1 -> 2/3; 2 -> 1/3; 3,4 -> 2/2 => (2/3+2/3+1/3+1+1)/5 = 11/15
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)
    pp, pr, _ = pairwise(gold, pred)
    # pred pairs: X 1 + Y 3 = 4; TP: (0,1) and (3,4) = 2; gold pairs: 3 + 1 = 4
    assert pp == pytest.approx(0.5) and pr == pytest.approx(0.5)


def test_labels_are_arbitrary_and_lengths_checked():
    assert bcubed([1, 1, 2], ["z", "z", "q"]) == bcubed(["a", "a", "b"], [7, 7, 8])
    with pytest.raises(ValueError):
        bcubed([1, 2], [1])


def test_evaluate_keys():
    out = evaluate(["a", "a", "b"], [1, 2, 2])
    assert out["n_gold"] == 2 and out["n_pred"] == 2
    assert math.isclose(out["pairwise_p"], 0.0) and math.isclose(out["pairwise_r"], 0.0)
