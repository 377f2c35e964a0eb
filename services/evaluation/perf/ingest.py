"""1. Ingest HTTP throughput: a real `newsfuse serve ingest` process on the embedded broker.

The client (httpx, a few concurrent keep-alive connections, bodies encoded beforehand) runs in this process
on the same 2 cores, so the figures are for server + client + broker together on this machine. A request
counts only when it got 202, i.e. after the broker acknowledged every article of it (acks=all).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from services.evaluation.perf.data import Item, take
from services.evaluation.perf.pipeline import encode, new_stack, post_all, wait_http
from services.evaluation.perf.stats import latency_summary, rate


def run(items: list[Item], run_dir: Path, progress, single: int, batches: dict[int, int],
        concurrency: int = 4) -> dict:
    stack = new_stack(run_dir)
    try:
        stack.start("ingest", "ingest")
        wait_http(f"{stack.ingest_url}/healthz", stack)
        url = f"{stack.ingest_url}/v1/articles"
        # warm-up: the publisher connects lazily on the first request
        asyncio.run(post_all(url, [encode([i.payload for i in take(items, 10, tag="w")])], 1, lambda *a: None))
        results: dict = {"concurrency": concurrency, "runs": []}
        cursor = 0
        plans = [("single", 1, single)] + [(f"batch {size}", size, total) for size, total in batches.items()]
        for label, size, total in plans:
            requests = max(total // size, 1)
            chosen = take(items, requests * size, start=cursor, tag="i")
            cursor += requests * size
            if size == 1:
                bodies = [encode(i.payload) for i in chosen]
            else:
                bodies = [encode([i.payload for i in chosen[k:k + size]]) for k in range(0, len(chosen), size)]
            mb = sum(len(b) for b in bodies) / 1e6
            task = progress.add_task(f"ingest {label}", total=len(bodies))
            t0 = time.perf_counter()
            out = asyncio.run(post_all(url, bodies, concurrency, lambda *a: progress.advance(task)))
            dt = time.perf_counter() - t0
            progress.remove_task(task)
            ok = sum(1 for s, _, _ in out if s == 202)
            results["runs"].append({
                "mode": label, "articles_per_request": size, "requests": len(bodies), "accepted_requests": ok,
                "statuses": sorted({s for s, _, _ in out}), "articles": ok * size, "seconds": round(dt, 2),
                "articles_per_s": rate(ok * size, dt), "requests_per_s": rate(ok, dt), "mb_per_s": round(mb / dt, 2),
                "request_latency_s": latency_summary([t for s, t, _ in out if s == 202]),
            })
            stack.check_alive()
        results["peak_rss_mb"] = stack.peak_rss()
        from services.evaluation.perf import probe

        task = progress.add_task("broker fetch wake-up probe", total=None)
        results["fetch_probe_s"] = probe.run(stack.broker.bootstrap_servers)
        progress.remove_task(task)
        return results
    finally:
        stack.stop()
