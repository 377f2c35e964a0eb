import json
from datetime import UTC, datetime

from services.ingest.readers import from_news_please, iter_files, read_file


def test_seed_txt_files_give_headline_body_and_dateline(seeds_dir):
    records = {p.name: next(read_file(p)) for p in iter_files([seeds_dir])}
    assert len(records) == 5 and all(r.error is None for r in records.values())
    first = records["000_c358671d935ecbc8.txt"].payload
    assert first["title"] == "Joe Biden & Vladimir Putin trade warnings over Ukraine conflict in 50-minute phone call"
    assert "Updated December" not in first["text"] and first["text"].startswith("US President Biden spoke")
    # 10:07 IST (India, +05:30), not dateparser's Israel reading
    assert datetime.fromisoformat(first["published_at"]).astimezone(UTC) == datetime(2021, 12, 31, 4, 37, tzinfo=UTC)
    assert records["001_994165d84dceed10.txt"].payload["published_at"] is None


def test_json_jsonl_and_news_please(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": "x", "event_label": "e1"}))
    (tmp_path / "many.jsonl").write_text('{"title": "A", "text": "a"}\n\nnot json\n[1]\n')
    (tmp_path / "np.json").write_text(json.dumps({
        "title": "NP", "maintext": "body", "date_publish": "2021-12-30 21:00:00", "source_domain": "bbc.com",
        "url": "https://www.bbc.com/news/x", "language": "en", "authors": ["A B"], "image_url": "i"}))
    (tmp_path / "skip.md").write_text("ignored: not an article suffix")
    results = [r for p in iter_files([tmp_path]) for r in read_file(p)]
    origins = {r.origin.split("/")[-1]: r for r in results}
    assert origins["one.json"].payload == {"title": "T", "text": "x"}
    assert origins["one.json"].ignored_fields == ["event_label"]
    assert origins["many.jsonl:1"].payload == {"title": "A", "text": "a"}
    assert "invalid JSON" in origins["many.jsonl:3"].error
    assert "expected a JSON object" in origins["many.jsonl:4"].error
    assert origins["np.json"].payload["outlet"] == "bbc.com"
    assert origins["np.json"].payload["published_at"] == "2021-12-30T21:00:00"
    assert len(results) == 5


def test_news_please_falls_back_to_description_else_headline_only():
    assert from_news_please({"title": "T", "description": "D", "source_domain": "x.com"})["text"] == "D"
    assert from_news_please({"title": "T", "maintext": None, "source_domain": "x.com"})["text"] is None


def test_unreadable_and_non_utf8(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 headline\n\nbody".encode("latin-1"))
    assert "not UTF-8" in next(read_file(bad)).error
    assert next(read_file(tmp_path / "missing.txt")).error.startswith("cannot read")
