"""The ingest journal on a real SQLite file: order, first copy wins, pruning by ingestion age, reopening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemas import Article, RawArticle
from services.ingest.domain import to_raw
from services.ingest.journal import IngestJournal, prune_cutoff

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def article(n: int, ingested: datetime = NOW, text: str = "body") -> RawArticle:
    return to_raw(Article.model_validate({"url": f"https://example.com/{n}", "title": f"Story {n}", "text": text}),
                  source="http", now=ingested)


def replayed(journal: IngestJournal, batch: int = 1000) -> list[str]:
    return [m.article_id for messages in journal.entries(batch) for m in messages]


def test_entries_come_back_in_the_order_they_were_recorded_across_batches(tmp_path: Path):
    articles = [article(n) for n in (5, 1, 9, 3, 7)]
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        journal.record(articles[:2])
        journal.record(articles[2:])
        assert replayed(journal, batch=2) == [a.article_id for a in articles]


def test_a_resent_article_is_published_as_first_journaled_and_keeps_its_place(tmp_path: Path):
    first = article(1, NOW, text="first version")
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        journal.record([first, article(2)])
        [message] = journal.record([article(1, NOW + timedelta(hours=1), text="edited later")])
        assert message.payload == first.model_dump_json().encode()  # same ingested_at: same event id on replay
        assert replayed(journal) == [first.article_id, article(2).article_id]


def test_journal_survives_reopening(tmp_path: Path):
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        journal.record([article(1), article(2)])
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        assert journal.article_ids() == {article(1).article_id, article(2).article_id}


def test_prune_drops_only_articles_ingested_before_the_horizon(tmp_path: Path):
    old, recent = article(1, NOW - timedelta(days=31)), article(2, NOW - timedelta(days=29))
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        journal.record([old, recent])
        assert journal.prune(now=NOW.timestamp()) == 1
        assert replayed(journal) == [recent.article_id]


def test_prune_cutoff_is_horizon_days_before_now():
    assert prune_cutoff(NOW.timestamp(), 30) == (NOW - timedelta(days=30)).timestamp()
    assert prune_cutoff(1000.0, 0.5) == 1000.0 - 43_200


def test_clear_empties_the_journal(tmp_path: Path):
    with IngestJournal(tmp_path, horizon_days=30) as journal:
        journal.record([article(1)])
        journal.clear()
        assert replayed(journal) == []
