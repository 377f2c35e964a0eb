"""Ingest's pure logic: validate what scrapers send and turn accepted articles into RawArticle messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from schemas import Article, RawArticle
from services.common.ids import article_id, outlet_from_url


@dataclass(frozen=True)
class FieldError:
    loc: tuple[str | int, ...]
    msg: str
    type: str

    def as_dict(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


@dataclass(frozen=True)
class Rejection:
    index: int
    errors: tuple[FieldError, ...]

    def reason(self) -> str:
        return "; ".join(f"{'.'.join(map(str, e.loc)) or 'article'}: {e.msg}" for e in self.errors)

    def reason_codes(self) -> set[str]:
        """Few distinct values, for counting: `field:error type` for the Article's own fields, the error type
        alone otherwise (an unknown field's name is the client's, unbounded)."""
        return {f"{e.loc[0]}:{e.type}" if e.loc and e.loc[0] in Article.model_fields else e.type
                for e in self.errors}


def validate_article(payload: Any) -> Article | tuple[FieldError, ...]:
    try:
        return Article.model_validate(payload)
    except ValidationError as exc:
        return tuple(
            FieldError(tuple(err["loc"]), err["msg"], err["type"])
            for err in exc.errors(include_url=False, include_context=False, include_input=False)
        )


def to_raw(article: Article, source: str, now: datetime | None = None) -> RawArticle:
    """Assign the stable id and fill the outlet from the URL's host when the scraper did not say."""
    return RawArticle(
        **article.model_dump(exclude={"outlet"}),
        outlet=article.outlet or outlet_from_url(article.url),
        article_id=article_id(article.url, article.outlet, article.title, article.text),
        ingested_at=now or datetime.now(UTC),
        ingest_source=source,
    )


def validate_batch(payloads: Sequence[Any], source: str) -> tuple[list[RawArticle], list[Rejection]]:
    """Validate every payload; two payloads naming the same article in one batch reject the later one."""
    accepted: list[RawArticle] = []
    rejected: list[Rejection] = []
    first_index: dict[str, int] = {}
    for index, payload in enumerate(payloads):
        result = validate_article(payload)
        if isinstance(result, tuple):
            rejected.append(Rejection(index, result))
            continue
        raw = to_raw(result, source)
        if raw.article_id in first_index:
            msg = f"duplicate of item {first_index[raw.article_id]} (same article id {raw.article_id})"
            rejected.append(Rejection(index, (FieldError((), msg, "duplicate"),)))
            continue
        first_index[raw.article_id] = index
        accepted.append(raw)
    return accepted, rejected
