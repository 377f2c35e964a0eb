"""Write tests/data/dedup_state_v1.jsonl: dedup table values in state version 1, written by that version's code.

Run from a checkout of commit 3678a9a (the last one whose EventRecord had `last_ingested`):
    git worktree add /tmp/prev 3678a9a && cd /tmp/prev
    PYTHONPATH=. python /path/to/this/file > dedup_state_v1.jsonl
Two stories of three articles; capacity 1, so the first story is evicted when the second starts: one
EvictedEvent and one EventRecord, as the processor's table holds them.
"""
import sys

from services.processor.dedup import DedupConfig, Deduplicator
from tests.unit.processor.dedup.conftest import Synth

synth = Synth(seed=7)
dedup = Deduplicator(DedupConfig(max_live_events=1))
table = {}
for s, story in enumerate([synth.direction(), synth.direction()]):
    for i in range(3):
        entities = ("joe biden", "vladimir putin") if s == 0 else ("xi jinping",)
        article = synth.article(story, noise=0.2, hours=i, entities=entities, article_id=f"s{s}a{i}", outlet=f"outlet{i}")
        for gone in dedup.evict_expired():
            table[gone.event_id] = gone.model_dump_json()
        record = dedup.add(article)
        table[record.event_id] = record.model_dump_json()
for value in table.values():
    sys.stdout.write(value + "\n")
