import numpy as np
import pytest

from services.processor.dedup.index import CentroidIndex

DIM = 128  # >= the default sketch_bits (128): the sketch projection needs that many orthonormal columns


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def brute_force(vectors: dict[str, np.ndarray], vec: np.ndarray, k: int, min_similarity: float = -1.0):
    scored = sorted(((float(unit(v) @ vec), e) for e, v in vectors.items()), reverse=True)
    return [(e, s) for s, e in scored[:k] if s >= min_similarity]


def filled(n: int, seed: int = 0, **kw) -> tuple[CentroidIndex, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    vectors = {f"e{i}": unit(rng.standard_normal(DIM)) for i in range(n)}
    index = CentroidIndex(DIM, **kw)
    for e, v in vectors.items():
        index.put(e, v)
    return index, vectors


def noisy(v: np.ndarray, rng: np.random.Generator, noise: float = 0.3) -> np.ndarray:
    return unit(v + noise * unit(rng.standard_normal(v.shape)))


def recall_at_1(index: CentroidIndex, vectors: dict[str, np.ndarray], queries: int = 300, seed: int = 1) -> float:
    """Share of noisy copies of stored vectors whose top hit is the vector they were made from."""
    rng = np.random.default_rng(seed)
    ids = sorted(vectors)
    picks = [ids[i] for i in rng.integers(0, len(ids), queries)]
    hits = 0
    for e in picks:
        found = index.search(noisy(vectors[e], rng), 1)
        hits += bool(found) and found[0][0] == e
    return hits / queries


def test_exact_path_returns_the_true_top_k_best_first():
    index, vectors = filled(300, exact_search_limit=1000)
    rng = np.random.default_rng(5)
    for _ in range(20):
        q = unit(rng.standard_normal(DIM))
        got = index.search(q, 10)
        want = brute_force(vectors, q, 10)
        assert [e for e, _ in got] == [e for e, _ in want]
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
    assert not index.trained  # never exceeded the limit: no codebook


def test_exact_path_honours_min_similarity():
    index, vectors = filled(200, exact_search_limit=1000)
    q = noisy(vectors["e7"], np.random.default_rng(2), noise=0.2)
    got = index.search(q, 50, min_similarity=0.5)
    assert [e for e, _ in got] == ["e7"]  # random 64-d vectors sit near cosine 0
    assert got == [(e, pytest.approx(s, abs=1e-5)) for e, s in brute_force(vectors, q, 50, 0.5)]
    assert index.search(q, 50, min_similarity=1.01) == []


def test_empty_index_and_zero_vector():
    index = CentroidIndex(DIM)
    assert index.search(unit(np.ones(DIM)), 5) == [] and len(index) == 0
    index.put("zero", np.zeros(DIM, np.float32))  # an event without embedding: stored as zeros, cosine 0
    assert index.search(unit(np.ones(DIM)), 5) == [("zero", 0.0)]


def test_ivf_path_finds_the_nearest_neighbour_of_noisy_copies():
    index, vectors = filled(2000, exact_search_limit=200, lists=16, probe=4, candidates=16)
    assert index.trained and len(index) == 2000
    assert recall_at_1(index, vectors) >= 0.95


def test_ivf_recall_depends_on_probing_the_right_lists():
    """Guard for the test above: probing 4 lists that are not the closest finds far fewer neighbours."""
    index, vectors = filled(2000, exact_search_limit=200, lists=16, probe=4, candidates=16)
    codebook = index._codebook
    index._codebook = codebook[::-1] * -1.0  # list i scored by minus the codeword of list 15 - i
    assert recall_at_1(index, vectors) < 0.6
    index._codebook = codebook
    assert recall_at_1(index, vectors) >= 0.95


def test_ivf_path_honours_k_and_min_similarity():
    index, vectors = filled(1000, exact_search_limit=100, lists=8, probe=8, candidates=1000)
    q = noisy(vectors["e3"], np.random.default_rng(3), noise=0.2)
    # probing every list with every row a candidate: exactly the brute force result
    assert index.search(q, 5) == [(e, pytest.approx(s, abs=1e-5)) for e, s in brute_force(vectors, q, 5)]
    assert [e for e, _ in index.search(q, 5, min_similarity=0.5)] == ["e3"]


def test_put_update_moves_a_row_to_its_new_list():
    index, vectors = filled(1000, exact_search_limit=100, lists=8, probe=1, candidates=8)
    rng = np.random.default_rng(4)
    row = index._row["e10"]
    before = index._list_of[row]
    # move e10 next to a row of another list
    other = next(e for e in vectors if index._list_of[index._row[e]] != before)
    target = noisy(vectors[other], rng, noise=0.05)
    index.put("e10", target)
    vectors["e10"] = target
    assert index._list_of[index._row["e10"]] == index._list_of[index._row[other]]
    assert len(index) == 1000
    assert index.search(target, 1)[0][0] == "e10"
    assert recall_at_1(index, vectors) >= 0.6  # probe=1: the other rows are still where they were


def test_remove_last_and_middle_rows_keeps_search_consistent():
    for kw in ({"exact_search_limit": 10_000}, {"exact_search_limit": 100, "lists": 8, "probe": 8,
                                                "candidates": 1000}):
        index, vectors = filled(500, **kw)
        for e in ["e499", "e0", "e250", "e498", "e17"]:  # the last row, the first, middle ones
            index.remove(e)
            del vectors[e]
        assert len(index) == 495 and "e250" not in index
        rng = np.random.default_rng(6)
        for _ in range(20):
            q = unit(rng.standard_normal(DIM))
            assert index.search(q, 10) == [(e, pytest.approx(s, abs=1e-5)) for e, s in brute_force(vectors, q, 10)]
        with pytest.raises(KeyError):
            index.remove("e250")
        index.put("e250", vectors["e251"])  # re-inserted after removal: a new last row
        assert index.search(unit(vectors["e251"]), 2)[0][1] == pytest.approx(1.0, abs=1e-5)


def test_ivf_lists_hold_every_row_exactly_once_after_removals_and_updates():
    index, vectors = filled(800, exact_search_limit=100, lists=8)
    rng = np.random.default_rng(7)
    for i in range(0, 800, 3):
        index.remove(f"e{i}")
    for i in range(1, 800, 6):
        index.put(f"e{i}", unit(rng.standard_normal(DIM)))
    rows = np.concatenate([b[-1, :s] for b, s in zip(index._blocks, index._sizes)]).astype(np.int64)
    assert sorted(rows.tolist()) == list(range(len(index)))
    for lst, (block, size) in enumerate(zip(index._blocks, index._sizes)):
        for slot, row in enumerate(block[-1, :size].tolist()):
            assert index._list_of[row] == lst and index._slot_of[row] == slot
            assert (block[:index._words, slot] == index._sketch(index._mat[row])).all()
            assert block[index._words:-1, slot].tobytes() == index._span[row].tobytes()  # the time filter's copy


def test_retraining_on_growth_keeps_every_row_findable():
    rng = np.random.default_rng(8)
    index = CentroidIndex(DIM, exact_search_limit=100, lists=16, probe=16, candidates=2000)
    vectors = {}
    trainings = []
    for i in range(1000):
        vectors[f"e{i}"] = unit(rng.standard_normal(DIM))
        index.put(f"e{i}", vectors[f"e{i}"])
        if index._inserted == 0:
            trainings.append(len(index))
    assert trainings == [101, 202, 404, 808]  # first above the limit, then each time the rows doubled
    for e, v in vectors.items():  # every list probed, every row a candidate: every row finds itself
        assert index.search(v, 1)[0][0] == e


def test_training_is_deterministic():
    a, vectors = filled(600, exact_search_limit=100, lists=8, probe=2)
    b, _ = filled(600, exact_search_limit=100, lists=8, probe=2)
    assert np.array_equal(a._codebook, b._codebook)
    rng = np.random.default_rng(9)
    for _ in range(10):
        q = unit(rng.standard_normal(DIM))
        assert a.search(q, 5) == b.search(q, 5)


def test_sketch_bits_must_fit_the_hamming_sum():
    with pytest.raises(ValueError):
        CentroidIndex(DIM, sketch_bits=100)
    with pytest.raises(ValueError):
        CentroidIndex(DIM, sketch_bits=256)
    with pytest.raises(ValueError):
        CentroidIndex(64, sketch_bits=128)  # fewer dimensions than sketch bits


@pytest.mark.parametrize("exact_search_limit", [10_000, 100], ids=["exact", "ivf"])
def test_time_filter_applies_before_the_top_k_so_old_look_alikes_cannot_hide_the_event(exact_search_limit):
    rng = np.random.default_rng(3)
    story = unit(rng.standard_normal(DIM))
    index = CentroidIndex(DIM, exact_search_limit=exact_search_limit, lists=8, probe=8, candidates=48)
    day = 86400.0
    for i in range(300):  # very close copies of the story, years before
        index.put(f"old{i}", noisy(story, rng, 0.05), (0.0, day))
    index.put("new", noisy(story, rng, 0.8), (1000 * day, 1000 * day))
    index.put("undated", noisy(story, rng, 0.8))
    found = dict(index.search(story, 8, time=1001 * day, window_s=7 * day))
    assert set(found) == {"new", "undated"}
    assert len(index.search(story, 8)) == 8 and "new" not in dict(index.search(story, 8))
