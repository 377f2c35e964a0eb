"""Learn the deduplicator's pair model on labeled dev files: `python -m services.evaluation.train_dedup`.

1. Every dev file is analysed with the production `ArticleAnalyzer` (cached under --cache).
2. Oracle stream: articles are placed by their gold label (stream order as in `newsfuse eval`); before
   each placement the article is scored against its candidate events exactly as at run time, and each
   (article, candidate) pair is a training example (positive iff the candidate is its gold event).
3. A small logistic regression on those pair features; then the join threshold and the lone-article margin
   (`DedupConfig.lone_article_margin`) are chosen together by running the real single-pass deduplicator on
   the training files (mean of BCubed F1 and pairwise F1).
4. Refinement (pairs are not streams: single-pass errors compound): a short coordinate search on the
   coefficients, steps of +-0.5, keeps a change only if the clustering objective on the training files
   improves; at most `--refine-rounds` passes.
5. Honest scores: 1-4 are repeated leaving one dev file out (with its headline-only and undated
   variants) and scoring it with the model learned on the others; those leave-one-corpus-out models are
   stored too (`loco`), so that `make bench-quality` reports each file with a model that never saw it.
Writes services/processor/dedup/params.json (features, coef, intercept, threshold, loco, report).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from schemas import ExtractedArticle
from services.evaluation.datasets import datasets_dir
from services.evaluation.metrics import evaluate
from services.evaluation.runner import as_headline_item, read_jsonl
from services.processor.dedup.clusterer import FEATURE_NAMES, PARAMS_PATH, DedupConfig, Deduplicator

DEV_FILES = ("basil_dev.jsonl", "ecbplus_dev.jsonl", "meantime_dev.jsonl")
# Monotonicity: more similarity / shared entities / near-duplication never lowers the join probability,
# a larger date gap never raises it.
SIGNS = {"sim_use": 1, "entity_overlap": 1, "keyword_cos": 1, "date_match": 1, "near_dup": 1,
         "date_gap": -1, "participant_overlap": 1, "participant_conflict": -1, "place_conflict": -1,
         "type_conflict": -1, "day_conflict": -1, "figure_conflict": -1, "weekday_conflict": -1}
# Prior the dev files cannot teach (ECB+ is undated; BASIL's events differ in topic anyway): articles
# whose event dates are weeks apart report different events. date_gap is the gap beyond the 7-day grace
# period, scaled to 1 at 30 days: 0 logits within a week (follow-ups), -1.2 at two weeks, -4 at >= 30 days.
DATE_GAP_MAX_COEF = -4.0
THRESHOLDS = [round(x, 3) for x in np.arange(0.2, 0.91, 0.05)]
# Margins over the threshold for moving a lone article into a grown event (DedupConfig.lone_article_margin).
LONE_ARTICLE_MARGINS = (0.0, 0.1, 0.2, 0.3)


def cache_path(cache: Path, stem: str) -> Path:
    """Cached analysis of one dev file, keyed by the feature settings: changing them starts a new cache."""
    from services.processor.analyze import EXTRACTOR_VERSION
    from services.processor.dedup.features import EMBEDDING_MODEL, KEYWORDS_PER_ARTICLE, LEAD_WORDS

    tag = f"x{EXTRACTOR_VERSION}-{EMBEDDING_MODEL}-lead{LEAD_WORDS}-kw{KEYWORDS_PER_ARTICLE}".replace(":", "")
    return cache / f"{stem}.{tag}.extracted.jsonl"


def analysed_stream(path: Path, analyzer=None, cache: Path | None = None, headline_only: bool = False,
                    undated: bool = False) -> tuple[list[ExtractedArticle], list[str]]:
    """Extracted articles of a dev file in stream order, and their gold labels.

    headline_only: the same file with every body replaced by its headline (headline-only streams are a
    supported input; training on them too keeps the model calibrated when there is no body text).
    undated: the same stream with every publication date removed (scrapers send undated items; a model that
    only saw dated pairs leans on the date features and under-joins without them).
    """
    from services.evaluation.runner import ingestion_time, internal_ids, stream_order, to_raw_article

    rows = read_jsonl(path)
    if headline_only:
        rows = [as_headline_item(r) for r in rows]
    if undated:  # in the dated stream's order
        rows = [{**rows[i], "published_at": None} for i in stream_order(rows)[0]]
    order, _ = stream_order(rows)
    gold = [str(rows[i]["event_label"]) for i in order]
    ids = internal_ids(rows)
    cache_file = variant_cache(cache, path, headline_only, undated)
    if cache_file and cache_file.exists():
        arts = [ExtractedArticle.model_validate_json(line) for line in cache_file.read_text().splitlines()]
        if [a.article_id for a in arts] == [ids[i] for i in order]:
            return arts, gold
    if analyzer is None:
        from services.processor.analyze import ArticleAnalyzer

        analyzer = ArticleAnalyzer()
    arts = analyzer.analyze_many([to_raw_article(rows[i], ingestion_time(n), ids[i]) for n, i in enumerate(order)])
    if cache_file:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text("\n".join(a.model_dump_json() for a in arts) + "\n")
    return arts, gold


def variant_suffix(headline_only: bool, undated: bool) -> str:
    return (":headlines" if headline_only else "") + (":undated" if undated else "")


def variant_cache(cache: Path | None, path: Path, headline_only: bool, undated: bool) -> Path | None:
    """Where the analysis of one variant of a dev file is cached (None: no cache)."""
    suffix = variant_suffix(headline_only, undated).replace(":", ".")
    return cache_path(cache, path.stem + suffix) if cache else None


def oracle_pairs(arts: list[ExtractedArticle], gold: list[str], params: dict | None = None,
                 config: DedupConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pair features of each article against its run-time candidates, labelled by gold events."""
    dd = Deduplicator(config or DedupConfig(threshold=0.5), params=params or _neutral_params())
    event_of_label: dict[str, str] = {}
    label_of_event: dict[str, str] = {}
    X, y = [], []
    for art, g in zip(arts, gold, strict=True):
        parsed = dd._parse(art)
        dd._observe(parsed)
        cands = dd._candidates(parsed, art.features.minhash)
        target = None
        for live in cands:
            f, reasons = dd._pair_features(live, art, parsed)
            X.append(f)
            y.append(1 if label_of_event[live.record.event_id] == g else 0)
        if g in event_of_label and event_of_label[g] in dd._events:
            target = dd._events[event_of_label[g]]
            f, reasons = dd._pair_features(target, art, parsed)
            if all(live is not target for live in cands):  # gold event missed by candidate search
                X.append(f)
                y.append(1)
            dd._join(target, art, parsed, 1.0, reasons)
        else:
            rec = dd._create(art, parsed)
            event_of_label[g] = rec.event_id
            label_of_event[rec.event_id] = g
        dd.evict_expired()
    return np.array(X), np.array(y)


def _neutral_params() -> dict:
    return {"features": list(FEATURE_NAMES), "coef": [0.0] * len(FEATURE_NAMES), "intercept": 0.0}


def fit(X: np.ndarray, y: np.ndarray, C: float = 1.0) -> dict:
    from sklearn.linear_model import LogisticRegression

    keep = list(range(X.shape[1]))
    while True:  # drop features whose fitted sign contradicts SIGNS, refit
        model = LogisticRegression(C=C, max_iter=2000)
        model.fit(X[:, keep], y)
        coef = dict(zip(keep, model.coef_[0]))
        bad = [j for j, c in coef.items() if SIGNS.get(FEATURE_NAMES[j], 0) * c < 0]
        if not bad:
            break
        keep = [j for j in keep if j not in bad]
    full = [round(float(coef.get(j, 0.0)), 5) for j in range(X.shape[1])]
    g = FEATURE_NAMES.index("date_gap")
    full[g] = min(full[g], DATE_GAP_MAX_COEF)
    return {"features": list(FEATURE_NAMES), "coef": full, "intercept": round(float(model.intercept_[0]), 5)}


def _allowed(params: dict) -> bool:
    for name, c in zip(params["features"], params["coef"]):
        if SIGNS.get(name, 0) * c < 0:
            return False
        if name == "date_gap" and c > DATE_GAP_MAX_COEF:
            return False
    return True


def cluster(arts: list[ExtractedArticle], params: dict, threshold: float, margin: float = 0.0) -> list[str]:
    dd = Deduplicator(DedupConfig(threshold=threshold, lone_article_margin=margin), params=params)
    out = []
    for art in arts:
        rec = dd.add(art)
        out.append(rec.event_id if rec is not None else dd.event_of(art.article_id))
        for absorbed, event_id in dd.take_merged():
            out = [event_id if e == absorbed else e for e in out]
        dd.evict_expired()
    return out


def score(arts, gold, params, threshold, margin: float = 0.0) -> dict:
    return evaluate(gold, cluster(arts, params, threshold, margin))


def choose_threshold(streams, params) -> tuple[float, float]:
    """The join threshold and lone-article margin that maximise the clustering objective on `streams`."""
    best, chosen = -1.0, (0.5, 0.0)
    for t in THRESHOLDS:
        for margin in LONE_ARTICLE_MARGINS:
            if t + margin > 1.0:
                continue
            m = _objective(streams, params, t, margin)
            if m > best + 1e-9:
                best, chosen = m, (t, margin)
    return chosen


def _objective(streams: dict, params, threshold, margin: float = 0.0) -> float:
    """Mean of (BCubed F1 + pairwise F1) / 2, each corpus weighted equally whatever its number of variants
    (the easy corpora must not outvote the hard one)."""
    by_corpus: dict[str, list[float]] = {}
    for name, (arts, gold) in streams.items():
        v = score(arts, gold, params, threshold, margin)
        by_corpus.setdefault(name.split(":")[0], []).append((v["bcubed_f1"] + v["pairwise_f1"]) / 2)
    return float(np.mean([np.mean(vals) for vals in by_corpus.values()]))


def refine(streams, params: dict, threshold: float, rounds: int = 2, step: float = 0.5) -> dict:
    """Coordinate search on coefficients and intercept, maximising the clustering objective."""
    margin = params.get("lone_article_margin", 0.0)
    best = _objective(streams, params, threshold, margin)
    p = json.loads(json.dumps(params))
    for _ in range(rounds):
        improved = False
        for i in [*range(len(p["coef"])), None]:
            for delta in (-step, step):
                q = json.loads(json.dumps(p))
                if i is None:
                    q["intercept"] = round(q["intercept"] + delta, 5)
                else:
                    q["coef"][i] = round(q["coef"][i] + delta, 5)
                if not _allowed(q):
                    continue
                val = _objective(streams, q, threshold, margin)
                if val > best + 1e-4:
                    best, p, improved = val, q, True
        if not improved:
            break
    return p


def train_on(streams_pairs, streams: dict, C: float, rounds: int) -> dict:
    X = np.vstack([x for x, _ in streams_pairs])
    y = np.concatenate([y for _, y in streams_pairs])
    params = fit(X, y, C=C)
    params["threshold"], params["lone_article_margin"] = choose_threshold(streams, params)
    if rounds:
        params = refine(streams, params, params["threshold"], rounds)
    return params


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default=None, help="folder of the dev files (default ../shared/datasets)")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "newsfuse" / "dedup-train"),
                    help="cache of analysed articles ('' = none)")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic model")
    ap.add_argument("--refine-rounds", type=int, default=0,
                    help="coordinate-search passes on the training files (0 = plain logistic: it overfits less)")
    ap.add_argument("--no-headlines", dest="headlines", action="store_false",
                    help="do not add the headline-only variants of the dev files")
    ap.add_argument("--no-undated", dest="undated", action="store_false",
                    help="do not add the undated variants of the dated dev files")
    ap.add_argument("--out", default=str(PARAMS_PATH))
    args = ap.parse_args(argv)
    folder = datasets_dir(args.datasets)
    cache = Path(args.cache) if args.cache else None
    t0 = time.time()
    streams = {}
    analyzer = None

    def get_analyzer():
        nonlocal analyzer
        if analyzer is None:
            from services.processor.analyze import ArticleAnalyzer

            analyzer = ArticleAnalyzer()
        return analyzer

    shapes = [(False, False)] + ([(True, False)] if args.headlines else []) + ([(False, True)] if args.undated else [])
    for name in DEV_FILES:
        dated = any(r.get("published_at") for r in read_jsonl(folder / name))
        for headlines, undated in shapes:
            if undated and not dated:
                continue  # already undated
            cached = variant_cache(cache, folder / name, headlines, undated)
            need = cached is None or not cached.exists()
            streams[name + variant_suffix(headlines, undated)] = analysed_stream(folder / name, get_analyzer() if need else None, cache,
                                                     headlines, undated)
    names = list(streams)
    pairs = {n: oracle_pairs(*streams[n]) for n in names}
    groups = {name: [n for n in names if n.split(":")[0] == name] for name in DEV_FILES}
    report: dict = {"loco": {}}
    loco: dict = {}
    # Leave one corpus out: learn on the other files (and their headline variants), score the left-out one.
    for left_out in DEV_FILES:
        g = [n for n in names if n not in groups[left_out]]
        model = train_on([pairs[n] for n in g], {n: streams[n] for n in g}, args.C, args.refine_rounds)
        loco[left_out] = model
        report["loco"][left_out] = {n: score(*streams[n], model, model["threshold"], model["lone_article_margin"])
                                    for n in groups[left_out]}
        print(json.dumps({left_out: report["loco"][left_out]}), flush=True)
    params = train_on([pairs[n] for n in names], {n: streams[n] for n in names}, args.C, args.refine_rounds)
    report["final"] = {n: score(*streams[n], params, params["threshold"], params["lone_article_margin"])
                       for n in names}
    report["n_pairs"] = int(sum(len(pairs[n][1]) for n in names))
    report["n_positive"] = int(sum(int(pairs[n][1].sum()) for n in names))
    params["loco"] = loco
    params["report"] = report
    params["trained_on"] = names
    params["C"] = args.C
    Path(args.out).write_text(json.dumps(params, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"wrote {args.out} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
