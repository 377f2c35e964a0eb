"""The live events page in a real browser (Debian's headless Chromium, driven by Playwright) on the real
pipeline: articles ingested over HTTP show up on the open page without a reload. Writes docs/page.png.

Chromium comes from `make browser` (run by `make test`): apt-get's `chromium` when /usr/bin has none.
Playwright drives that binary; it never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from services.common.settings import CANONICAL_TOPIC
from services.ingest.readers import read_file
from services.sink.store import Delivery
from tests.integration.processes import healthy, running_pipeline, wait_until
from tests.integration.stories import UNRELATED

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "page.png"
TOKEN = "page-test-token"
PIPELINE_SECONDS = 150  # the processor loads its models before the first article
expect.set_options(timeout=20_000)
OTHER_STORIES = [UNRELATED[0], UNRELATED[2]]  # an earthquake, a chipmaker's results: not the seeds' call


def chromium() -> str:
    found = os.environ.get("NEWSFUSE_TEST_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("the page test needs Chromium: `make browser` installs Debian's (apt-get install chromium), "
                    "or set NEWSFUSE_TEST_CHROMIUM to a Chromium binary")
    return found


def post(ingest_url: str, articles: list[dict]) -> set[str]:
    response = httpx.post(f"{ingest_url}/v1/articles", json=articles, timeout=60)
    assert response.status_code == 202, response.text
    return set(response.json()["ids"])


def seed_articles(seeds_dir: Path) -> list[dict]:
    return [record.payload for path in sorted(seeds_dir.glob("*.txt")) for record in read_file(path)]


def card_of(page: Page, event_id: str):
    return page.locator(f'.event[data-event-id="{event_id}"]')


def test_new_events_appear_on_the_open_page_without_a_reload(settings, seeds_dir):
    seeds = seed_articles(seeds_dir)
    with running_pipeline(settings, read_token=TOKEN) as (settings, store, processes), sync_playwright() as pw:
        sink_url = f"http://{settings.sink_host}:{settings.sink_port}"
        ingest_url = f"http://{settings.ingest_host}:{settings.ingest_port}"
        wait_until(lambda: healthy(sink_url) and healthy(ingest_url), 90, "sink and ingest answer /healthz")
        browser = pw.chromium.launch(executable_path=chromium())
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{sink_url}/")

        # With a read token set, the page asks for it and then listens.
        expect(page.locator("#token-dialog")).to_be_visible()
        page.fill("#token-form input[name=token]", TOKEN)
        page.click("#token-form button")
        expect(page.locator("#status")).to_have_attribute("data-state", "live")
        expect(page.locator(".empty")).to_be_visible()
        page.evaluate("window.sameDocument = true")  # gone if the page reloads

        first_ids = post(ingest_url, seeds[:2])
        wait_until(lambda: first_ids <= store.placed_article_ids(), PIPELINE_SECONDS, "first seeds stored")
        story = next(e for e in store.list_events(limit=None) if first_ids & {s.article_id for s in e.sources})
        expect(card_of(page, story.event_id)).to_be_visible()

        more_ids = post(ingest_url, seeds[2:] + OTHER_STORIES)
        wait_until(lambda: more_ids <= store.placed_article_ids(), PIPELINE_SECONDS, "all articles stored")
        stored = {e.event_id: e for e in store.list_events(limit=None)}
        story = stored[story.event_id]
        assert story.num_sources > 2  # the other seeds joined the phone call (its own test checks exactly how)
        # Every stored event is on the page at its stored version, newest first, with its sources.
        expect(page.locator(".event")).to_have_count(len(stored))
        for event in stored.values():
            expect(card_of(page, event.event_id)).to_have_attribute("data-version", str(event.version))
        expect(card_of(page, story.event_id)).to_have_attribute("data-outlets", str(story.num_sources))
        expect(card_of(page, story.event_id).locator(".sources tbody tr")).to_have_count(len(story.sources))
        listed = [e.event_id for e in store.list_events(limit=None)]
        assert page.locator(".event").evaluate_all("cards => cards.map(c => c.dataset.eventId)") == listed
        assert page.evaluate("window.sameDocument") is True, "the page reloaded"

        # The timeline counts events per day; the map shows the places that have coordinates.
        per_day = dict(store.events_per_day())
        bars = page.locator("#timeline rect.bar")
        expect(bars).to_have_count(len(per_day))
        for day, n in per_day.items():
            assert f"{n} event" in page.locator(f'#timeline rect[data-date="{day}"] title').text_content()
        places = {(p.name, p.lat, p.lon) for e in stored.values() for p in e.locations if p.lat is not None}
        assert places, "the extractor gave these stories no coordinates"
        expect(page.locator("#places circle")).to_have_count(len(places))
        page.mouse.move(0, 0)
        page.wait_for_timeout(3000)  # the highlight of changed cards fades
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        # Filters: text, entity (a chip), a day on the timeline; each as the API answers it.
        page.fill("#filters input[name=text]", "earthquake")
        expect(page.locator(".event")).to_have_count(store.count_events(text="earthquake"))
        page.click("#filters button[type=reset]")
        expect(page.locator(".event")).to_have_count(len(stored))
        actor = story.actors[0].name
        card_of(page, story.event_id).locator(".chip", has_text=actor).first.click()
        expect(page.locator("#filters input[name=entity]")).to_have_value(actor)
        expect(page.locator(".event")).to_have_count(store.count_events(entity=actor))
        page.click("#filters button[type=reset]")
        day = next(str(e.event_date) for e in stored.values() if e.event_date)
        page.locator(f'#timeline rect[data-date="{day}"]').click()
        expect(page.locator(".event")).to_have_count(store.count_events(event_date_from=day, event_date_to=day))

        # An event whose articles moved into another one (dedup's lone-article move) leaves the open page.
        page.click("#filters button[type=reset]")
        expect(page.locator(".event")).to_have_count(len(stored))
        moved = next(e for e in stored.values() if e.event_id != story.event_id)
        sources = [*story.sources, *moved.sources]
        grown = story.model_copy(update={"version": story.version + 1, "sources": sources,
                                         "num_articles": len(sources), "num_sources": len(sources)})
        store.apply([Delivery(grown, CANONICAL_TOPIC, 0, 0)], "page-test", "page-test")
        expect(card_of(page, moved.event_id)).to_have_count(0)
        expect(card_of(page, story.event_id)).to_have_attribute("data-version", str(grown.version))
        expect(page.locator(".event")).to_have_count(len(stored) - 1)
        assert page.evaluate("window.sameDocument") is True and not problems, problems
        browser.close()
