"""`newsfuse eval` plumbing with a fake analyzer (no models): ordering, headline-only/undated input, output."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from schemas import ArticleEvent, ArticleFeatures, ExtractedArticle
from services.evaluation import runner
from services.evaluation.runner import eval_command, run_eval, stream_order, to_raw_article
from services.processor.dedup.features import EMBEDDING_MODEL, USE_DIM, keywords


class FakeAnalyzer:
    """Embedding = hashed bag of title words (same title -> same vector); enough to exercise the plumbing."""

    def analyze_many(self, raws):
        out = []
        for r in raws:
            v = np.zeros(USE_DIM)
            for w in r.title.lower().split():
                v[int(hashlib.md5(w.encode()).hexdigest(), 16) % USE_DIM] += 1.0
            v /= np.linalg.norm(v) or 1.0
            out.append(ExtractedArticle(
                article_id=r.article_id, title=r.title, published_at=r.published_at, ingested_at=r.ingested_at,
                event=ArticleEvent(language="en"),
                features=ArticleFeatures(embedding=v.tolist(), embedding_model=EMBEDDING_MODEL,
                                         entities=keywords(r.title, r.text)),
            ))
        return out


def test_stream_order_mixed_list_keeps_undated_next_to_their_neighbours():
    rows = [
        {"id": "u0", "published_at": None},
        {"id": "d3", "published_at": "2020-01-03T00:00:00Z"},
        {"id": "u1", "published_at": None},
        {"id": "d1", "published_at": "2020-01-01T00:00:00+00:00"},
        {"id": "d2", "published_at": "2020-01-02T00:00:00"},
    ]
    order, times = stream_order(rows)
    assert [rows[i]["id"] for i in order] == ["d1", "d2", "u0", "d3", "u1"]
    assert times[0] == times[1]  # leading undated inherits the first date seen in the file
    assert times[2] == times[1]  # u1 inherits d3's time (its predecessor in the file)
    all_undated = [{"id": str(i), "published_at": None} for i in range(5)]
    assert stream_order(all_undated)[0] == [0, 1, 2, 3, 4]


def test_headline_only_and_odd_rows_become_valid_articles():
    _, times = stream_order([{"id": "a"}])
    raw = to_raw_article({"id": "a", "title": "Quake hits", "text": "", "url": "not a url", "language": "EN"}, times[0])
    assert raw.text is None and raw.url is None and raw.language == "en"  # headline-only, as ingest sends it
    raw = to_raw_article({"id": "b", "title": "", "text": "Body only\nmore"}, times[0])
    assert raw.title == "Body only"


def _write(tmp_path: Path, rows) -> Path:
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return p


ROWS = [
    {"id": "1", "title": "alpha beta gamma delta", "text": "", "published_at": None, "event_label": "A"},
    {"id": "2", "title": "zeta eta theta iota", "text": "", "published_at": None, "event_label": "B"},
    {"id": "3", "title": "alpha beta gamma delta", "text": "", "published_at": None, "event_label": "A"},
]


def test_run_eval_writes_one_line_per_input_and_scores(tmp_path):
    pred = tmp_path / "out" / "pred.tsv"
    res = run_eval(_write(tmp_path, ROWS), pred, analyzer=FakeAnalyzer())
    lines = pred.read_text().splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["1", "2", "3"]
    ev = dict(ln.split("\t") for ln in lines)
    assert ev["1"] == ev["3"] != ev["2"]
    assert res["n_docs"] == 3 and res["n_gold"] == 2 and res["n_pred"] == 2
    assert res["bcubed_f1"] == 1.0 and res["pairwise_f1"] == 1.0 and res["docs_per_s"] > 0


def test_unlabeled_input_only_writes_predictions(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "event_label"} for r in ROWS]
    res = run_eval(_write(tmp_path, rows), tmp_path / "p.tsv", analyzer=FakeAnalyzer())
    assert res["bcubed_f1"] is None and res["n_pred"] == 2
    assert len((tmp_path / "p.tsv").read_text().splitlines()) == 3


def test_eval_command_is_typer_compatible_and_prints_json_last(tmp_path, monkeypatch):
    real = runner.run_eval
    monkeypatch.setattr(runner, "run_eval", lambda d, p, c=None: real(d, p, c, analyzer=FakeAnalyzer()))
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"window_days": 3.0}))
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["eval", str(_write(tmp_path, ROWS)), "--predictions",
                                      str(tmp_path / "p.tsv"), "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    for key in ("n_docs", "n_gold", "n_pred", "bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_p", "pairwise_r",
                "pairwise_f1", "docs_per_s"):
        assert key in last


def test_repeated_ids_with_different_content_are_different_articles(tmp_path):
    rows = [
        {"id": "empty", "title": "alpha beta gamma delta", "text": "", "event_label": "A"},
        {"id": "empty", "title": "zeta eta theta iota", "text": "", "event_label": "B"},
        {"id": "x", "title": "alpha beta gamma delta", "text": "", "event_label": "A"},
        {"id": "empty", "title": "alpha beta gamma delta", "text": "", "event_label": "A"},  # exact repeat
    ]
    pred = tmp_path / "p.tsv"
    res = run_eval(_write(tmp_path, rows), pred, analyzer=FakeAnalyzer())
    lines = [ln.split("\t") for ln in pred.read_text().splitlines()]
    assert [ln[0] for ln in lines] == ["empty", "empty", "x", "empty"]
    assert lines[0][1] == lines[2][1] == lines[3][1] != lines[1][1]
    assert res["bcubed_f1"] == 1.0


def test_malformed_and_markup_laden_records_are_reported_and_the_rest_scored(tmp_path, capsys):
    good = [
        {"id": "m1", "title": "Why Everyone Loves Like <i>Mean Girls</i>", "text": "", "event_label": "A"},
        {"id": "m2", "title": "Why everyone loves like Mean Girls &amp; more", "text": "<p>A <b>film</b>.</p>",
         "event_label": "A"},
        {"id": "m3", "title": "zeta eta theta iota", "text": None, "event_label": "B"},
    ]
    bad = [
        {"id": "b1", "title": "", "text": "<br><script>x()</script>", "event_label": "C"},  # nothing left
        {"id": "b2", "title": 42, "text": "A number as a headline", "event_label": "C"},
        {"id": "b3", "title": "fine", "text": {"html": "x"}, "event_label": "C"},
        {"id": "b4", "event_label": "C"},
    ]
    path = tmp_path / "d.jsonl"
    lines = [json.dumps(r) for r in good[:2]] + ['{"id": "broken", "title": "cut off'] + [json.dumps(["list"])]
    lines += [json.dumps(r) for r in bad] + [json.dumps(good[2])]
    path.write_text("\n".join(lines) + "\n")

    pred = tmp_path / "p.tsv"
    res = run_eval(path, pred, analyzer=FakeAnalyzer())

    assert res["rejected"] == 6 and res["n_docs"] == 3
    assert res["bcubed_f1"] == 1.0 and res["n_gold"] == 2
    assert [ln.split("\t")[0] for ln in pred.read_text().splitlines()] == ["m1", "m2", "m3"]
    report = capsys.readouterr().err.splitlines()
    assert len(report) == 6
    assert f"{path}:3: line: not JSON" in report[0]
    assert f"{path}:4: line: not a JSON object (list)" in report[1]
    assert report[2].endswith("(id b1): title: no title and no text (after removing markup)")
    assert report[3].endswith("(id b2): title: must be a string, not int")
    assert report[4].endswith("(id b3): text: must be a string, not dict")
    assert "(id b4): title:" in report[5]


def test_markup_becomes_the_plain_text_ingest_would_publish():
    raw = to_raw_article({"id": "a", "title": "Like <i>Mean Girls</i> &amp; co", "text": "<p>One.</p><p>Two</p>"},
                         stream_order([{"id": "a"}])[1][0])
    assert raw.title == "Like Mean Girls & co"
    assert raw.text == "One.\n\nTwo"


def test_read_jsonl_still_refuses_a_bad_dataset(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "1", "title": "ok"}\nnot json\n')
    with pytest.raises(ValueError, match=":2: line: not JSON"):
        runner.read_jsonl(path)


def test_run_stream_follows_a_given_arrival_order():
    """The pipeline's shuffled POST order replayed in-process: articles are analysed in that order."""
    from services.processor.dedup import Deduplicator

    class Recording(FakeAnalyzer):
        seen: list[str] = []

        def analyze_many(self, raws):
            self.seen.extend(r.article_id for r in raws)
            return super().analyze_many(raws)

    analyzer = Recording()
    keys = runner.internal_ids(ROWS)
    assignment = runner.run_stream(ROWS, analyzer, Deduplicator(), order=[2, 0, 1])
    assert analyzer.seen == [keys[2], keys[0], keys[1]]
    assert set(assignment) == set(keys)
