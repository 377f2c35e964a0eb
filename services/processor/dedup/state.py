"""What the deduplicator remembers about a live event (persisted in a faust Table by the processor).

The table outlives the code that wrote it: every value carries `schema_version`, and `parse_state` upcasts
older versions step by step (`UPCASTS`) before validating, so a new worker restores its predecessor's state.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from schemas import ExtractedArticle, MatchReasons


class Member(BaseModel):
    """One source article of an event, as placed by the deduplicator."""

    model_config = ConfigDict(extra="forbid")

    article: ExtractedArticle = Field(description="The extracted article; features may be stripped.")
    match_score: float = Field(ge=0, le=1)
    reasons: MatchReasons = Field(default_factory=MatchReasons)


class EventRecord(BaseModel):
    """The full state of one event: enough to rebuild the live index and the canonical event."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(2, description="Format of this value (see UPCASTS).")
    event_id: str
    version: int = 1
    members: list[Member] = Field(default_factory=list)
    # Index state (the clusterer's own summary of the event): kept here so a restarted
    # worker rebuilds its live index from the table without re-reading any article.
    vector_sum: list[float] = Field(
        default_factory=list,
        description="Sum of member embeddings (float32 values, exact in JSON): restoring sums rather "
                    "than rounded means makes a restarted index score exactly like the one that stopped "
                    "(its candidate search too up to `exact_search_limit` live events; above, the IVF "
                    "codebook is retrained on the restored centroids, so a candidate can differ).")
    entity_weights: dict[str, float] = Field(default_factory=dict)
    event_day: int | None = Field(None, description="Resolved event date as days since 1970-01-01.")
    keyword_counts: dict[str, int] = Field(default_factory=dict, description="Members containing each keyword.")
    minhashes: list[list[int]] = Field(default_factory=list, description="MinHash of the first members.")
    first_time: float | None = Field(None, description="Publication time (epoch s) of the oldest dated member.")
    last_time: float | None = Field(None, description="Publication time (epoch s) of the newest dated member.")


class EvictedEvent(BaseModel):
    """What remains of an event after it left the live index: the ids of its articles.

    Kept until `DedupConfig.forget_after_days` after its newest article was ingested, so that a copy of one
    of its articles (a replay after a crash, a scraper sending it again) is recognised, not made into a new
    event. Ingestion time, not event time: a replayed batch may hold an article published years ago.
    """

    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(2, description="Format of this value (see UPCASTS).")
    event_id: str
    article_ids: list[str]
    last_ingested_at: float | None = Field(description="Ingestion time (epoch s) of its newest article.")


class EvictedArticles:
    """Index of the articles of evicted events, bounded by ingestion time (pure, rebuilt from the table)."""

    def __init__(self, forget_after_days: float) -> None:
        self.forget_after_s = forget_after_days * 86400.0
        self._event_of: dict[str, str] = {}
        self._events: dict[str, EvictedEvent] = {}
        self._heap: list[tuple[float, str]] = []
        self._clock: float | None = None  # newest ingestion time seen

    def __len__(self) -> int:
        return len(self._events)

    def add(self, evicted: EvictedEvent) -> None:
        self._events[evicted.event_id] = evicted
        for article_id in evicted.article_ids:
            self._event_of[article_id] = evicted.event_id
        if evicted.last_ingested_at is not None:
            heapq.heappush(self._heap, (evicted.last_ingested_at, evicted.event_id))

    def event_of(self, article_id: str) -> str | None:
        return self._event_of.get(article_id)

    def forget_expired(self, ingested_at: float | None) -> list[str]:
        """Advance the clock to `ingested_at`; drop the events it has left behind; their ids."""
        if ingested_at is not None and (self._clock is None or ingested_at > self._clock):
            self._clock = ingested_at
        if self._clock is None:
            return []
        out = []
        while self._heap and self._heap[0][0] < self._clock - self.forget_after_s:
            _, event_id = heapq.heappop(self._heap)
            evicted = self._events.pop(event_id, None)
            if evicted is None:
                continue
            for article_id in evicted.article_ids:
                if self._event_of.get(article_id) == event_id:
                    del self._event_of[article_id]
            out.append(event_id)
        return out


def _v1_to_v2(state: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (no schema_version) could hold EventRecord.last_ingested, dropped once restore took the
    times from the members."""
    state.pop("last_ingested", None)
    return state | {"schema_version": 2}


# version -> the step to the next version; parse_state applies them in turn
UPCASTS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def parse_state(value: str | bytes) -> EventRecord | EvictedEvent:
    """A value of the processor's events table (a live event's record or an evicted event's remains),
    written by this version or an older one. Fields a newer version added are ignored (a rolled-back worker)."""
    state = orjson.loads(value)
    while (version := state.get("schema_version", 1)) in UPCASTS:
        state = UPCASTS[version](state)
    model = EvictedEvent if "article_ids" in state else EventRecord
    return model.model_validate(state, extra="ignore")
