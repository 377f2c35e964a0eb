"""The page's offline world background: cells that hold towns, none in the open ocean."""

from services.sink.basemap import CELL_DEGREES, _cell, inhabited_cells


def test_cells_trace_inhabited_land_and_leave_the_open_ocean_blank():
    cells = set(inhabited_cells())
    assert 3000 < len(cells) < 64800  # a fraction of the 360 x 180 one-degree cells
    assert _cell(-0.13, 51.51) in cells and _cell(139.69, 35.69) in cells  # London, Tokyo
    assert _cell(-123.39, -48.88) not in cells  # the oceanic pole of inaccessibility
    assert all(-180 <= west <= 180 - CELL_DEGREES and -90 <= south <= 90 - CELL_DEGREES for west, south in cells)


def test_the_antimeridian_and_the_poles_fall_in_the_edge_cells():
    assert _cell(180.0, 90.0) == (180 - CELL_DEGREES, 90 - CELL_DEGREES)
    assert _cell(-180.0, -90.0) == (-180, -90)
    assert _cell(-0.5, -0.5) == (-1, -1)
