"""`newsfuse ingest` of RSS / Atom files and `--follow` of a feed URL, on the real broker: every item exactly once.

The feed server is started by the test on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from schemas import RawArticle
from services.common.processes import service_env
from services.common.settings import RAW_TOPIC
from tests.integration.kafka_utils import read_topic
from tests.integration.processes import wait_until


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><title>{title}</title><link>https://feed.example.com/{slug}</link>"
                   f"<description>&lt;p&gt;About {title}.&lt;/p&gt;</description>"
                   f"<pubDate>Thu, 30 Dec 2021 1{n}:00:00 GMT</pubDate></item>"
                   for n, (slug, title) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed Example</title>'
            f"<link>https://feed.example.com/</link>{body}</channel></rss>").encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title><id>urn:feed</id>
<updated>2021-12-30T10:00:00Z</updated>
<entry><title>Atom one</title><link href="https://atom.example.net/1"/><id>urn:1</id>
  <updated>2021-12-30T09:00:00Z</updated><content type="html">&lt;p&gt;First &amp;amp; only.&lt;/p&gt;</content></entry>
<entry><title>Atom two</title><link href="https://atom.example.net/2"/><id>urn:2</id>
  <published>2021-12-30T08:00:00Z</published><updated>2021-12-30T09:30:00Z</updated></entry>
</feed>"""


def newsfuse(settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services", *args], env=service_env(settings),
                          capture_output=True, text=True, timeout=timeout)


def raw_articles(settings, expect: int) -> list[RawArticle]:
    # Wait for one more than expected, briefly: a duplicate would show up as the extra one.
    records = read_topic(settings, RAW_TOPIC, until=lambda r: len(r) > expect, timeout=5)
    return [RawArticle.model_validate_json(r.value) for r in records]


def test_ingest_of_an_rss_and_an_atom_file_publishes_every_item_once(settings, tmp_path):
    (tmp_path / "world.rss").write_bytes(rss([("a", "Alpha item"), ("b", "Beta item"), ("c", "Gamma item")]))
    (tmp_path / "daily.atom").write_bytes(ATOM)
    result = newsfuse(settings, "ingest", str(tmp_path / "world.rss"), str(tmp_path / "daily.atom"))
    assert result.returncode == 0, result.stderr
    assert "accepted 5, rejected 0" in result.stderr

    articles = raw_articles(settings, 5)
    assert Counter(a.title for a in articles) == Counter(["Alpha item", "Beta item", "Gamma item", "Atom one",
                                                          "Atom two"])
    by_title = {a.title: a for a in articles}
    assert by_title["Alpha item"].text == "About Alpha item." and by_title["Alpha item"].outlet == "Feed Example"
    assert by_title["Atom one"].text == "First & only." and by_title["Atom two"].text is None
    assert by_title["Atom two"].published_at.isoformat() == "2021-12-30T08:00:00+00:00"
    assert {a.ingest_source for a in articles} == {"file"}  # "feed" is for fetched feeds


class FeedServer:
    """Serves one RSS feed with ETag and Last-Modified; answers 304 to a matching conditional GET.
    After the first full answer it adds an item, so the next poll finds exactly one new item."""

    def __init__(self) -> None:
        self.items = [("one", "First story"), ("two", "Second story")]
        self.requests: list[tuple[str | None, str | None, int]] = []  # If-None-Match, If-Modified-Since, status
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with server.lock:
                    document = rss(server.items)
                    etag = f'"{hashlib.sha256(document).hexdigest()[:16]}"'
                    modified = f"Thu, 30 Dec 2021 1{len(server.items)}:00:00 GMT"
                    if_none_match = self.headers.get("If-None-Match")
                    if_modified = self.headers.get("If-Modified-Since")
                    status = 304 if if_none_match == etag else 200
                    server.requests.append((if_none_match, if_modified, status))
                    if status == 200 and len(server.requests) == 1:
                        server.items = server.items + [("three", "Third story")]
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                if status == 200:
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", str(len(document)))
                self.end_headers()
                if status == 200:
                    self.wfile.write(document)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/world.rss"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_follow_polls_with_conditional_get_and_publishes_only_new_items(settings, feed_server):
    result = newsfuse(settings, "ingest", "--follow", feed_server.url, "--interval", "0.5", "--max-polls", "3")
    assert result.returncode == 0, result.stderr
    assert "poll 1: 2 new, 0 already published" in result.stderr
    assert "poll 2: 1 new, 2 already published" in result.stderr
    assert "poll 3: 0 new, 0 already published" in result.stderr

    statuses = [status for _, _, status in feed_server.requests]
    assert statuses == [200, 200, 304]
    first_etag, _, _ = feed_server.requests[1]
    assert first_etag and feed_server.requests[2][0] != first_etag  # each poll sent the latest validators
    assert all(modified for _, modified, _ in feed_server.requests[1:])

    articles = raw_articles(settings, 3)
    assert Counter(a.title for a in articles) == Counter(["First story", "Second story", "Third story"])


def test_ingest_of_a_feed_url_once(settings, feed_server):
    result = newsfuse(settings, "ingest", feed_server.url)
    assert result.returncode == 0, result.stderr
    assert "accepted 2, rejected 0" in result.stderr
    articles = raw_articles(settings, 2)
    assert sorted(a.title for a in articles) == ["First story", "Second story"]
    assert {a.ingest_source for a in articles} == {"feed"}


def test_follow_stops_on_ctrl_c(settings, feed_server):
    follow = subprocess.Popen([sys.executable, "-m", "services", "ingest", "--follow", feed_server.url,
                               "--interval", "60"], env=service_env(settings), stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: len(feed_server.requests) == 1, 60, "the first poll")
        wait_until(lambda: len(raw_articles(settings, 2)) == 2, 30, "the first poll's items published")
        follow.send_signal(signal.SIGINT)
        assert follow.wait(timeout=30) == 0
        assert "accepted 2, rejected 0" in follow.stderr.read()
    finally:
        if follow.poll() is None:
            follow.kill()
