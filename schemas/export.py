"""Export the JSON Schema of every topic's message into schemas/jsonschema/ (`make schemas`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas import Article, CanonicalEvent, ExtractedArticle, RawArticle

OUT_DIR = Path(__file__).parent / "jsonschema"
# file name -> model; topic files are named after their topic.
EXPORTS: dict[str, type[BaseModel]] = {
    "article.request.json": Article,
    "news.articles.raw.v1.json": RawArticle,
    "news.articles.extracted.v1.json": ExtractedArticle,
    "news.events.canonical.v1.json": CanonicalEvent,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(mode="serialization"), indent=2, sort_keys=True) + "\n"


def export(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in EXPORTS.items():
        path = out_dir / name
        path.write_text(render(model))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in export():
        print(path)
