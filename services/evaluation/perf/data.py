"""Benchmark input: the dev datasets (../shared/datasets) and seeds/, replayed with fresh ids for volume.

Every item is an Article payload as a scraper would POST it, plus its gold event label. A replay copy gets
a different URL (so a different article id: ingest, extraction and dedup all do real work) and keeps the
label, so a run over copies can still be scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.evaluation.runner import read_jsonl, stream_order

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Item:
    payload: dict[str, Any]   # Article fields only (the ingest API rejects unknown fields)
    label: str                # gold event
    source: str               # dataset file (or "seeds")

    @property
    def row(self) -> dict[str, Any]:
        """The shape the peers (services.evaluation.peers) read."""
        return {"title": self.payload["title"], "text": self.payload["text"]}


def _title(row: dict[str, Any]) -> str:
    title = (row.get("title") or "").strip() or (row.get("text") or "").strip().split("\n")[0]
    return title[:1000]


def dataset_items(folder: Path, names: tuple[str, ...] = ("basil_dev.jsonl", "ecbplus_dev.jsonl")) -> list[Item]:
    """Rows of each file in its evaluation stream order (published_at, stable), files one after another."""
    items: list[Item] = []
    for name in names:
        path = folder / name
        if not path.exists():
            continue
        rows = read_jsonl(path)
        order, _ = stream_order(rows)
        for i in order:
            row = rows[i]
            items.append(Item(
                payload={"url": row.get("url") or None, "outlet": row.get("outlet") or None,
                         "title": _title(row), "text": (row.get("text") or _title(row))[:200_000],
                         "published_at": row.get("published_at") or None, "language": row.get("language") or None},
                label=f"{name}:{row.get('event_label')}", source=name))
    return items


def seed_items(folder: Path = REPO / "seeds") -> list[Item]:
    """seeds/*.txt (first non-empty line = headline): one story, five outlets."""
    items = []
    for path in sorted(folder.glob("*.txt")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()]
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            continue
        title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
        items.append(Item(payload={"url": f"https://seeds.bench.invalid/{path.stem}", "outlet": None,
                                   "title": title[:1000], "text": body or title},
                          label="seeds:biden-putin-call", source="seeds"))
    return items


def replay(items: list[Item], copy: int, tag: str = "") -> list[Item]:
    """A copy of the items with fresh article ids (the URL varies per copy), labels kept."""
    out = []
    for n, item in enumerate(items):
        base = item.payload.get("url") or f"https://{item.source.split('.')[0].replace('_', '-')}.bench.invalid/{n}"
        url = f"{base.rstrip('/')}/nfbench-{tag}{copy}-{n}"
        out.append(Item(payload={**item.payload, "url": url}, label=item.label, source=item.source))
    return out


def headline_only(items: list[Item]) -> list[Item]:
    """Headline-only stream: the title is also the text (what a wire/RSS feed often carries)."""
    return [Item(payload={**i.payload, "text": i.payload["title"]}, label=i.label, source=i.source) for i in items]


def undated(items: list[Item]) -> list[Item]:
    """The items without a publication time (what many scrapers send): event time is then the stream's."""
    return [Item(payload={**i.payload, "published_at": None}, label=i.label, source=i.source) for i in items]


def take(items: list[Item], n: int, start: int = 0, tag: str = "") -> list[Item]:
    """n items starting at `start`, cycling through the list; each pass is a fresh replay copy."""
    out = []
    k = start
    while len(out) < n and items:
        copy, idx = divmod(k, len(items))
        out.append(replay([items[idx]], copy, tag=f"{tag}{idx}-")[0])
        k += 1
    return out
