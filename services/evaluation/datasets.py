"""Where the labeled dev datasets are: --datasets, $NEWSFUSE_DATASETS, or ../shared/datasets beside the
repository (offline tooling only: nothing at run time reads them)."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def datasets_dir(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("NEWSFUSE_DATASETS"):
        return Path(os.environ["NEWSFUSE_DATASETS"])
    for candidate in (REPOSITORY.parent / "shared" / "datasets", REPOSITORY / "datasets",
                      Path.cwd().parent / "shared" / "datasets"):
        if candidate.is_dir():
            return candidate
    return REPOSITORY.parent / "shared" / "datasets"
