"""What the deduplicator remembers about a live event (persisted in a faust Table by the processor)."""

from __future__ import annotations

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

    event_id: str
    version: int = 1
    members: list[Member] = Field(default_factory=list)
    # Index state (the clusterer's own summary of the event): kept here so a restarted
    # worker rebuilds its live index from the table without re-reading any article.
    vector_sum: list[float] = Field(
        default_factory=list,
        description="Sum of member embeddings per block (float32 values, exact in JSON): restoring sums rather "
                    "than rounded means makes a restarted index score exactly like the one that stopped.")
    entity_weights: dict[str, float] = Field(default_factory=dict)
    event_day: int | None = Field(None, description="Resolved event date as days since 1970-01-01.")
    keyword_counts: dict[str, int] = Field(default_factory=dict, description="Members containing each keyword.")
    minhashes: list[list[int]] = Field(default_factory=list, description="MinHash of the first members.")
    first_time: float | None = Field(None, description="Event time (epoch s) of the oldest member.")
    last_time: float | None = Field(None, description="Event time (epoch s) of the newest member: window key.")
    n_use: int = Field(0, description="Members averaged into the multilingual block of the centroid.")
    n_mini: int = Field(0, description="Members averaged into the English block of the centroid.")
    use_dim: int = 0
    mini_dim: int = 0
