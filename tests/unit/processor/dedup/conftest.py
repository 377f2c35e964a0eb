from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from schemas import Actor, ArticleEvent, ArticleFeatures, EventDate, ExtractedArticle, Place
from services.processor.dedup.features import EMBEDDING_MODEL, USE_DIM

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


class Synth:
    """Hand-made articles: embedding = topic direction + story direction + noise (cosines are controlled)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.dim = USE_DIM
        self.n = 0

    def direction(self) -> np.ndarray:
        return unit(self.rng.standard_normal(self.dim))

    def article(self, story: np.ndarray, *, noise: float = 0.35, day: int = 0, hours: float = 0.0,
                entities: tuple[str, ...] = (), places: tuple[str, ...] = (), keywords: tuple[str, ...] = (),
                minhash: list[int] | None = None, article_id: str | None = None, outlet: str = "nyt",
                event_day: date | None = None, dated: bool = True, sides: tuple[str, str] | None = None,
                language: str = "en") -> ExtractedArticle:
        self.n += 1
        # L2-normalised, as FeatureEncoder writes it
        emb = unit(story + noise * unit(self.rng.standard_normal(self.dim)))
        published = T0 + timedelta(days=day, hours=hours) if dated else None
        ev_date = event_day or (published.date() if published else None)
        event = ArticleEvent(
            # sides: the event's actor1 / actor2 (who did what to whom); entities: other actors
            actors=[Actor(name=n, role=r) for n, r in zip(sides or (), ("actor1", "actor2"))]
            + [Actor(name=e) for e in entities], places=[Place(name=p) for p in places],
            event_date=EventDate(date=ev_date, precision="day", source="text") if ev_date else EventDate(),
            language=language,
        )
        feats = ArticleFeatures(
            embedding=emb.astype(float).tolist(), embedding_model=EMBEDDING_MODEL,
            entities=[e.lower() for e in entities + places] + ["#" + k for k in keywords],
            minhash=minhash if minhash is not None else self.rng.integers(0, 2**40, 64).tolist(),
        )
        return ExtractedArticle(
            article_id=article_id or f"a{self.n}", outlet=outlet, title=f"title {self.n}",
            published_at=published, ingested_at=published or T0, event=event, features=feats,
        )


@pytest.fixture
def synth() -> Synth:
    return Synth()


# A pair model of embedding cosine alone: p >= 0.5 exactly when cosine >= 0.7.
SIMILARITY_ONLY = {"features": ["sim_use"], "coef": [20.0], "intercept": -14.0, "threshold": 0.5}


def lone_article_story(synth: Synth) -> tuple[ExtractedArticle, ExtractedArticle, ExtractedArticle]:
    """Three articles in a plane, under SIMILARITY_ONLY: `lone` (at 50 degrees) comes first and stays alone,
    `first` (0 degrees) starts the event, `second` (24 degrees) joins it, rather than `lone`; the grown event's
    centroid (12 degrees) is then within reach of `lone` (cosine 0.79)."""
    def at(degrees: float) -> np.ndarray:
        v = np.zeros(USE_DIM)
        v[0], v[1] = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
        return v
    return (synth.article(at(50), noise=0.0), synth.article(at(0), noise=0.0, hours=1),
            synth.article(at(24), noise=0.0, hours=2))
