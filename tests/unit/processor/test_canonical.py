"""Canonical event: the five seed articles merged, plus hand-built disagreements."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas import ArticleEvent, ArticleFeatures, EventDate, EventType, ExtractedArticle, Figure, Quote
from schemas.extracted import Actor
from services.processor.canonical import build_canonical_event
from services.processor.dedup.state import EventRecord, Member
from tests.unit.processor.extract.seeds import seed_events


def _member(i: int, event: ArticleEvent, outlet: str, title: str = "t", score: float = 0.9) -> Member:
    article = ExtractedArticle(
        article_id=f"a{i}",
        outlet=outlet,
        title=title,
        published_at=datetime(2021, 12, 31, tzinfo=UTC),
        event=event,
        features=ArticleFeatures(),
    )
    return Member(article=article, match_score=score)


@pytest.fixture(scope="module")
def seed_event():
    articles, events = seed_events()
    members = [_member(i, e, a.outlet, a.title) for i, (a, e) in enumerate(zip(articles, events, strict=True))]
    return build_canonical_event(EventRecord(event_id="ev-1", members=members))


def test_seed_event_basics(seed_event):
    assert seed_event.num_articles == 5 and seed_event.num_sources == 5
    assert seed_event.event_date == date(2021, 12, 30) and seed_event.date_agreement == 1.0
    assert seed_event.event_type.root == "04" and seed_event.type_agreement >= 0.8
    assert seed_event.languages == ["en"]


def test_seed_actors_are_corroborated_by_all_outlets(seed_event):
    actors = {a.name: a for a in seed_event.actors}
    assert actors["Joe Biden"].num_outlets == 5 and actors["Joe Biden"].country == "USA"
    assert actors["Vladimir Putin"].num_outlets == 5 and actors["Vladimir Putin"].country == "RUS"
    assert {actors["Joe Biden"].role, actors["Vladimir Putin"].role} == {"actor1", "actor2"}


def test_fifty_minutes_is_corroborated_by_all_five(seed_event):
    minutes = next(f for f in seed_event.figures if f.unit == "minute" and f.value == 50)
    assert minutes.num_outlets == 5


def test_serious_and_substantive_is_corroborated_by_three_or_more(seed_event):
    quote = next(q for q in seed_event.quotes if "serious and substantive" in q.text.lower())
    assert quote.num_outlets >= 3


def test_geneva_talks_in_january_are_a_scheduled_event(seed_event):
    geneva = [e for e in seed_event.mentioned_events if e.place == "Geneva" and e.relation == "scheduled"]
    assert geneva, seed_event.mentioned_events
    assert geneva[0].date.year == 2022 and geneva[0].date.month == 1
    assert geneva[0].num_outlets >= 2


def test_ukraine_is_a_location(seed_event):
    ukraine = next(p for p in seed_event.locations if p.name == "Ukraine")
    assert ukraine.num_outlets == 5 and ukraine.country == "UKR"


def test_headline_and_summary_come_from_the_sources(seed_event):
    articles, events = seed_events()
    assert seed_event.title in {a.title for a in articles}
    assert seed_event.summary in {e.summary for e in events}


def _event(**fields) -> ArticleEvent:
    return ArticleEvent(**fields)


def test_disputed_troop_numbers_and_separate_magnitudes():
    members = [
        _member(0, _event(figures=[Figure(value=100000, unit="troops", text="100,000 troops")]), "a"),
        _member(1, _event(figures=[Figure(value=100000, unit="troops", text="100,000 troops")]), "b"),
        _member(
            2,
            _event(
                figures=[
                    Figure(value=175000, unit="troops", text="175,000 troops"),
                    Figure(value=3, unit="troops", text="3 soldiers"),
                ]
            ),
            "c",
        ),
    ]
    figures = build_canonical_event(EventRecord(event_id="e", members=members)).figures
    main = next(f for f in figures if f.value == 100000)
    assert main.num_outlets == 2 and main.disputed_values == [175000]
    assert any(f.value == 3 and f.disputed_values == [] for f in figures)


def test_near_identical_quotes_merge_and_speaker_votes():
    members = [
        _member(0, _event(quotes=[Quote(text="We will respond decisively", speaker="Joe Biden")]), "a"),
        _member(1, _event(quotes=[Quote(text="we will respond decisively.", speaker="Joe Biden")]), "b"),
        _member(2, _event(quotes=[Quote(text="We will respond decisively if Russia invades", speaker=None)]), "c"),
        _member(3, _event(quotes=[Quote(text="Something else entirely", speaker="Jen Psaki")]), "d"),
    ]
    quotes = build_canonical_event(EventRecord(event_id="e", members=members)).quotes
    top = quotes[0]
    assert top.num_outlets == 3 and top.speaker == "Joe Biden" and top.outlets == ["a", "b", "c"]
    assert quotes[1].num_outlets == 1


def test_date_and_type_votes_with_agreement_and_surname_unification():
    def event(day: int, source: str, code: str, actor: str) -> ArticleEvent:
        return _event(
            event_date=EventDate(date=date(2021, 12, day), precision="day", source=source),
            event_type=EventType(code=code, root=code[:2], label="x", confidence=0.8),
            actors=[Actor(name=actor, type="person", role="actor1")],
        )

    members = [
        _member(0, event(30, "text", "041", "Joe Biden"), "a"),
        _member(1, event(30, "text", "040", "Biden"), "b"),
        _member(2, event(31, "published", "130", "Joe Biden"), "c"),
    ]
    canonical = build_canonical_event(EventRecord(event_id="e", members=members))
    assert canonical.event_date == date(2021, 12, 30)
    assert canonical.date_agreement == pytest.approx(2 / 3, abs=1e-3)
    assert canonical.event_type.root == "04" and canonical.type_agreement == pytest.approx(2 / 3, abs=1e-3)
    assert [a.name for a in canonical.actors] == ["Joe Biden"] and canonical.actors[0].num_outlets == 3


def test_empty_extractions_do_not_crash():
    members = [_member(0, _event(), "a"), _member(1, _event(), "a")]
    canonical = build_canonical_event(EventRecord(event_id="e", members=members))
    assert canonical.event_date is None and canonical.event_type is None
    assert canonical.num_articles == 2 and canonical.num_sources == 1


def test_figures_with_different_contexts_are_not_disputes():
    members = [
        _member(
            0, _event(figures=[Figure(value=10000, unit="troops", text="10,000 troops", context="withdrawn")]), "a"
        ),
        _member(
            1, _event(figures=[Figure(value=10000, unit="troops", text="10,000 troops", context="withdrawn")]), "b"
        ),
        _member(
            2,
            _event(
                figures=[
                    Figure(value=90000, unit="troops", text="90,000 troops", context="deployed"),
                    Figure(value=12000, unit="troops", text="12,000 troops", context="withdrawn"),
                ]
            ),
            "c",
        ),
    ]
    figures = {
        (f.value, f.context): f for f in build_canonical_event(EventRecord(event_id="e", members=members)).figures
    }
    assert figures[(10000, "withdrawn")].disputed_values == [12000]
    assert figures[(90000, "deployed")].disputed_values == []


def _minutes(*values_and_outlets: tuple[float, str]) -> list[Member]:
    return [_member(k, _event(figures=[Figure(value=v, unit="minute", text=f"{v:g} minutes")]), outlet)
            for k, (v, outlet) in enumerate(values_and_outlets)]


@pytest.mark.parametrize("order", [(100.0, 96.5), (96.5, 100.0)])
def test_a_figure_within_tolerance_of_two_others_joins_the_one_reported_first(order):
    """98.2 is within 2 % of both 100 and 96.5 (which are not of each other): it corroborates the figure
    reported first, not the nearer one (96.5)."""
    first, second = order
    members = _minutes((first, "a"), (second, "b"), (98.2, "c"))
    [figure] = build_canonical_event(EventRecord(event_id="e", members=members)).figures
    # two outlets give the first, one the second: the second is shown as a disputed value of the first
    assert (figure.value, figure.outlets, figure.disputed_values) == (first, ["a", "c"], [second])


def test_a_figure_within_two_percent_of_the_larger_value_is_the_same_figure():
    """100 vs 102.04: 2.04 apart, within 2 % of 102.04 (not of 100)."""
    [figure] = build_canonical_event(EventRecord(event_id="e", members=_minutes((102.04, "a"), (100.0, "b")))).figures
    assert (figure.value, figure.outlets, figure.disputed_values) == (102.04, ["a", "b"], [])


@pytest.mark.parametrize("rows_per_block", [512, 7])
def test_consensus_centrality_equals_the_pairwise_definition(monkeypatch, rows_per_block):
    """The matrix form of the consensus score is the mean over the other texts of Jaccard x their weight
    (computed a block of rows at a time)."""
    import random

    import numpy as np

    from services.processor import canonical
    from services.processor.canonical import _mean_weighted_jaccard

    monkeypatch.setattr(canonical, "_ROWS_PER_BLOCK", rows_per_block)

    rng = random.Random(7)
    vocabulary = [f"w{k}" for k in range(40)]
    sets = [frozenset(rng.sample(vocabulary, rng.randint(0, 12))) for _ in range(30)]
    weights = np.array([rng.uniform(0.1, 1.0) for _ in sets])

    def jaccard(a, b):
        return len(a & b) / len(a | b) if a and b else 0.0

    expected = [sum(jaccard(a, b) * w for j, (b, w) in enumerate(zip(sets, weights)) if j != i) / (len(sets) - 1)
                for i, a in enumerate(sets)]
    assert np.allclose(_mean_weighted_jaccard(sets, weights), expected, rtol=0, atol=1e-12)



def test_quote_index_finds_the_first_same_quote_as_the_pairwise_rule_does():
    """The indexed search returns what scanning every earlier quote with the pairwise rule returns."""
    import random

    from rapidfuzz import fuzz

    from services.processor.canonical import QUOTE_SIMILARITY, _QuoteIndex

    def same(a: str, b: str) -> bool:  # the rule, pair by pair (new quote first)
        shorter, longer = sorted((a, b), key=len)
        if len(shorter.split()) >= 3 and f" {shorter} " in f" {longer} ":
            return True
        return len(shorter) >= 0.6 * len(longer) and fuzz.ratio(a, b, score_cutoff=QUOTE_SIMILARITY * 100) > 0

    rng = random.Random(3)
    vocabulary = ["we", "will", "respond", "decisively", "if", "russia", "invades", "ukraine", "again", "the",
                  "talks", "are", "serious"]
    base = [" ".join(rng.choices(vocabulary, k=rng.randint(1, 14))) for _ in range(60)]
    quotes = []
    for _ in range(400):  # whole quotes, trimmed ones (containment) and one-word edits (near-equal)
        words = rng.choice(base).split()
        kind = rng.random()
        if kind < 0.3 and len(words) > 3:
            start = rng.randrange(len(words) - 2)
            words = words[start:start + rng.randint(3, len(words) - start)]
        elif kind < 0.6:
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        quotes.append(" ".join(words))
    index, seen = _QuoteIndex(), []
    for quote in quotes:
        expected = next((i for i, earlier in enumerate(seen) if same(quote, earlier)), None)
        assert index.first_same(quote) == expected, quote
        if expected is None:
            index.add(quote)
            seen.append(quote)
    assert 20 < len(seen) < 300  # both outcomes were exercised


def test_a_growing_event_rebuilt_join_by_join_equals_a_rebuild_from_scratch():
    """The quote clusters of an event carry over to its next rebuild (one more member); the result is the
    one a rebuild from scratch gives, and members that are not the same as before (same event id, other
    quotes) start over instead of going on from clusters that are not theirs."""
    import random

    from services.processor import canonical

    rng = random.Random(5)
    words = ["we", "will", "respond", "decisively", "if", "russia", "invades", "ukraine", "the", "talks", "serious"]
    members = [
        _member(i, _event(quotes=[Quote(text=" ".join(rng.choices(words, k=rng.randint(3, 9))),
                                        speaker=rng.choice(["Joe Biden", "Yuri Ushakov", None]))
                                  for _ in range(rng.randint(0, 4))]), f"outlet-{i % 7}")
        for i in range(40)
    ]
    for n in range(1, len(members) + 1):
        grown = build_canonical_event(EventRecord(event_id="growing", members=members[:n]))
        fresh = canonical._corroborated_quotes(members[:n])  # no event id: nothing kept, nothing reused
        assert grown.quotes == fresh
    assert canonical._QUOTE_CLUSTERINGS["growing"].inputs == [canonical._quote_input(m) for m in members]
    other = [_member(0, _event(quotes=[Quote(text="Something else entirely", speaker="Jen Psaki")]), "x")]
    assert [q.text for q in build_canonical_event(EventRecord(event_id="growing", members=other)).quotes] == \
        ["Something else entirely"]


def test_a_person_spelled_or_typed_otherwise_by_some_outlets_is_one_actor():
    """German "Wladimir", a romanized "Sergey", and a Spanish report's "Putin" that no dictionary told was a
    person: one actor each, under the most common spelling; other people of the same surname stay apart."""
    def event(*actors: tuple[str, str]) -> ArticleEvent:
        return _event(actors=[Actor(name=name, type=kind) for name, kind in actors])

    members = [
        _member(0, event(("Vladimir Putin", "person"), ("Sergei Lavrov", "person"), ("Mary Cheney", "person")), "a"),
        _member(1, event(("Vladimir Putin", "person"), ("Sergei Lavrov", "person"), ("Liz Cheney", "person")), "b"),
        _member(2, event(("Wladimir Putin", "person"), ("Sergey Lavrov", "person")), "c"),
        _member(3, event(("Putin", "organization"), ("Lavrov", "person")), "d"),
    ]
    actors = {a.name: a for a in build_canonical_event(EventRecord(event_id="spellings", members=members)).actors}
    assert set(actors) == {"Vladimir Putin", "Sergei Lavrov", "Mary Cheney", "Liz Cheney"}
    assert actors["Vladimir Putin"].num_outlets == 4 and actors["Vladimir Putin"].type == "person"
    assert actors["Sergei Lavrov"].num_outlets == 4
    nicknamed = [_member(0, event(("Charles E. Grassley", "person")), "a"), _member(1, event(("Chuck Grassley", "person")), "b"),
                 _member(2, event(("Charles Grassley", "person")), "c")]
    actors = {a.name: a for a in build_canonical_event(EventRecord(event_id="nick", members=nicknamed)).actors}
    assert len(actors) == 1 and next(iter(actors.values())).num_outlets == 3  # "Chuck" is a nickname of Charles
    company = [_member(0, event(("William Clay Ford", "person")), "o0"),
               *(_member(i, event(("Ford", "organization")), f"o{i}") for i in (1, 2, 3))]
    names = {a.name for a in build_canonical_event(EventRecord(event_id="ford", members=company)).actors}
    assert names == {"William Clay Ford", "Ford"}  # three outlets' company is not one outlet's person
    titled = [_member(0, event(("Ellen DeGeneres", "organization"), ("Seth MacFarlane", "person")), "a"),
              _member(1, event(("Ellen DeGeneres", "person")), "b"),
              _member(2, event(("Comedian Ellen DeGeneres", "person"), ("Ellen", "person")), "c")]
    actors = {a.name: a for a in build_canonical_event(EventRecord(event_id="host", members=titled)).actors}
    assert set(actors) == {"Ellen DeGeneres", "Seth MacFarlane"} and actors["Ellen DeGeneres"].num_outlets == 3
    assert actors["Ellen DeGeneres"].type == "person"  # two outlets of three, a title word kept in front by one
