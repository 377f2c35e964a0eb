"""Real articles for volume tests: the labeled dev data beside the repository (../shared/datasets)."""

from __future__ import annotations

import json

from services.evaluation.datasets import datasets_dir

DATASETS = datasets_dir()


def dataset_articles(name: str, limit: int | None = None) -> list[dict]:
    """Article payloads (the Article schema's fields) from a dev dataset file."""
    path = DATASETS / name
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: set NEWSFUSE_DATASETS to the folder of the dev datasets")
    articles = []
    for line in path.read_text().splitlines()[:limit]:
        row = json.loads(line)
        articles.append({
            "url": row.get("url") or f"https://dataset.invalid/{row['id']}", "outlet": row.get("outlet"),
            "title": (row["title"].strip() or row["text"].strip().split("\n")[0])[:1000],
            "text": (row.get("text") or row["title"])[:200_000],
            "published_at": row.get("published_at"), "language": row.get("language"),
        })
    return articles
