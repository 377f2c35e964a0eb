"""Reader for seed_story.jsonl: the seed story (30 Dec 2021 Biden-Putin call) plus its translations and
hard negatives, in the datasets format (id, url, outlet, title, text, published_at, language, event_label).

    rows = load_seed_story()                  # seeds/*.txt + seed_story.jsonl, dated
    rows = load_seed_story(undated=True)      # same rows, every published_at = None
    rows = load_seed_story(with_seeds=False)  # seed_story.jsonl only

Stdlib only. Stream order is left to the caller (services.evaluation.runner.stream_order).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
JSONL = HERE / "seed_story.jsonl"
SEEDS_DIR = HERE.parents[1] / "seeds"
SEED_LABEL = "biden-putin-call-2021-12-30"

# The seeds' publication times from their date lines (001 and 003 carry none: undated, as in `make demo`).
SEED_PUBLISHED = {
    "000": "2021-12-31T04:37:00+00:00",  # 10:07 IST
    "001": None,  # no date line: undated, as `newsfuse ingest seeds/` reads it
    "002": "2021-12-31T00:13:00+00:00",  # 1:13 a.m. CET
    "003": None,  # no date line: undated
    "004": "2021-12-30T19:49:00+00:00",  # 11:49 PM GST (+4)
}
_DATE_LINE = re.compile(r"^(?:Updated|Published|As of)\b", re.IGNORECASE)


def seed_rows(folder: Path = SEEDS_DIR) -> list[dict]:
    """seeds/*.txt as dataset rows (title = first non-empty line that is not a date line)."""
    rows = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = next(ln.strip() for ln in text.splitlines() if ln.strip() and not _DATE_LINE.match(ln.strip()))
        key = path.name[:3]
        rows.append({"id": f"seed-{key}", "url": f"https://example.org/seeds/{path.stem}", "outlet": f"seed-{key}",
                     "title": title, "text": text, "published_at": SEED_PUBLISHED.get(key), "language": "en",
                     "event_label": SEED_LABEL})
    return rows


def load_seed_story(with_seeds: bool = True, undated: bool = False, path: Path = JSONL) -> list[dict]:
    rows = seed_rows() if with_seeds else []
    rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if undated:
        rows = [{**row, "published_at": None} for row in rows]
    return rows
