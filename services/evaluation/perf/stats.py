"""Pure helpers of the performance benchmark: percentiles, rates, /proc memory, markdown sections."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path

START, END = "<!-- perf:start -->", "<!-- perf:end -->"
_LINE = re.compile(r":\d+\)$")


def percentile(values: Sequence[float], q: float) -> float | None:
    """q-th percentile (0..100) with linear interpolation between order statistics (numpy's default).

    None for an empty sequence.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be in [0, 100], got {q}")
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    frac = pos - lo
    if frac == 0:
        return data[lo]
    return data[lo] + (data[lo + 1] - data[lo]) * frac


def latency_summary(latencies: Sequence[float], expected: int | None = None) -> dict:
    """p50/p95/p99/max/mean (seconds) of observed latencies; `missing` = expected items never observed.

    A missing item counts as an infinitely late one: a percentile that falls among them is reported as
    None (unknown, above the wait limit), never computed over the survivors only (that would flatter).
    """
    n = len(latencies)
    missing = max((expected if expected is not None else n) - n, 0)
    data = sorted(latencies) + [math.inf] * missing
    out: dict = {"n": n, "missing": missing}
    for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        v = percentile(data, q)
        out[name] = round(v, 4) if v is not None and math.isfinite(v) else None
    out["mean"] = round(sum(latencies) / n, 4) if n and not missing else None
    return out


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 2)


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a live process, in MB; None if it is gone or unreadable."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return parse_vmhwm_mb(text)


def parse_vmhwm_mb(status_text: str) -> float | None:
    for line in status_text.splitlines():
        if line.startswith("VmHWM:"):
            parts = line.split()
            value, unit = int(parts[1]), (parts[2] if len(parts) > 2 else "kB").lower()
            factor = {"kb": 1 / 1024, "mb": 1.0, "gb": 1024.0}.get(unit, 1 / 1024)
            return round(value * factor, 1)
    return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) a live process has used so far; None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return parse_cpu_seconds(stat, os.sysconf("SC_CLK_TCK"))


def parse_cpu_seconds(stat_text: str, ticks_per_s: int) -> float:
    # fields after the parenthesised command (which may hold spaces): state is field 3, utime 14, stime 15
    fields = stat_text.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / ticks_per_s


def cpu_per_article(before: dict[str, float | None], after: dict[str, float | None], articles: int,
                    cores: int) -> dict:
    """CPU ms per article of each process between two `Stack.cpu_seconds()` snapshots, their total, and the
    articles/s that total allows on `cores` idle cores (what the pipeline would do with the machine to itself)."""
    used = {name: after[name] - before[name] for name in before
            if before[name] is not None and after.get(name) is not None}
    if not articles or not used:
        return {}
    ms = {name: round(1000 * seconds / articles, 1) for name, seconds in used.items()}
    total = sum(used.values()) / articles
    return {"ms_per_article": ms, "total_ms_per_article": round(1000 * total, 1),
            "articles_per_s_on_idle_cores": round(cores / total, 1) if total > 0 else None, "cores": cores}


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    def cell(v: object) -> str:
        if v is None:
            return "–"
        if isinstance(v, float):
            return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
        return str(v).replace("|", "\\|")

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def replace_section(text: str, section: str, start: str = START, end: str = END) -> str:
    """Put `section` (which includes the markers) in place of the marked block, or append it.

    Everything outside the markers (e.g. the quality section) is kept byte for byte.
    """
    if start in text and end in text and text.index(start) < text.index(end):
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        return head + section + tail
    base = text.rstrip("\n")
    return (base + "\n\n" if base else "") + section + "\n"


def top_frames(raw_lines: Sequence[str], prefix_filter: Sequence[str] = (), limit: int = 12) -> list[tuple[str, float]]:
    """Inclusive share of samples per frame from py-spy `--format raw` output ("f1;f2;...;fn COUNT").

    A frame is "function (file)" (line numbers dropped, so a function is one entry) and counts once per
    stack (recursion is not double counted). Frames whose text contains none of `prefix_filter` (when given)
    are skipped. Returns [(frame, share 0..1)] sorted by share.
    """
    totals: dict[str, int] = {}
    samples = 0
    for line in raw_lines:
        line = line.rstrip("\n")
        if not line or " " not in line:
            continue
        stack, _, count = line.rpartition(" ")
        try:
            n = int(count)
        except ValueError:
            continue
        samples += n
        for frame in {_LINE.sub(")", f) for f in stack.split(";")}:
            if prefix_filter and not any(p in frame for p in prefix_filter):
                continue
            totals[frame] = totals.get(frame, 0) + n
    if not samples:
        return []
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(frame, round(n / samples, 4)) for frame, n in ranked]
