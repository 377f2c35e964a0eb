"""The online clusterer on small crafted streams (synthetic features: fast, no model)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from functools import partial

import numpy as np
import pytest

from schemas import Actor
from services.processor.dedup import DedupConfig, Deduplicator, EventRecord, event_id_for
from services.processor.dedup.clusterer import CONFLICT_FEATURES
from tests.unit.processor.dedup.conftest import SIMILARITY_ONLY, T0, lone_article_story, unit


def test_same_story_from_three_outlets_joins_one_event(synth):
    story = synth.direction()
    kws = ("earthquake", "sumatra", "magnitude", "tsunami")
    arts = [synth.article(story, day=0, hours=h, outlet=o, entities=("Padang",), places=("Indonesia",), keywords=kws)
            for h, o in ((0, "nyt"), (2, "fox"), (5, "hpo"))]
    dd = Deduplicator()
    records = [dd.add(a) for a in arts]
    assert len({r.event_id for r in records}) == 1
    last = records[-1]
    assert last.version == 3 and [m.article.article_id for m in last.members] == [a.article_id for a in arts]
    assert last.event_id == event_id_for(arts[0].article_id, arts[0].ingested_at.isoformat())  # fixed at creation
    joined = last.members[1]
    assert joined.reasons.similarity is not None and joined.reasons.similarity > 0.5
    assert "indonesia" in joined.reasons.shared_entities
    assert joined.reasons.date_gap_days == 0
    assert 0.5 <= joined.match_score <= 1.0
    assert last.members[0].reasons.note == "created the event"
    # stored members are stripped of the heavy features; the record stays JSON-serialisable
    assert last.members[1].article.features.embedding == [] and last.members[1].article.features.minhash == []
    EventRecord.model_validate_json(last.model_dump_json())


def test_two_similar_events_with_different_places_and_dates_stay_apart(synth):
    quake = synth.direction()
    a_story = quake + 0.55 * synth.direction()
    b_story = quake + 0.55 * synth.direction()
    a = [synth.article(a_story, day=0, hours=h, entities=("Padang",), places=("Indonesia", "Sumatra"),
                       keywords=("earthquake", "sumatra", "padang", "7.6")) for h in (0, 3, 6)]
    b = [synth.article(b_story, day=20, hours=h, entities=("Bakersfield",), places=("California",),
                       keywords=("earthquake", "california", "bakersfield", "5.9")) for h in (0, 4)]
    dd = Deduplicator(DedupConfig(window_days=30))
    ids = [dd.add(x).event_id for x in a + b]
    assert len(set(ids[:3])) == 1
    assert len(set(ids[3:])) == 1
    assert ids[0] != ids[3]


def test_date_gap_counts_only_beyond_the_grace_period(synth):
    """Follow-up coverage within the grace period is not evidence against a join; weeks apart is (up to the cap)."""
    story = synth.direction()
    dd = Deduplicator(DedupConfig(window_days=60, date_grace_days=6, max_date_gap_days=30))
    dd.add(synth.article(story, day=0, keywords=("k1",)))
    features = {gap: dd.score_candidates(synth.article(story, day=gap, noise=0.0, keywords=("k1",)))[0][2]
                for gap in (0, 1, 3, 6, 18, 30, 45)}
    assert [features[g]["date_gap"] for g in (0, 1, 3, 6)] == [0.0, 0.0, 0.0, 0.0]
    assert features[18]["date_gap"] == pytest.approx(0.5)
    assert features[30]["date_gap"] == features[45]["date_gap"] == 1.0
    assert [features[g]["date_match"] for g in (0, 1, 3)] == [1.0, 1.0, 0.0]


def test_participants_compare_who_did_what_to_whom(synth):
    """Same topic, same entities: a call between other sides scores lower than one between the same sides."""
    story = synth.direction()
    dd = Deduplicator()
    dd.add(synth.article(story, entities=("Ukraine",), sides=("Joe Biden", "Vladimir Putin")))
    same = synth.article(story, noise=0.1, entities=("Ukraine",), sides=("Biden", "Vladimir Putin"))
    other = same.model_copy(update={"event": same.event.model_copy(update={"actors": [
        Actor(name="Joe Biden", role="actor1"), Actor(name="Volodymyr Zelensky", role="actor2"), Actor(name="Ukraine")]})})
    [(_, p_same, f_same)] = dd.score_candidates(same)
    [(_, p_other, f_other)] = dd.score_candidates(other)
    assert f_same["participant_overlap"] == pytest.approx(1.0)  # "Biden" is "Joe Biden"
    assert 0 < f_other["participant_overlap"] < 0.9 and f_other["has_participants"] == 1.0
    assert p_other < p_same


def test_a_surname_spelled_another_way_is_the_same_participant(synth):
    """French "Poutine", "Bayden" romanized from Russian: the same side of the event, not a participant conflict;
    names that only sound alike (Austria / Australia, Sisi / Shoigu) stay different."""
    story = synth.direction()
    dd = Deduplicator()
    dd.add(synth.article(story, entities=("Ukraine",), sides=("Joe Biden", "Vladimir Putin")))
    for sides in (("Joe Biden", "Vladimir Poutine"), ("Dzho Bayden", "Vladimir Putin")):
        respelled = synth.article(story, noise=0.1, entities=("Ukraine",), sides=sides)
        [(_, _, f)] = dd.score_candidates(respelled)
        assert f["participant_overlap"] == pytest.approx(1.0) and f["participant_conflict"] == 0.0, sides
    dd.add(synth.article(synth.direction(), entities=("Trade",), sides=("Sebastian Kurz", "Austria")))
    other = synth.article(synth.direction(), entities=("Trade",), sides=("Sebastian Kurz", "Australia"))
    assert not any(f["participant_overlap"] == pytest.approx(1.0) for _, _, f in dd.score_candidates(other))


def test_an_event_that_has_two_spellings_of_a_side_still_knows_a_third(synth):
    """After a report from Russian the event's sides include "bayden" beside "biden"; a Ukrainian report's
    "Baiden" is that same side (before: two candidate spellings, so no respelling, and a participant conflict)."""
    story = synth.direction()
    dd = Deduplicator()
    dd.add(synth.article(story, entities=("Ukraine",), sides=("Joe Biden", "Vladimir Putin")))
    dd.add(synth.article(story, noise=0.1, entities=("Ukraine",), sides=("Dzho Bayden", "Vladimir Putin")))
    ukrainian = synth.article(story, noise=0.1, entities=("Ukraine",), sides=("Dzho Baiden", "Volodymyr Putin"))
    [(_, _, f)] = dd.score_candidates(ukrainian)
    assert f["participant_overlap"] == pytest.approx(1.0) and f["participant_conflict"] == 0.0
    # a restart rebuilds the sides in the same spelling as the live index counted them
    restored = Deduplicator()
    restored.restore(dd.records())
    [live] = dd._events.values()
    [again] = restored._events.values()
    assert again.participants == live.participants == Counter({"biden": 2, "putin": 2})


def test_a_side_spelled_several_ways_matches_the_most_named_spelling():
    from services.processor.dedup.clusterer import _event_spelling

    assert _event_spelling("baiden", Counter(biden=2, bayden=1)) == "biden"
    assert _event_spelling("petrov", Counter(petrova=1)) == "petrov"  # a woman and a man: two people


def test_entity_names_romanized_from_russian_match_the_event_spelling(synth):
    """"Dzho Bayden", "Yury Ushakov" (from Russian) are the event's "Joe Biden", "Yuri Ushakov"; "Hunter Biden"
    (same surname, same spelling) is not "Joe Biden"."""
    story = synth.direction()
    dd = Deduplicator()
    dd.add(synth.article(story, entities=("Joe Biden", "Yuri Ushakov", "Ukraine")))
    russian = synth.article(story, noise=0.1, entities=("Dzho Bayden", "Yury Ushakov", "Ukraine"), language="ru")
    [(_, _, romanized)] = dd.score_candidates(russian)
    [(_, _, other)] = dd.score_candidates(synth.article(story, noise=0.1, entities=("Hunter Biden", "Yuri Smirnov",
                                                                                  "Ukraine"), language="ru"))
    [(_, _, english)] = dd.score_candidates(russian.model_copy(update={"event": russian.event.model_copy(
        update={"language": "en"})}))
    assert romanized["entity_overlap"] == pytest.approx(1.0)
    record = dd.add(russian)  # counted in the event's spelling, so a second report in Russian matches as well
    assert "joe biden" in record.members[-1].reasons.shared_entities  # the explanation names the match
    second = synth.article(story, noise=0.1, entities=("Dzho Bayden", "Yury Ushakov", "Ukraine"), language="ru")
    [(_, _, again)] = dd.score_candidates(second)
    assert again["entity_overlap"] == pytest.approx(1.0)
    assert other["entity_overlap"] < 0.7
    assert english["entity_overlap"] < 0.7  # English articles are taken as spelled (no look-up cost)


@pytest.mark.parametrize("a, b, same", [("biden", "bayden", True), ("putin", "poutine", True),
                                        ("austria", "australia", False), ("niger", "nigeria", False),
                                        ("sisi", "shoigu", False), ("xi", "xu", False),
                                        ("petrov", "petrova", False), ("navalny", "navalnaya", False),
                                        ("tolstoy", "tolstaya", False), ("zelensky", "zelenskiy", True)])
def test_same_name_needs_sound_spelling_and_no_place(a, b, same):
    from services.processor.dedup.clusterer import same_name

    assert same_name(a, b) is same


@pytest.mark.parametrize("word, code", [("Robert", "R163"), ("Rupert", "R163"), ("Ashcraft", "A261"),
                                        ("Tymczak", "T522"), ("Pfister", "P236"), ("Honeyman", "H555")])
def test_soundex_is_the_national_archives_algorithm(word, code):
    from services.processor.dedup.clusterer import soundex

    assert soundex(word) == code  # the examples of "The Soundex Indexing System" (US National Archives)


def test_unrelated_stories_do_not_join(synth):
    dd = Deduplicator()
    ids = [dd.add(synth.article(synth.direction(), hours=i)).event_id for i in range(20)]
    assert len(set(ids)) == 20


def test_syndicated_copy_joins_by_minhash_even_with_a_different_embedding(synth):
    sig = list(range(64))
    dd = Deduplicator()
    first = dd.add(synth.article(synth.direction(), minhash=sig))
    copy = dd.add(synth.article(synth.direction(), hours=1, minhash=sig[:50] + [999] * 14))
    assert copy.event_id == first.event_id
    assert copy.members[-1].reasons.near_duplicate is True


def test_a_dropped_index_is_freed_at_once_not_at_the_next_full_garbage_collection(synth):
    """A partition that moves away drops its index; the processor makes full collections rare, so a
    reference cycle would keep every event of it in memory until one runs."""
    import gc
    import weakref

    dd = Deduplicator()
    for i in range(5):
        dd.add(synth.article(synth.direction(), hours=i))
    dropped = weakref.ref(dd)
    gc.disable()
    try:
        del dd
        assert dropped() is None
    finally:
        gc.enable()


def test_redelivery_is_idempotent(synth):
    story = synth.direction()
    a1, a2 = synth.article(story, keywords=("x",)), synth.article(story, hours=1, keywords=("x",))
    dd = Deduplicator()
    r1 = dd.add(a1)
    r2 = dd.add(a2)
    assert dd.add(a1) is None and dd.add(a2) is None
    assert r2.version == 2 and len(r2.members) == 2
    assert dd.records()[0].version == 2 and r1.event_id == r2.event_id


def test_restore_reproduces_assignments(synth):
    stories = [synth.direction() for _ in range(6)]
    sides = [("Joe Biden", "Vladimir Putin"), ("Olaf Scholz", "Emmanuel Macron"), None]
    rng = np.random.default_rng(1)
    stream = []
    for i in range(40):
        s = int(rng.integers(0, 6))
        stream.append(synth.article(stories[s], hours=i, noise=0.3, sides=sides[s % 3], entities=(f"Place{s}",),
                                    keywords=(f"story{s}", "common", f"w{i % 7}")))
    head, tail = stream[:25], stream[25:]
    live = Deduplicator()
    for a in head:
        live.add(a)
    # persist like a faust Table would (JSON), then rebuild a fresh worker from it
    stored = [EventRecord.model_validate_json(r.model_dump_json()) for r in live.records()]
    restarted = Deduplicator()
    restarted.restore(stored)
    for event_id, ev in live._events.items():  # the derived state, not only the stored fields
        twin = restarted._events[event_id]
        assert twin.participants == ev.participants and restarted._norms(twin) == live._norms(ev)
    assert all(restarted.add(a) is None for a in head)  # already placed before the restart
    for a in tail:
        assert restarted.score_candidates(a) == live.score_candidates(a)  # full-precision probabilities
        r1, r2 = live.add(a), restarted.add(a)
        assert (r1.event_id, r1.version, len(r1.members)) == (r2.event_id, r2.version, len(r2.members))
        assert r1.members[-1].match_score == r2.members[-1].match_score


def test_score_candidates_sees_the_window_as_add_would(synth):
    story = synth.direction()
    dd = Deduplicator(DedupConfig(window_days=7))
    dd.add(synth.article(story, day=0, entities=("Padang",)))
    late = synth.article(story, day=9, noise=0.1, entities=("Padang",))
    assert dd.score_candidates(late) == []  # add() would start a new event: no candidate to show
    assert dd.add(late).version == 1


def test_the_probability_bound_of_the_first_features_is_never_below_the_pair_probability(synth):
    """`_best_match` skips a candidate whose bound is below the bar: the bound must hold for any pair, here
    look-alikes that share a topic and differ in sides, places, keywords and dates."""
    topic = synth.direction()
    stories = [unit(topic + synth.direction()) for _ in range(8)]  # cosine ~0.5 between stories
    sides = [("Joe Biden", "Vladimir Putin"), ("Joe Biden", "Xi Jinping"), ("Emmanuel Macron", "Vladimir Putin")]
    places = [("Geneva",), ("Moscow",), ()]
    dd = Deduplicator(DedupConfig(threshold=0.99))  # look-alikes stay apart: many candidates per article
    for i, story in enumerate(stories):
        dd.add(synth.article(story, day=i % 4, sides=sides[i % 3], places=places[i % 3], keywords=("talks", f"k{i}")))
    pairs = 0
    for i, story in enumerate(stories):
        article = synth.article(story, noise=0.5, day=i % 5, sides=sides[(i + 1) % 3], places=places[(i + 2) % 3],
                                keywords=("talks", f"k{i}", f"k{i + 1}"))
        parsed = dd._parse(article)
        for live in dd._candidates(parsed, article.features.minhash):
            first = dd._first_evidence(live, parsed)
            assert dd._probability_bound(first) >= dd._join_probability(dd._pair_evidence(live, parsed, first))
            pairs += 1
    assert dd.live_events == len(stories) and pairs > 20


def test_a_candidate_the_first_features_rank_low_is_still_scored_when_the_rest_can_lift_it(synth):
    """The bound counts what participants can add: a less similar event between the same sides wins over a
    more similar one between other sides (a model where the sides weigh most)."""
    params = {"features": ["sim_use", "participant_overlap"], "coef": [1.0, 10.0], "intercept": -6.0,
              "threshold": 0.5}
    topic = synth.direction()
    dd = Deduplicator(DedupConfig(threshold=0.5, min_similarity=0.0), params=params)
    other_sides = dd.add(synth.article(topic, noise=0.6, sides=("Emmanuel Macron", "Olaf Scholz")))
    same_sides = dd.add(synth.article(topic + 0.9 * synth.direction(), noise=0.6,
                                      sides=("Joe Biden", "Vladimir Putin")))
    article = synth.article(topic, noise=0.6, sides=("Joe Biden", "Vladimir Putin"))
    ranked = dd.score_candidates(article)
    assert [event_id for event_id, _, _ in ranked] == [same_sides.event_id, other_sides.event_id]
    cosines = {event_id: f["sim_use"] for event_id, _, f in ranked}
    assert cosines[other_sides.event_id] > cosines[same_sides.event_id]  # searched first, scored low
    assert dd.add(article).event_id == same_sides.event_id


def _eager(**kw) -> DedupConfig:
    """Evict as soon as both clocks allow: the newest time is the watermark, no allowed lateness."""
    return DedupConfig(window_days=7, allowed_lateness_days=0, watermark_rank=1, **kw)


def test_eviction_uses_event_time_not_wall_clock(synth):
    old, mid, new = synth.direction(), synth.direction(), synth.direction()
    dd = Deduplicator(_eager())
    e_old = dd.add(synth.article(old, day=0, entities=("Padang",))).event_id
    e_mid = dd.add(synth.article(mid, day=5)).event_id
    assert dd.evict_expired() == []
    # a late article of the old story (same place: a follow-up 6 days on) keeps it alive
    assert dd.add(synth.article(old, day=6, noise=0.1, entities=("Padang",))).event_id == e_old
    e_new = dd.add(synth.article(new, day=14)).event_id
    evicted = dd.evict_expired()
    assert {e.event_id: len(e.article_ids) for e in evicted} == {e_old: 2, e_mid: 1}
    assert all(e.last_ingested_at is not None for e in evicted)  # when to forget them (processor)
    assert dd.live_events == 1 and dd.records()[0].event_id == e_new
    assert dd.evict_expired() == []
    # an evicted story that comes back starts a new event (the old one left the live index)
    again = dd.add(synth.article(old, day=15, noise=0.1))
    assert again.event_id not in (e_old, e_mid, e_new) and again.version == 1


def test_an_event_past_the_window_is_not_joined_even_before_it_is_evicted(synth):
    """The article whose time closes the window must not join the stale event: eviction runs between articles."""
    story = synth.direction()
    dd = Deduplicator(_eager())
    first = dd.add(synth.article(story, day=0, entities=("Padang",))).event_id
    assert dd.add(synth.article(story, day=3, noise=0.1, entities=("Padang",))).event_id == first
    late = dd.add(synth.article(story, day=11, noise=0.1, entities=("Padang",)))  # 8 days after the last one
    assert late.event_id != first and late.version == 1
    assert [e.event_id for e in dd.evict_expired()] == [first]


def test_an_undated_article_ingested_weeks_later_still_joins(synth):
    """Without a publication date the article's time is its ingestion time, no evidence that the story is new."""
    story = synth.direction()
    dd = Deduplicator(DedupConfig(window_days=7))
    first = dd.add(synth.article(story, day=0, entities=("Padang",))).event_id
    late = synth.article(story, dated=False, noise=0.1, entities=("Padang",))
    late = late.model_copy(update={"ingested_at": late.ingested_at + timedelta(days=30)})
    assert dd.add(late).event_id == first


def test_undated_stream_never_evicts_and_still_clusters(synth):
    story = synth.direction()
    dd = Deduplicator()
    a = dd.add(synth.article(story, dated=False, keywords=("k1", "k2")))
    b = dd.add(synth.article(story, dated=False, keywords=("k1", "k2")))
    assert a.event_id == b.event_id
    assert dd.evict_expired() == []


def test_config_is_frozen_and_defaults_come_from_params():
    cfg = DedupConfig()
    assert cfg.window_days == 7.0
    from services.processor.dedup.clusterer import PARAMS_PATH

    params = json.loads(PARAMS_PATH.read_text())
    assert cfg.threshold == params["threshold"]
    try:
        cfg.window_days = 3  # type: ignore[misc]
    except Exception:
        pass
    assert cfg.window_days == 7.0


def test_shipped_pair_model_weights_exactly_the_clusterer_features():
    from services.processor.dedup.clusterer import FEATURE_NAMES, load_params

    assert tuple(load_params()["features"]) == FEATURE_NAMES


def test_pair_model_with_unknown_features_is_refused():
    params = {"features": ["sim_use", "sim_other"], "coef": [1.0, 1.0], "intercept": 0.0}
    with pytest.raises(ValueError, match="sim_other"):
        Deduplicator(params=params)


def test_embedding_of_another_size_is_refused(synth):
    art = synth.article(synth.direction())
    wrong = art.model_copy(update={"features": art.features.model_copy(update={"embedding": [0.1] * 7})})
    with pytest.raises(ValueError, match="embedding size 7"):
        Deduplicator().add(wrong)


def test_coarse_search_path_finds_the_event(synth):
    """Above exact_search_limit the IVF search (probed lists, sketch pre-selection) must still find the right event."""
    dd = Deduplicator(DedupConfig(exact_search_limit=50))
    stories = [synth.direction() for _ in range(300)]
    firsts = [dd.add(synth.article(s, hours=i * 0.01, noise=0.2)).event_id for i, s in enumerate(stories)]
    hits = sum(dd.add(synth.article(stories[i], hours=5, noise=0.2)).event_id == firsts[i] for i in range(0, 300, 10))
    assert hits == 30


def test_hand_set_fallback_model_fits_the_features(monkeypatch, tmp_path):
    """Before `train` has written params.json the clusterer runs on hand-set weights, one per feature."""
    from services.processor.dedup import clusterer

    monkeypatch.setattr(clusterer, "PARAMS_PATH", tmp_path / "missing.json")
    clusterer.load_params.cache_clear()
    try:
        params = clusterer.load_params()
        assert params["features"] == list(clusterer.FEATURE_NAMES)
        Deduplicator(params=params)
        with pytest.raises(ValueError, match="coefficients"):
            Deduplicator(params=params | {"coef": params["coef"][:-1]})
    finally:
        clusterer.load_params.cache_clear()


def test_arrival_order_does_not_change_the_events(synth):
    """A backfill in any order (interleaved partitions, an archive) gives the events of the sorted stream."""
    import random

    stories = [(synth.direction(), day) for day in (0, 40, 400, 1200)]  # years apart: any window would close
    arts = [synth.article(s, day=d + i, noise=0.3, entities=(f"place{d}",)) for s, d in stories for i in range(3)]
    backfill = T0 + timedelta(days=2000)  # all ingested today, in one go
    arts = [a.model_copy(update={"ingested_at": backfill + timedelta(seconds=n)}) for n, a in enumerate(arts)]

    def groups(order):
        dd = Deduplicator()
        out = {}
        for a in order:
            out[a.article_id] = dd.add(a).event_id
            assert dd.evict_expired() == []  # idle in event time, but not in ingestion time
        return sorted(sorted(a for a in out if out[a] == e) for e in set(out.values()))

    expected = groups(arts)
    assert len(expected) == 4
    for seed in range(5):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert groups(shuffled) == expected


def test_one_misdated_article_does_not_evict_the_live_events(synth):
    dd = Deduplicator(DedupConfig(window_days=7, allowed_lateness_days=0))
    live = [dd.add(synth.article(synth.direction(), day=d)).event_id for d in range(6)]
    stray = synth.article(synth.direction(), day=3000)  # a wrong year from a scraper
    dd.add(stray.model_copy(update={"ingested_at": T0 + timedelta(days=30)}))  # and ingested a month on
    assert not {e.event_id for e in dd.evict_expired()} & set(live)


def test_undated_articles_move_no_event_clock(synth):
    story = synth.direction()
    dd = Deduplicator(_eager())
    first = dd.add(synth.article(story, day=0, entities=("Padang",))).event_id
    undated = synth.article(synth.direction(), dated=False)
    dd.add(undated.model_copy(update={"ingested_at": T0 + timedelta(days=1)}))
    assert dd.evict_expired() == []
    # a late dated follow-up still finds its event
    assert dd.add(synth.article(story, day=5, noise=0.1, entities=("Padang",))).event_id == first


def test_capacity_evicts_the_least_recently_joined_event(synth):
    dd = Deduplicator(DedupConfig(max_live_events=2))
    a, b, c = synth.direction(), synth.direction(), synth.direction()
    ea = dd.add(synth.article(a, day=0, entities=("Padang",))).event_id
    eb = dd.add(synth.article(b, day=0)).event_id
    assert dd.add(synth.article(a, day=0, noise=0.1, entities=("Padang",))).event_id == ea  # a is now newer
    dd.add(synth.article(c, day=0))
    assert [e.event_id for e in dd.evict_expired()] == [eb]
    assert dd.live_events == 2


def _with_event(article, **changes):
    return article.model_copy(update={"event": article.event.model_copy(update=changes)})


def _p_join(dd, article):
    """The join probability of an article against the one live event of `dd`."""
    [(_, p, _)] = dd.score_candidates(article)
    return p


def test_conflicts_name_who_where_and_how_many(synth):
    """Look-alike reports of another happening: the disagreement is a feature and an explanation."""
    from schemas import Figure, Place

    story = synth.direction()
    dd = Deduplicator()
    first = synth.article(story, entities=("Ukraine",), sides=("Joe Biden", "Vladimir Putin"))
    dd.add(_with_event(first, places=[Place(name="Geneva")], figures=[Figure(value=50, unit="minute", text="50-minute")]))
    same = synth.article(story, noise=0.1, entities=("Ukraine", "Vladimir Putin"), sides=("Joe Biden", "Vladimir Putin"))
    same = _with_event(same, places=[Place(name="Geneva")], figures=[Figure(value=50, unit="minute", text="50 minutes")])
    other = synth.article(story, noise=0.1, entities=("Ukraine",), sides=("Joe Biden", "Volodymyr Zelensky"))
    other = _with_event(other, places=[Place(name="Bali")], figures=[Figure(value=3, unit="hour", text="three hours"),
                                                                      Figure(value=120, unit="minute", text="2h")])
    [(_, p_same, f_same)] = dd.score_candidates(same)
    [(_, p_other, f_other)] = dd.score_candidates(other)
    conflicts = ("participant_conflict", "place_conflict", "figure_conflict")
    assert [f_same[c] for c in conflicts] == [0.0, 0.0, 0.0]
    assert [f_other[c] for c in conflicts] == [1.0, 1.0, 1.0]
    assert p_other < p_same
    record = dd.add(other)
    assert record.version == 1  # a new event, which says which event it was not and why
    reasons = record.members[0].reasons
    assert reasons.note.startswith("created the event: closest ")
    assert any(c.startswith("participants: zelensky vs putin") for c in reasons.conflicts)
    assert any(c.startswith("places: bali vs geneva") for c in reasons.conflicts)
    assert any(c.startswith("figures (minute): 180, 120 vs 50") for c in reasons.conflicts)  # hours in minutes


def test_a_place_within_a_country_the_other_side_names_is_no_place_conflict(synth):
    """'Seattle' and 'the United States' name one place at two scales; 'Bali' (Indonesia) is elsewhere."""
    from schemas import Place

    story = synth.direction()
    dd = Deduplicator()
    first = synth.article(story, entities=("Ukraine",))
    dd.add(_with_event(first, places=[Place(name="United States", country="USA", kind="country")]))
    seattle = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                          places=[Place(name="Seattle", country="USA", kind="city")])
    bali = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                       places=[Place(name="Bali", country="IDN", kind="region")])
    [(_, _, f_seattle)] = dd.score_candidates(seattle)
    [(_, _, f_bali)] = dd.score_candidates(bali)
    assert f_seattle["place_conflict"] == 0.0
    assert f_bali["place_conflict"] == 1.0


def test_place_scales_survive_a_restart_and_places_stored_without_a_kind_read_as_the_gazetteer_knows_them(synth):
    """A record written before places had a kind (extractor < 23) restores to the same scales: the gazetteer
    says "United States" is a country; "Georgia" the US state (from "Ga.") is not the country Georgia."""
    from schemas import Place

    story = synth.direction()
    live = Deduplicator()
    live.add(_with_event(synth.article(story, entities=("Ukraine",)),
                         places=[Place(name="United States", country="USA")]))  # no kind: an old record
    restarted = Deduplicator()
    restarted.restore([EventRecord.model_validate_json(r.model_dump_json()) for r in live.records()])
    seattle = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                          places=[Place(name="Seattle", country="USA", kind="city")])
    tbilisi = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                          places=[Place(name="Tbilisi", country="GEO", kind="city")])
    for dd in (live, restarted):
        [(_, _, f_seattle)] = dd.score_candidates(seattle)
        [(_, _, f_tbilisi)] = dd.score_candidates(tbilisi)
        assert (f_seattle["place_conflict"], f_tbilisi["place_conflict"]) == (0.0, 1.0)
    state = Deduplicator()
    state.add(_with_event(synth.article(story, entities=("Ukraine",)),
                          places=[Place(name="Georgia", country="USA", kind="state")]))
    [(_, _, f_tbilisi)] = state.score_candidates(tbilisi)
    assert f_tbilisi["place_conflict"] == 1.0  # the state of Georgia names no country Tbilisi lies in


def test_spans_of_weeks_and_months_place_a_happening_in_time_and_never_conflict(synth):
    """'two weeks ago', 'for three months': spans that long say when, not how long the happening lasted, and two
    reports of one event name different ones; hours and days still count ('a two-day summit')."""
    from schemas import Figure

    story = synth.direction()
    dd = Deduplicator()
    first = synth.article(story, entities=("Ukraine",))
    dd.add(_with_event(first, figures=[Figure(value=2, unit="week", text="two weeks"),
                                       Figure(value=3, unit="month", text="three months"),
                                       Figure(value=2, unit="day", text="two-day")]))
    spans = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                        figures=[Figure(value=4, unit="week", text="four weeks"),
                                 Figure(value=9, unit="month", text="nine months")])
    days = _with_event(synth.article(story, noise=0.1, entities=("Ukraine",)),
                       figures=[Figure(value=5, unit="day", text="five days")])
    [(_, _, f_spans)] = dd.score_candidates(spans)
    [(_, _, f_days)] = dd.score_candidates(days)
    assert f_spans["figure_conflict"] == 0.0
    assert f_days["figure_conflict"] == 1.0


def test_undated_reports_naming_other_weekdays_conflict_on_when(synth):
    """Undated, the weekday the lead names is the one 'when' there is: a Tuesday call is not the Thursday call."""
    from schemas import EventDate

    story = synth.direction()
    dd = Deduplicator()
    thursday = EventDate(weekdays=[3])
    dd.add(_with_event(synth.article(story, dated=False), event_date=thursday))
    same = _with_event(synth.article(story, noise=0.1, dated=False), event_date=EventDate(weekdays=[3, 4]))
    other = _with_event(synth.article(story, noise=0.1, dated=False), event_date=EventDate(weekdays=[1]))
    [(_, p_same, f_same)] = dd.score_candidates(same)
    [(_, p_other, f_other)] = dd.score_candidates(other)
    assert (f_same["weekday_conflict"], f_other["weekday_conflict"]) == (0.0, 1.0)
    assert p_other <= p_same
    dd.add(same)
    reasons = dd.add(other).members[-1].reasons
    assert "weekday: Tuesday vs Thursday" in reasons.conflicts


def test_a_phone_call_never_joins_a_video_call_however_similar(synth):
    """The lead says how the sides talked: a report of a phone call is no report of their video call. Silence is
    no conflict, nor is a channel some member of the event names; the switch turns the veto off."""
    story = synth.direction()

    def report(channel):
        return _with_event(synth.article(story, noise=0.05, dated=False), channel=channel)

    dd = Deduplicator()
    dd.add(report("video"))
    [(_, p_phone, _)] = dd.score_candidates(report("phone"))
    [(_, p_silent, _)] = dd.score_candidates(report(None))
    [(_, p_video, _)] = dd.score_candidates(report("video"))
    assert p_phone == 0.0 and p_silent > dd.config.threshold and p_video > dd.config.threshold
    reasons = dd.add(report("phone")).members[-1].reasons
    assert reasons.note.startswith("created the event: closest ")
    assert "vetoed: by phone vs by video" in reasons.conflicts
    weighed = Deduplicator(DedupConfig(veto_another_channel=False))
    weighed.add(report("video"))
    [(_, p_weighed, _)] = weighed.score_candidates(report("phone"))
    assert p_weighed > weighed.config.threshold


def test_talks_in_person_and_a_phone_call_never_join_however_similar(synth):
    """In person is a third way of talking (CAMEO 042-044 against 041): the report of the leaders' talks in the
    Kremlin is not one of their phone call a week earlier, nor the reverse; in person joins in person, and a
    silent report joins either. An event restored from its records (a restart) keeps its way."""
    story = synth.direction()

    def report(**how):
        return _with_event(synth.article(story, noise=0.05, dated=False), **how)

    call, talks = Deduplicator(), Deduplicator()
    call.add(report(channel="phone"))
    talks.add(report(met_in_person=True))
    assert _p_join(call, report(met_in_person=True)) == 0.0 and _p_join(talks, report(channel="phone")) == 0.0
    assert _p_join(talks, report(channel="video")) == 0.0
    assert _p_join(talks, report(met_in_person=True)) > talks.config.threshold
    assert _p_join(call, report()) > call.config.threshold and _p_join(talks, report()) > talks.config.threshold
    assert "vetoed: in person vs by phone" in call.add(report(met_in_person=True)).members[-1].reasons.conflicts
    restored = Deduplicator()
    restored.restore(talks.records())
    assert _p_join(restored, report(channel="phone")) == 0.0


def test_another_weekday_and_another_length_of_the_happening_veto_however_similar(synth):
    """Undated: a two-hour Tuesday video call is not the 50-minute Thursday call, however alike the texts; each
    conflict alone is only weighed. A span of days ('four days later') says when, not how long: no veto."""
    from schemas import EventDate, Figure

    story = synth.direction()
    dd = Deduplicator()
    fifty = Figure(value=50, unit="minute", text="50-minute")
    dd.add(_with_event(synth.article(story, dated=False), event_date=EventDate(weekdays=[3]), figures=[fifty]))

    def report(weekday: int, *figures: Figure):
        return _with_event(synth.article(story, noise=0.05, dated=False), event_date=EventDate(weekdays=[weekday]),
                           figures=list(figures))

    two_hours = Figure(value=2, unit="hour", text="two-hour")
    four_days = Figure(value=4, unit="day", text="four days")
    [(_, p_other, f_other)] = dd.score_candidates(report(1, two_hours))
    assert (f_other["weekday_conflict"], f_other["figure_conflict"], p_other) == (1.0, 1.0, 0.0)
    [(_, p_length, f_length)] = dd.score_candidates(report(3, two_hours))  # same weekday: weighed, not vetoed
    [(_, p_days, f_days)] = dd.score_candidates(report(1, four_days))  # a span of days: weighed, not vetoed
    assert f_length["figure_conflict"] == f_days["figure_conflict"] == f_days["weekday_conflict"] == 1.0
    assert p_length > 0.0 and p_days > 0.0
    reasons = dd.add(report(1, two_hours)).members[-1].reasons
    assert reasons.note.startswith("created the event: closest ")
    assert "vetoed: another day and another length (120 vs 50)" in reasons.conflicts


def _talk_report(synth, story, weekday: int, ordinal: int | None):
    """An undated report of `story` whose lead names the weekday and the talk's place in a series (None: none)."""
    from schemas import EventDate

    return _with_event(synth.article(story, noise=0.05, dated=False), event_date=EventDate(weekdays=[weekday]),
                       talk_ordinal=ordinal)


def test_another_weekday_and_another_talk_of_a_series_veto_however_similar(synth):
    """Undated: 'their first phone call' on a Tuesday is not 'their second conversation this month' on a
    Thursday, however alike the texts; another place in the series on the same weekday, or silence, joins. The
    switch turns the veto off."""
    report = partial(_talk_report, synth, synth.direction())

    dd, weighed = Deduplicator(), Deduplicator(DedupConfig(veto_when_and_which_talk=False))
    for d in (dd, weighed):
        d.add(report(3, 2))
    assert _p_join(dd, report(1, 1)) == 0.0 and _p_join(weighed, report(1, 1)) > 0.0
    assert _p_join(dd, report(3, 1)) > dd.config.threshold  # same weekday: another count of the calls, joins
    assert _p_join(dd, report(2, 1)) > 0.0  # the next day (Moscow's, or the announcement's): weighed, not vetoed
    assert _p_join(dd, report(1, None)) > 0.0 and _p_join(dd, report(1, 2)) > 0.0
    restored = Deduplicator()
    restored.restore(dd.records())  # a restart keeps each event's places in the series
    assert _p_join(restored, report(1, 1)) == 0.0
    reasons = dd.add(report(1, 1)).members[-1].reasons
    assert "vetoed: another day and another talk of the series (1 vs 2)" in reasons.conflicts


def test_a_first_talk_on_another_weekday_never_joins_reports_that_give_theirs_no_place_in_the_series(synth):
    """Undated: 'their first phone call' on a Tuesday is not the Saturday call whose reports do not say which it
    was (a first talk happens once); on the next day it is only weighed. Only the article's own 'first' counts
    so: a silent Thursday report may join an event that one Tuesday report called the first."""
    report = partial(_talk_report, synth, synth.direction())

    unnumbered, first, weighed = Deduplicator(), Deduplicator(), Deduplicator(DedupConfig(veto_when_and_which_talk=False))
    for d in (unnumbered, weighed):
        d.add(report(5, None))
    first.add(report(1, 1))
    assert _p_join(unnumbered, report(1, 1)) == 0.0 and _p_join(weighed, report(1, 1)) > 0.0
    assert _p_join(unnumbered, report(1, 2)) > 0.0  # a later talk may be reported by any count: weighed
    assert _p_join(unnumbered, report(6, 1)) > 0.0  # the next day (Moscow's, or the announcement's): weighed
    assert _p_join(first, report(3, None)) > 0.0  # the event's 'first' may be a wrong member's: weighed
    reasons = unnumbered.add(report(1, 1)).members[-1].reasons
    assert "vetoed: another day and another talk of the series (1 vs unnumbered)" in reasons.conflicts


def test_text_dates_and_lengths_veto_too_unless_another_figure_agrees(synth):
    """Dated: texts that date the happening days apart and give another length are two happenings. A figure
    both give alike (the same sum) means the figures do not disagree as a whole: weighed, not vetoed. The
    switch turns the veto off."""
    from datetime import date

    from schemas import EventDate, Figure

    story = synth.direction()

    def report(day: int, *figures: Figure):
        when = EventDate(date=date(2021, 12, day), precision="day", source="text")
        return _with_event(synth.article(story, noise=0.05), event_date=when, figures=list(figures))

    fifty, two_hours = Figure(value=50, unit="minute", text="50-minute"), Figure(value=2, unit="hour", text="2h")
    aid = Figure(value=1.5e9, unit="USD", text="$1.5 billion")
    dd = Deduplicator()
    dd.add(report(30, fifty, aid))
    [(_, p_other, f_other)] = dd.score_candidates(report(7, two_hours))
    assert (f_other["day_conflict"], f_other["figure_conflict"], p_other) == (1.0, 1.0, 0.0)
    [(_, p_sum, f_sum)] = dd.score_candidates(report(7, two_hours, aid))
    assert (f_sum["day_conflict"], f_sum["figure_conflict"]) == (1.0, 0.0) and p_sum > 0.0
    no_veto = Deduplicator(DedupConfig(veto_when_and_how_long=False))
    no_veto.add(report(30, fifty, aid))
    [(_, p_weighed, _)] = no_veto.score_candidates(report(7, two_hours))
    assert p_weighed > 0.0


def test_silence_is_no_conflict(synth):
    """An article that names no place, no second side and no numbers conflicts with nothing."""
    story = synth.direction()
    dd = Deduplicator()
    dd.add(synth.article(story, places=("Geneva",), sides=("Joe Biden", "Vladimir Putin")))
    [(_, _, f)] = dd.score_candidates(synth.article(story, noise=0.1))
    assert all(f[c] == 0.0 for c in CONFLICT_FEATURES)


def test_restore_takes_times_from_the_members_so_older_records_still_expire(synth):
    """Records of the previous format kept no ingestion time, and an undated member's ingestion time as its
    event time: restored, they must still leave the index once idle."""
    dd = Deduplicator(_eager())
    record = dd.add(synth.article(synth.direction(), dated=False))
    old_format = record.model_copy(update={"first_time": 0.0, "last_time": 0.0})
    restored = Deduplicator(_eager())
    restored.restore([old_format])
    later = synth.article(synth.direction(), day=30)
    restored.add(later.model_copy(update={"ingested_at": T0 + timedelta(days=30)}))
    assert [e.event_id for e in restored.evict_expired()] == [record.event_id]


def test_a_lone_article_moves_into_the_event_that_grew_within_its_reach(synth):
    """Single pass: `lone` came before its event took shape. Once the event grows, it would join it: it moves."""
    lone, first, second = lone_article_story(synth)
    dd = Deduplicator(DedupConfig(threshold=0.5, lone_article_margin=0.0), params=SIMILARITY_ONLY)
    lone_event = dd.add(lone).event_id
    event = dd.add(first).event_id
    assert event != lone_event and dd.take_merged() == []
    record = dd.add(second)
    assert record.event_id == event
    assert dd.take_merged() == [(lone_event, event)] and dd.take_merged() == []
    assert [m.article.article_id for m in record.members] == [first.article_id, second.article_id, lone.article_id]
    assert "reconsidered" in record.members[-1].reasons.note
    assert dd.event_of(lone.article_id) == event and dd.live_events == 1


def test_lone_articles_stay_where_they_are_when_reconsidering_is_off_or_the_margin_is_not_met(synth):
    for config in (DedupConfig(threshold=0.5, reconsider_lone_articles=False),
                   DedupConfig(threshold=0.5, lone_article_margin=0.4)):  # needs p >= 0.9: it has 0.85
        lone, first, second = lone_article_story(synth)
        dd = Deduplicator(config, params=SIMILARITY_ONLY)
        for article in (lone, first, second):
            dd.add(article)
        assert dd.take_merged() == [] and dd.live_events == 2

