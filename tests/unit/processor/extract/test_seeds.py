"""The five seed articles on the 30 Dec 2021 Biden-Putin phone call: per-article checks."""

from __future__ import annotations

from datetime import date

import pytest

from services.processor.extract.gazetteer import load_gazetteer
from services.processor.extract.names import Cluster
from services.processor.extract.people import person_country
from tests.unit.processor.extract.seeds import load_seeds, seed_events

SEED_IDS = [a.outlet for a in load_seeds()]


@pytest.fixture(scope="module")
def seeds():
    articles, events = seed_events()
    return list(zip(articles, events, strict=True))


def test_there_are_five_seeds(seeds):
    assert len(seeds) == 5


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_biden_and_putin_are_the_actors_with_their_countries(seeds, index):
    _, event = seeds[index]
    by_name = {a.name: a for a in event.actors}
    assert by_name["Joe Biden"].country == "USA"
    assert by_name["Joe Biden"].type == "person"
    assert by_name["Vladimir Putin"].country == "RUS"
    assert {by_name["Joe Biden"].role, by_name["Vladimir Putin"].role} == {"actor1", "actor2"}


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_no_surname_only_duplicates_of_the_leaders(seeds, index):
    _, event = seeds[index]
    names = {a.name for a in event.actors}
    assert not names & {"Biden", "Putin", "Mr Biden", "Mr Putin", "President Biden"}


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_event_date_is_the_day_of_the_call(seeds, index):
    _, event = seeds[index]
    assert event.event_date.date == date(2021, 12, 30)
    assert event.event_date.precision == "day"


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_event_type_is_a_consultation(seeds, index):
    _, event = seeds[index]
    assert event.event_type is not None
    assert event.event_type.root == "04"
    assert event.event_type.code.startswith("04")


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_ukraine_is_a_place_with_coordinates(seeds, index):
    _, event = seeds[index]
    ukraine = next(p for p in event.places if p.name == "Ukraine")
    assert ukraine.country == "UKR"
    assert ukraine.lat is not None and ukraine.lon is not None


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_the_50_minute_length_is_a_figure(seeds, index):
    _, event = seeds[index]
    assert any(f.unit == "minute" and f.value == 50 for f in event.figures)


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_the_call_was_by_phone(seeds, index):
    _, event = seeds[index]
    assert event.channel == "phone"


@pytest.mark.parametrize("index", range(5), ids=SEED_IDS)
def test_language_and_summary(seeds, index):
    _, event = seeds[index]
    assert event.language == "en"
    assert len(event.summary.split()) >= 6
    assert "Advertisement" not in event.summary and "Updated" not in event.summary


def test_seed_with_weekday_resolves_from_text(seeds):
    # 000 says "The leaders' meeting on Thursday"; published Friday 31 Dec 10:07 IST.
    _, event = seeds[0]
    assert event.event_date.source == "text"
    assert event.event_date.expression == "Thursday"


def test_kiev_is_read_as_kyiv_not_a_person(seeds):
    _, event = seeds[1]  # "In the Ukrainian capital Kiev, ..."
    assert "Kyiv" in {p.name for p in event.places}
    assert "Kiev" not in {a.name for a in event.actors}


def test_kremlin_aide_is_russian_and_completed_to_full_name(seeds):
    _, event = seeds[4]
    quotes_by_speaker = {q.speaker for q in event.quotes}
    assert "Jen Psaki" in quotes_by_speaker
    article, _ = seeds[1]  # "Kremlin aide Yuri Ushakov": a minor actor, so not among the main ones
    aide = Cluster("Yuri Ushakov", "person", aliases={"Yuri Ushakov", "Ushakov"})
    assert person_country(aide, f"{article.title}\n{article.text}", load_gazetteer()) == "RUS"


def test_geneva_talks_are_a_scheduled_event(seeds):
    _, event = seeds[0]
    geneva = [m for m in event.mentioned_events if m.place == "Geneva"]
    assert geneva and geneva[0].relation == "scheduled"
    assert geneva[0].date == date(2022, 1, 9) and geneva[0].end_date == date(2022, 1, 10)


def test_boilerplate_is_not_quoted_or_summarised(seeds):
    for _, event in seeds:
        for quote in event.quotes:
            assert "Exit mobile version" not in quote.text
        assert not event.summary.startswith(("Updated", "Image", "Reported by"))
