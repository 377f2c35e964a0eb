"""RSS 2.0 / Atom items as Article payloads (feedparser), validated like every other input."""

from services.ingest.domain import validate_batch
from services.ingest.feeds import feed_records

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example &amp; News</title><link>https://news.example.com/</link><language>en-us</language>
<item><title>Quake &lt;i&gt;hits&lt;/i&gt; northern Chile</title><link>https://news.example.com/quake</link>
  <description>&lt;p&gt;Short summary&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>A magnitude 6.8 <b>earthquake</b> struck.</p><p>No casualties &amp; minor damage.</p>
  <script>track()</script>]]></content:encoded>
  <pubDate>Tue, 28 Dec 2021 14:00:00 GMT</pubDate><source url="https://wire.example.org/rss">Wire Service</source>
</item>
<item><title>Liverpool beat Everton 4-1</title><link>https://news.example.com/derby</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title><link href="https://atom.example.net/"/>
<id>urn:x</id><updated>2021-12-30T10:00:00Z</updated>
<entry><title type="html">Biden &amp;amp; Putin speak</title><link href="https://atom.example.net/call"/>
  <id>urn:1</id><updated>2021-12-30T22:00:00+01:00</updated><author><name>Jane Doe</name></author>
  <summary type="html">&lt;p&gt;The two leaders spoke for 50 minutes.&lt;/p&gt;</summary></entry>
</feed>"""


def test_rss_items_map_to_articles_with_plain_text():
    records = feed_records(RSS, "feed.rss")
    assert [r.origin for r in records] == ["feed.rss#1", "feed.rss#2"]
    accepted, rejected = validate_batch([r.payload for r in records], source="feed")
    assert rejected == []
    quake, derby = accepted
    assert quake.title == "Quake hits northern Chile"
    assert quake.text == "A magnitude 6.8 earthquake struck.\n\nNo casualties & minor damage."  # content over summary
    assert quake.url == "https://news.example.com/quake" and quake.outlet == "Wire Service"  # the item's <source>
    assert quake.published_at.isoformat() == "2021-12-28T14:00:00+00:00" and quake.language == "en"
    assert derby.text is None and derby.outlet == "Example & News" and derby.published_at is None
    assert quake.ingest_source == "feed"


def test_atom_entries_use_summary_updated_and_authors():
    [record] = feed_records(ATOM, "https://atom.example.net/feed")
    [article], _ = validate_batch([record.payload], source="feed")
    assert article.title == "Biden & Putin speak" and article.text == "The two leaders spoke for 50 minutes."
    assert article.published_at.isoformat() == "2021-12-30T21:00:00+00:00"
    assert article.outlet == "Atom Daily" and article.authors == ["Jane Doe"]


def test_outlet_falls_back_to_the_feeds_host():
    untitled = RSS.replace(b"<title>Example &amp; News</title><link>https://news.example.com/</link>", b"")
    record = feed_records(untitled, "https://feeds.example.com/world.rss")[1]
    assert record.payload["outlet"] == "feeds.example.com"


def test_a_document_that_is_not_a_feed_is_one_error():
    [record] = feed_records(b"<html><body>hello</body></html>", "page.xml")
    assert record.payload is None and record.error.startswith("not an RSS/Atom feed")
