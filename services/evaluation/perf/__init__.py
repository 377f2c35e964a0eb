"""Performance benchmark of newsfuse on this machine (`make bench` / `python -m services.evaluation.perf`).

Measures ingest HTTP, extraction, dedup assignment, the end-to-end pipeline on the embedded broker (1 and 2
processor workers) and the peer clusterers on the same input; writes JSON and the "Performance" section of
docs/benchmarks.md (between the perf markers). Everything runs on loopback with bounded loops.
"""
