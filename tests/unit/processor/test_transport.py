"""The processor's commit rule: a commit continues the last one; it does not cross an offset that is neither
acknowledged nor in one of faust's recorded gaps."""

from services.processor.transport import first_unacked


def test_acknowledged_offsets_that_continue_the_commit_leave_no_hole():
    assert first_unacked(32, [32, 33, 34]) is None
    assert first_unacked(32, [34, 32, 33]) is None  # acknowledgement order does not matter
    assert first_unacked(32, []) is None


def test_a_message_skipped_before_acknowledged_ones_is_a_hole():
    # the case seen in a run: 32-36 dropped by a rebalance, 37 onwards processed and acknowledged
    assert first_unacked(32, range(37, 60)) == 32
    assert first_unacked(32, [32, 33, 35]) == 34
    assert first_unacked(0, [1]) == 0  # faust itself tolerates this one-offset hole, and any before a commit


def test_offsets_in_fausts_gaps_count_as_done():
    # faust records a jump in fetched offsets (compaction, transaction markers) as a gap [begin, end)
    assert first_unacked(32, [32, 33, 40], gaps=[(34, 40)]) is None
    assert first_unacked(32, [40], gaps=[(30, 38)]) == 38


def test_a_message_still_in_work_before_a_gap_is_no_hole():
    # only an acknowledged offset after it makes an unacknowledged one a hole, not the end of a gap
    assert first_unacked(32, [32], gaps=[(34, 40)]) is None
