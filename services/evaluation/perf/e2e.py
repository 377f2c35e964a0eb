"""4-6. End to end on the embedded broker: ingest -> processor (1 or 2 workers) -> sink, real processes.

Per configuration (fresh broker, fresh SQLite database):
  warm-up   a few articles, until each is a source in the sink DB (models loaded, lazy imports done);
  burst     N articles (dataset stream order) POSTed in batches as fast as ingest takes them: sustained
            articles/s = N / (last article visible in the sink DB - first POST); scored against gold;
  headlines 20 articles/s of headline-only items, one POST each (open loop), for a fixed duration;
  fulltext  20 articles/s of full-text items, one POST each;
  fulltext_fast  60 articles/s of full-text items (a few seconds), one POST each: latency under load.
Latency = POST answered 202 (broker has the article) -> the article is a source of an event on the
canonical topic (a consumer in this process, assigned every partition) and in the sink DB (polled).
The burst input is also clustered by the peers (services.evaluation.peers) and scored with
services.evaluation.metrics, so throughput and F1 are ratios to the peers on the same articles.
"""

from __future__ import annotations

import asyncio
import math
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import orjson

from services.common.dlq import article_id_of
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC
from services.evaluation.perf.data import Item
from services.evaluation.perf.pipeline import (
    Stack,
    encode,
    new_stack,
    post_all,
    post_paced,
    wait_http,
    wait_log,
)
from services.evaluation.perf.stats import cpu_per_article, latency_summary, rate, top_frames


class TopicWatcher(threading.Thread):
    """Reads the raw, extracted and canonical topics from the beginning (no consumer group) and remembers
    when each article first appears on each: the article key on raw/extracted, a source of an event on
    the canonical topic. That splits the latency by hop."""

    def __init__(self, settings) -> None:
        super().__init__(name="topic-watcher", daemon=True)
        from kafka import KafkaConsumer, TopicPartition

        from services.common.kafka import client_config

        self.consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False,
                                      auto_offset_reset="earliest", fetch_max_wait_ms=50)
        assigned = []
        for t in (RAW_TOPIC, EXTRACTED_TOPIC, CANONICAL_TOPIC):
            parts = self.consumer.partitions_for_topic(t) or {0}
            assigned += [TopicPartition(t, p) for p in sorted(parts)]
        self.consumer.assign(assigned)
        self.seen: dict[str, float] = {}                     # canonical topic
        self.by_topic: dict[str, dict[str, float]] = {RAW_TOPIC: {}, EXTRACTED_TOPIC: {}}
        self.latest: dict[str, tuple[int, list[str]]] = {}   # event id -> (version, article ids)
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                batches = self.consumer.poll(timeout_ms=100, max_records=2000)
                now = time.monotonic()
                with self.lock:
                    for tp, records in batches.items():
                        if tp.topic != CANONICAL_TOPIC:
                            seen = self.by_topic[tp.topic]
                            for r in records:
                                if article_id := article_id_of(r):
                                    seen.setdefault(article_id, now)
                            continue
                        for r in records:
                            if r.value is None:  # a tombstone: its one article moved into another event
                                self.latest.pop(r.key.decode(), None)
                                continue
                            event = orjson.loads(r.value)
                            ids = [s["article_id"] for s in event.get("sources", [])]
                            for aid in ids:
                                self.seen.setdefault(aid, now)
                            v = int(event.get("version", 0))
                            if v >= self.latest.get(event["event_id"], (-1, []))[0]:
                                self.latest[event["event_id"]] = (v, ids)
        finally:
            self.consumer.close()

    def assignment(self) -> dict[str, str]:
        with self.lock:
            return {aid: eid for eid, (_, ids) in self.latest.items() for aid in ids}


class SinkWatcher(threading.Thread):
    """Polls the sink database: when each article first appears as a stored source."""

    def __init__(self, settings, every: float = 0.25) -> None:
        super().__init__(name="sink-watcher", daemon=True)
        from services.sink.store import EventStore

        self.store = EventStore(settings.sqlalchemy_url)
        self.every = every
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            try:
                ids = self.store.placed_article_ids()
            except Exception:  # noqa: BLE001 - table not created yet, or locked for a moment
                continue
            now = time.monotonic()
            for aid in ids:
                self.seen.setdefault(aid, now)
        self.store.engine.dispose()


def _wait_visible(ids: list[str], watcher, stack: Stack, timeout: float, progress=None, task=None) -> bool:
    deadline = time.monotonic() + timeout
    want = set(ids)
    while time.monotonic() < deadline:
        stack.check_alive()
        done = len(want & watcher.seen.keys())
        if progress is not None:
            progress.update(task, completed=done)
        if done == len(want):
            return True
        time.sleep(0.2)
    return False


def _paced(stack: Stack, items: list[Item], per_second: float, topic: TopicWatcher, sink: SinkWatcher,
           progress, label: str, drain_timeout: float) -> dict:
    url = f"{stack.ingest_url}/v1/articles"
    bodies = [encode(i.payload) for i in items]
    accepted: dict[str, float] = {}
    index: dict[str, int] = {}
    statuses: dict[int, int] = {}
    task = progress.add_task(f"{label}: posting {per_second:g}/s", total=len(bodies))

    def on_accepted(i: int, status: int, when: float, ids: list[str]) -> None:
        statuses[status] = statuses.get(status, 0) + 1
        if status == 202:
            accepted[ids[0]] = when
            index[ids[0]] = i
        progress.advance(task)

    t0 = time.monotonic()
    asyncio.run(post_paced(url, bodies, per_second, on_accepted))
    post_s = time.monotonic() - t0
    progress.update(task, description=f"{label}: waiting for the sink", completed=0, total=len(accepted))
    _wait_visible(list(accepted), sink, stack, drain_timeout, progress, task)
    time.sleep(0.3)  # the topic watcher is ahead of the sink; let it catch the last records
    progress.remove_task(task)
    lat_topic = [topic.seen[a] - t for a, t in accepted.items() if a in topic.seen]
    lat_sink = [sink.seen[a] - t for a, t in accepted.items() if a in sink.seen]
    # per hop, over the articles seen at both ends: 202 -> raw topic -> extracted -> canonical -> sink DB
    raw, ext = topic.by_topic[RAW_TOPIC], topic.by_topic[EXTRACTED_TOPIC]
    marks = [("202 answered", accepted), ("on raw topic", raw), ("on extracted topic (extract agent)", ext),
             ("on canonical topic (dedup agent)", topic.seen), ("in sink DB", sink.seen)]
    hops = {}
    for (a_name, a_seen), (b_name, b_seen) in zip(marks, marks[1:]):
        both = [b_seen[k] - a_seen[k] for k in accepted if k in a_seen and k in b_seen]
        hops[f"{a_name} -> {b_name}"] = latency_summary(both)
    missing = [k for k in accepted if k not in sink.seen]
    done_at = max((sink.seen[a] for a in accepted if a in sink.seen), default=math.nan)
    return {
        "offered_per_s": per_second, "posted": len(bodies), "statuses": statuses,
        "achieved_post_per_s": rate(len(bodies), post_s), "accepted": len(accepted),
        "latency_topic_s": latency_summary(lat_topic, expected=len(accepted)),
        "latency_sink_s": latency_summary(lat_sink, expected=len(accepted)),
        "drained_per_s": rate(len(lat_sink), done_at - t0) if not math.isnan(done_at) else None,
        "drain_timeout_s": drain_timeout, "hops_s": hops,
        "missing": [{"article_id": k, "index": index[k], "title": items[index[k]].payload["title"][:120],
                     "on_raw": k in raw, "on_extracted": k in ext, "on_canonical": k in topic.seen}
                    for k in missing[:10]],
    }


def _profile(pid: int, seconds: int, out: Path) -> subprocess.Popen | None:
    exe = shutil.which("py-spy") or str(Path(__import__("sys").executable).with_name("py-spy"))
    if not Path(exe).exists():
        return None
    return subprocess.Popen([exe, "record", "-p", str(pid), "-d", str(seconds), "-r", "47", "-f", "raw",
                             "--nonblocking", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _burst(stack: Stack, items: list[Item], topic: TopicWatcher, sink: SinkWatcher, progress, label: str,
           batch: int, drain_timeout: float, profile_to: Path | None) -> dict:
    url = f"{stack.ingest_url}/v1/articles"
    bodies = [encode([i.payload for i in items[k:k + batch]]) for k in range(0, len(items), batch)]
    spy = None
    if profile_to is not None:
        pid = stack.processes["processor-1"].pid
        spy = _profile(pid, int(min(drain_timeout, 40)), profile_to)
    cpu_before = stack.cpu_seconds()
    t0 = time.monotonic()
    out = asyncio.run(post_all(url, bodies, 2, lambda *a: None))
    post_s = time.monotonic() - t0
    ids = [aid for status, _, got in out if status == 202 for aid in got]
    task = progress.add_task(f"{label}: {len(ids)} articles through the pipeline", total=len(ids))
    complete = _wait_visible(ids, sink, stack, drain_timeout, progress, task)
    cpu = cpu_per_article(cpu_before, stack.cpu_seconds(), len(ids), len(os.sched_getaffinity(0)))
    time.sleep(0.3)
    progress.remove_task(task)
    done = sorted(sink.seen[a] - t0 for a in ids if a in sink.seen)
    profile = None
    if spy is not None:
        try:
            spy.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()
        if profile_to.exists():
            lines = profile_to.read_text(errors="replace").splitlines()
            profile = {
                "samples": sum(int(ln.rpartition(" ")[2]) for ln in lines if ln.rpartition(" ")[2].isdigit()),
                "inclusive": top_frames(lines, limit=40),
            }
    # steady state: between 10 % and 90 % of the articles stored (excludes the first batch's pipeline fill)
    steady = None
    if len(done) >= 20:
        a, b = done[len(done) // 10], done[(9 * len(done)) // 10]
        steady = rate((9 * len(done)) // 10 - len(done) // 10, b - a) if b > a else None
    return {
        "articles": len(items), "accepted": len(ids), "batch": batch, "post_s": round(post_s, 2),
        "ingest_articles_per_s": rate(len(ids), post_s), "complete": complete,
        "stored": len(done), "seconds_to_last_stored": round(done[-1], 2) if done else None,
        "sustained_articles_per_s": rate(len(done), done[-1]) if done else None,
        "steady_articles_per_s": steady, "cpu": cpu, "ids": ids, "profile": profile,
    }


def run_config(workers: int, items: dict[str, list[Item]], run_dir: Path, progress, rate_per_s: float,
               fast_rate_per_s: float, burst_batch: int, drain_timeout: float, profile: bool,
               raw_partitions: int) -> dict:
    stack = new_stack(run_dir, raw_partitions=raw_partitions,
                      processor_app_id=f"newsfuse-perf-{workers}w")
    topic = sink = None
    result: dict = {"workers": workers, "raw_partitions": raw_partitions}
    try:
        t_start = time.monotonic()
        stack.start("ingest", "ingest")
        stack.start("sink", "sink")
        for w in range(1, workers + 1):
            stack.start(f"processor-{w}", "processor")
        wait_http(f"{stack.ingest_url}/healthz", stack)
        for w in range(1, workers + 1):
            if not wait_log(stack.run_dir / "logs" / f"processor-{w}.log", "extract agent ready", stack, 180):
                raise TimeoutError(f"processor-{w} not ready after 180 s")
        topic, sink = TopicWatcher(stack.settings), SinkWatcher(stack.settings)
        topic.start()
        sink.start()
        # warm-up: one request, articles spread over every raw partition (so over every worker)
        warm = items["warmup"]
        out = asyncio.run(post_all(f"{stack.ingest_url}/v1/articles", [encode([i.payload for i in warm])], 1,
                                   lambda *a: None))
        warm_ids = out[0][2]
        task = progress.add_task(f"{workers} worker(s): warm-up", total=len(warm_ids))
        if not _wait_visible(warm_ids, sink, stack, 240, progress, task):
            raise TimeoutError("warm-up articles not stored within 240 s")
        progress.remove_task(task)
        result["startup_to_warm_s"] = round(time.monotonic() - t_start, 1)
        burst = _burst(stack, items["burst"], topic, sink, progress, f"{workers}w burst", burst_batch,
                       drain_timeout, run_dir / "processor.pyspy.txt" if profile else None)
        assignment = topic.assignment()
        ids = burst.pop("ids")
        result["burst"] = burst
        result["burst_assignment"] = [assignment.get(a) for a in ids]
        result["headlines"] = _paced(stack, items["headlines"], rate_per_s, topic, sink, progress,
                                     f"{workers}w headlines", drain_timeout)
        result["fulltext"] = _paced(stack, items["fulltext"], rate_per_s, topic, sink, progress,
                                    f"{workers}w full text", drain_timeout)
        if items.get("fulltext_fast"):
            result["fulltext_fast"] = _paced(stack, items["fulltext_fast"], fast_rate_per_s, topic, sink, progress,
                                             f"{workers}w full text, fast", drain_timeout)
        result["peak_rss_mb"] = stack.peak_rss()
        result["wall_s"] = round(time.monotonic() - t_start, 1)
        return result
    finally:
        for w in (topic, sink):
            if w is not None:
                w.stop.set()
        stack.stop()
        for w in (topic, sink):
            if w is not None:
                w.join(timeout=5)


def score_burst(items: list[Item], assignment: list[str | None]) -> dict:
    """F1 of the pipeline's assignment of the burst articles (unplaced ones count as singletons)."""
    from services.evaluation.metrics import evaluate

    pred = [a if a is not None else f"unplaced-{n}" for n, a in enumerate(assignment)]
    return evaluate([i.label for i in items], pred)


def peers(items: list[Item]) -> dict:
    """The peers (their default, dev-tuned thresholds) on exactly the burst input, in the same order."""
    from services.evaluation.metrics import evaluate
    from services.evaluation.perf.ratios import timed_peers

    gold = [i.label for i in items]
    return {peer.name: {"docs_per_s": rate(len(items), dt), "seconds": round(dt, 2), "threshold": peer.threshold,
                        **evaluate(gold, [str(x) for x in labels])}
            for peer, labels, dt in timed_peers([i.row for i in items])}
