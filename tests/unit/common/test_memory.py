import gc

from services.common.memory import FULL_COLLECTION_EVERY, tune_gc_for_large_live_state


def test_only_full_collections_become_rarer():
    before = gc.get_threshold()
    try:
        tune_gc_for_large_live_state()
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTION_EVERY)
        assert FULL_COLLECTION_EVERY > before[2]
    finally:
        gc.set_threshold(*before)
