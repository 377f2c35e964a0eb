"""The ingest journal: every accepted article, on disk, in the order it went to the broker.

Only used with the embedded broker, which keeps everything in memory: when `newsfuse up` starts a fresh one
it re-publishes the journal (same bytes, same order, original `ingested_at`), so the processor rebuilds the
dedup state it had (event ids derive from the creating article and its ingestion time) and the sink ignores
the versions it already has. On Apache Kafka the broker itself is the durable log and no journal is kept.

One SQLite file in the data dir (WAL, synchronous=FULL: a row committed before the 202 survives a kill -9
and a power cut). Writers in several processes (the ingest service, `newsfuse ingest`) take a file lock
around "journal, then publish", so the journal's order is the broker's order.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemas import RawArticle
from services.common.settings import Settings

JOURNAL_FILE = "ingest-journal.db"
SECONDS_PER_DAY = 86_400.0

_SCHEMA = """
create table if not exists articles (
    seq integer primary key autoincrement,   -- publish order
    article_id text not null unique,
    ingested_at real not null,               -- epoch seconds, for pruning
    payload blob not null                    -- the RawArticle JSON exactly as published
)"""


@dataclass(frozen=True)
class ArticleMessage:
    article_id: str
    payload: bytes


def prune_cutoff(now: float, horizon_days: float) -> float:
    """Articles ingested before this epoch second may leave the journal: the processor has forgotten them."""
    return now - horizon_days * SECONDS_PER_DAY


class IngestJournal:
    def __init__(self, data_dir: Path, horizon_days: float, prune_every_s: float = 3600.0) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / JOURNAL_FILE
        self.horizon_days = horizon_days
        self._prune_every_s = prune_every_s
        self._last_prune: float | None = None
        self._thread_lock = threading.Lock()  # the file lock is per open file, not per thread
        self._lock_file = open(data_dir / f"{JOURNAL_FILE}.lock", "a+b")  # noqa: SIM115 - held until close()
        # The HTTP API publishes from a thread pool; the thread lock serialises use of this connection.
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=full")
        self._db.execute(_SCHEMA)

    @classmethod
    def for_settings(cls, settings: Settings) -> IngestJournal:
        # The processor forgets an article this long after its ingestion: replaying it later changes nothing.
        return cls(settings.data_dir, settings.dedup_forget_after_days)

    def __enter__(self) -> IngestJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def in_order(self) -> Iterator[None]:
        """Hold while journaling and publishing one batch: journal order = broker order, across processes."""
        with self._thread_lock:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def record(self, articles: Sequence[RawArticle]) -> list[ArticleMessage]:
        """Journal (and commit) the articles; return what to publish for each, in order.

        An article already journaled is published as it was the first time (same ingested_at), so every copy
        on the broker is identical and a replay has one row per article at its first position.
        """
        self._prune_now_and_then()
        with self._transaction():
            self._db.executemany(
                "insert or ignore into articles (article_id, ingested_at, payload) values (?, ?, ?)",
                [(a.article_id, a.ingested_at.timestamp(), a.model_dump_json().encode()) for a in articles])
            return [ArticleMessage(a.article_id, self._payload_of(a.article_id)) for a in articles]

    def entries(self, batch: int = 1000) -> Iterator[list[ArticleMessage]]:
        """Every journaled article in publish order, `batch` at a time."""
        after = 0
        while True:
            rows = self._db.execute("select seq, article_id, payload from articles where seq > ? order by seq "
                                    "limit ?", (after, batch)).fetchall()
            if not rows:
                return
            yield [ArticleMessage(article_id, bytes(payload)) for _, article_id, payload in rows]
            after = rows[-1][0]

    def article_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("select article_id from articles")}

    def prune(self, now: float | None = None) -> int:
        """Drop articles ingested longer ago than the horizon. Returns how many left."""
        cutoff = prune_cutoff(time.time() if now is None else now, self.horizon_days)
        with self._transaction():
            return self._db.execute("delete from articles where ingested_at < ?", (cutoff,)).rowcount

    def clear(self) -> None:
        with self._transaction():
            self._db.execute("delete from articles")

    def close(self) -> None:
        self._db.close()
        self._lock_file.close()

    def _payload_of(self, article_id: str) -> bytes:
        return bytes(self._db.execute("select payload from articles where article_id = ?", (article_id,)).fetchone()[0])

    def _prune_now_and_then(self) -> None:
        if self._last_prune is None or time.monotonic() - self._last_prune >= self._prune_every_s:
            self._last_prune = time.monotonic()
            self.prune()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("begin immediate")
        try:
            yield
        except BaseException:
            self._db.execute("rollback")
            raise
        self._db.execute("commit")
