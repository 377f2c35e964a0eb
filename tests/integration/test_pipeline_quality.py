"""`python -m services.evaluation.pipeline_quality` on a tiny labeled file: real broker, ingest, processor, sink."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from services.sink.store import EventStore

QUAKE = ("A magnitude 6.1 earthquake struck near the Chilean city of Iquique on Tuesday, damaging buildings "
         "and cutting power to thousands of homes, Chile's emergency office said.")
TRANSFER = ("Manchester United agreed a 60 million pound fee with Borussia Dortmund for winger Jadon Sancho on "
            "Tuesday, the clubs said, ending a transfer saga that lasted more than a year.")
ROWS = [
    {"id": "q1", "url": "https://news.example.com/iquique-quake", "outlet": "example", "event_label": "quake",
     "title": "Earthquake hits Iquique, Chile", "text": QUAKE, "published_at": "2021-07-06T09:00:00Z"},
    {"id": "q2", "url": None, "outlet": "wire", "event_label": "quake", "published_at": None,
     "title": "Strong quake shakes northern Chile", "text": QUAKE.replace("Tuesday", "Tuesday morning")},
    {"id": "q3", "url": None, "outlet": "daily", "event_label": "quake", "published_at": None,
     "title": "Chile: buildings damaged as 6.1 quake strikes Iquique", "text": QUAKE + " No deaths were reported."},
    {"id": "t1", "url": "https://sport.example.com/sancho", "outlet": "sport", "event_label": "transfer",
     "title": "United agree Sancho fee with Dortmund", "text": TRANSFER, "published_at": "2021-07-06T12:00:00Z"},
    {"id": "t2", "url": None, "outlet": "wire", "event_label": "transfer", "published_at": None,
     "title": "Sancho to Manchester United for 60m pounds", "text": TRANSFER.replace("agreed", "has agreed")},
    {"id": "t3", "url": "https://paper.example.com/sancho-deal", "outlet": "paper", "event_label": "transfer",
     "title": "Dortmund accept United bid for Sancho", "text": TRANSFER + " He signs a five-year contract.",
     "published_at": "2021-07-06T13:00:00Z"},
    # headline only: ingest rejects it today (text required); either way it must be accounted for
    {"id": "t4", "url": None, "outlet": "agg", "event_label": "transfer", "published_at": None,
     "title": "Sancho joins Manchester United", "text": ""},
]
FIELDS = {"file", "rows", "seed", "batch", "raw_partitions", "database", "accepted_rows", "distinct_articles",
          "undated_accepted_rows", "rejected_rows", "rejected", "events_in_sink", "articles_in_several_events",
          "n_gold", "n_pred", "bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_p", "pairwise_r", "pairwise_f1",
          "docs_per_s", "post_to_all_stored_s"}


def test_every_accepted_article_comes_back_as_a_source_and_is_scored(tmp_path: Path):
    dataset = tmp_path / "tiny.jsonl"
    dataset.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    run_dir = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "services.evaluation.pipeline_quality", str(dataset),
                           "--seed", "3", "--batch", "3", "--run-dir", str(run_dir), "--stall-timeout", "120"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result.keys() >= FIELDS
    assert (result["rows"], result["seed"], result["batch"], result["database"]) == (7, 3, 3, "sqlite")
    assert result["accepted_rows"] + result["rejected_rows"] == 7
    assert all(r["reason"] for r in result["rejected"])
    assert result["accepted_rows"] >= 6 and result["undated_accepted_rows"] >= 2
    store = EventStore(f"sqlite:///{run_dir / 'data' / 'newsfuse.db'}")
    assert len(store.placed_article_ids()) == result["distinct_articles"] == result["accepted_rows"]
    store.engine.dispose()
    assert result["n_gold"] == 2 and 1 <= result["n_pred"] == result["events_in_sink"] <= 6
    assert result["articles_in_several_events"] == 0
    assert 0 < result["bcubed_f1"] <= 1 and 0 <= result["pairwise_f1"] <= 1
