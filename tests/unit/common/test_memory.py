import gc

from services.common.memory import FULL_COLLECTION_EVERY, tune_gc_for_large_live_state


def test_only_full_collections_become_rarer():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # CPython's defaults (another test may have tuned this process already)
        tune_gc_for_large_live_state()
        assert gc.get_threshold() == (700, 10, FULL_COLLECTION_EVERY)
        assert FULL_COLLECTION_EVERY >= 100 * 10
    finally:
        gc.set_threshold(*before)
