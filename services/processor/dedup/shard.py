"""The dedup shard key: which articles share one live event index (pure).

The extract stage keys each extracted record by it, so the broker's partitioner sends every article of a
shard to one partition of news.articles.extracted.v1, and the dedup stage keeps one index per partition.
Articles of different shards are never compared: a key must keep the reports of one event together.
"""

from __future__ import annotations

from pydantic import BaseModel

from schemas import ExtractedArticle

ONE_SHARD = "all"       # the record key when every article shares one index (the default)
MISSING_VALUE = "-"     # the key of an article that lacks the configured field
ALIASES = {"language": "event.language"}


class ShardKey:
    """`spec`: "" (one shard), "language", or a dotted field path of ExtractedArticle ("outlet")."""

    def __init__(self, spec: str = "") -> None:
        self.spec = spec
        self.path = tuple(ALIASES.get(spec, spec).split(".")) if spec else ()
        _check_path(self.path)

    def of(self, article: ExtractedArticle) -> str:
        value: object = article
        for name in self.path:
            value = getattr(value, name, None)
            if value is None:
                return MISSING_VALUE
        return str(value) if self.path else ONE_SHARD


def _check_path(path: tuple[str, ...]) -> None:
    """A path that names no field of ExtractedArticle fails at start-up, not as one shard of '-' keys."""
    model: type[BaseModel] | None = ExtractedArticle
    for depth, name in enumerate(path):
        fields = model.model_fields if model is not None else {}
        if name not in fields:
            raise ValueError(f"dedup shard key {'.'.join(path)!r}: ExtractedArticle has no field "
                             f"{'.'.join(path[:depth + 1])!r}")
        annotation = fields[name].annotation
        nested = [a for a in (annotation, *getattr(annotation, "__args__", ())) if isinstance(a, type)
                  and issubclass(a, BaseModel)]
        model = nested[0] if nested else None
