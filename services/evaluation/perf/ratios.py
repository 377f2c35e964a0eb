"""Every throughput of a `make bench` run as a ratio: to the peers on the same input, and to the previous run.

A 2-core machine shared with other jobs runs at a different speed every hour, so an absolute articles/s says
little on its own. The peers (services.evaluation.peers: TF-IDF single pass, MinHash-LSH) are timed in the
benchmark process on exactly the input of each figure, just before or after it: a slower machine slows
both, and the ratio stays. The previous run's figures (docs/benchmarks.json as it was before this run) show
what a change of the code did, with the load of both runs beside them.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from services.evaluation.perf.stats import rate, ratio

PEERS = ("tfidf-single-pass", "minhash-lsh")


class Figure(NamedTuple):
    name: str               # stable across runs: the key that matches the previous run's figure
    articles_per_s: float
    peer_input: str | None  # key of results["peer_rates"]: the peers timed on the same articles


def timed_peers(rows: list[dict]) -> list[tuple[object, list, float]]:
    """(peer, its labels, seconds) for each peer clustering `rows` ({"title", "text"}) in this process."""
    from services.evaluation.peers import MinHashLSHGrouping, TfidfSinglePass

    out = []
    for peer in (TfidfSinglePass(), MinHashLSHGrouping()):
        peer.cluster(rows[:5])  # imports (sklearn, datasketch) are not timed
        t = time.perf_counter()
        labels = peer.cluster(rows)
        out.append((peer, labels, time.perf_counter() - t))
    return out


def peer_rates(rows: list[dict]) -> dict[str, float]:
    """Documents per second of each peer on `rows`."""
    return {peer.name: rate(len(rows), dt) for peer, _, dt in timed_peers(rows)}


def figures(r: dict) -> list[Figure]:
    """Every throughput figure of a results dict (also of older runs: missing parts are skipped)."""
    out: list[Figure] = []
    for g in r.get("ingest", {}).get("runs", []):
        out.append(Figure(f"ingest, {g['mode']}", g["articles_per_s"], "ingest"))
    for c in r.get("extract", {}).get("configs", []):
        for name, v in c.items():
            if isinstance(v, dict) and "articles_per_s" in v:
                out.append(Figure(f"extraction, {c['config']}: {name}", v["articles_per_s"], name))
    for d in r.get("dedup", {}).get("runs", []):
        out.append(Figure(f"dedup at {d['live_events_before']:,} live events (random vectors)", d["articles_per_s"], None))
    real = r.get("dedup", {}).get("real")
    if real:
        out.append(Figure(f"dedup at {real['live_events_before']:,} live events (real dev embeddings)",
                          real["articles_per_s"], "dedup real"))
    for c in r.get("e2e", {}).get("configs", []):
        for key in ("sustained_articles_per_s", "steady_articles_per_s"):
            if c["burst"].get(key) is not None:
                out.append(Figure(f"end to end {key.split('_')[0]}, {c['workers']} worker(s)", c["burst"][key], "burst"))
        idle = (c["burst"].get("cpu") or {}).get("articles_per_s_on_idle_cores")
        if idle:
            out.append(Figure(f"end to end on idle cores (from CPU time), {c['workers']} worker(s)", idle, "burst"))
    return out


def summary(r: dict) -> dict:
    """What the next run compares itself with."""
    return {"started_utc": r.get("started_utc"), "load_avg_start": r.get("machine", {}).get("load_avg_start"),
            "figures": {f.name: f.articles_per_s for f in figures(r)}}


def rows(r: dict) -> list[list]:
    """[figure, articles/s, previous, × previous, ÷ each peer on the same input] per throughput figure."""
    previous = (r.get("previous_run") or {}).get("figures", {})
    peers = r.get("peer_rates", {})
    out = []
    for f in figures(r):
        before = previous.get(f.name)
        on_input = peers.get(f.peer_input, {}) if f.peer_input else {}
        out.append([f.name, f.articles_per_s, before, ratio(f.articles_per_s, before)]
                   + [ratio(f.articles_per_s, on_input.get(p)) for p in PEERS])
    return out


HEADER = ["throughput", "articles/s", "previous run", "× previous", "÷ TF-IDF (same input)", "÷ MinHash-LSH (same input)"]
