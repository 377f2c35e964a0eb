"""Feature helpers (fast) and one end-to-end check with the real embedding model (slower, ~5 s)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas import Actor, ArticleEvent, EventDate, ExtractedArticle, Place, RawArticle
from services.processor.dedup import Deduplicator, FeatureEncoder
from services.processor.dedup.features import (
    BACKGROUND_LANGUAGES,
    EMBEDDING_MODEL,
    LEAD_WORDS,
    USE_DIM,
    _MinHasher,
    _plain_zipf,
    _tokenized_zipf,
    background_idf,
    embedding_text,
    keywords,
    minhash_similarity,
    normalize_entity,
)


def test_embedding_text_drops_repeated_headline_and_handles_headline_only():
    assert embedding_text("Quake hits", "Quake hits\n\nA strong quake hit the city.") == "Quake hits. A strong quake hit the city."
    assert embedding_text("Quake hits", "Quake hits") == "Quake hits"
    assert embedding_text("Quake hits", "") == "Quake hits"
    assert len(embedding_text("T", " ".join(["w"] * 1000)).split()) <= 1 + LEAD_WORDS


def test_normalize_entity_and_keywords():
    assert normalize_entity("Mr. Joe  Biden") == normalize_entity("joe biden") == "joe biden"
    assert normalize_entity("Zürich") == "zurich"
    kws = keywords("Earthquake strikes Sumatra", "The earthquake killed 12 people in Padang, officials said.")
    assert kws[0] == "#earthquake" and "#sumatra" in kws and "#padang" in kws
    assert "#the" not in kws and "#said" not in kws
    assert keywords("Erdbeben in Sumatra", "Das Erdbeben war stark")[0] == "#erdbeben"
    # Russian names in any case are the romanized nominative, as English writes them; other words stay
    ru = keywords("Лавров и Блинкен", "Лаврову понравились переговоры с Блинкеном в Женеве")
    assert {"#lavrov", "#blinken"} <= set(ru) and "#переговоры" in ru
    # Ukrainian: names by its dictionary and standard (the article's language reaches words without і/ї/є/ґ),
    # its stop words out
    uk = keywords("Байден і Путін провели розмову", "Байдена і Путіна вітали щодо розмови", language="uk")
    assert {"#baiden", "#putin"} <= set(uk) and "#щодо" not in uk


def test_keywords_rank_distinctive_words_above_frequent_ones():
    # 'day' twice (count 2 x IDF ~7) loses the one slot to 'Qeshm' once (count 1 x IDF ~20.7)
    assert keywords("", "Day after day, a quake near Qeshm", k=1) == ["#qeshm"]
    # repetition still counts: a rare word's weight grows with its count
    assert keywords("", "Qeshm, Qeshm, Qeshm and Padang", k=2)[:3] == ["#qeshm"] * 2 + ["#padang"]


def test_background_idf_weights_rare_words_above_common_ones_in_every_language():
    assert background_idf("#earthquake") == background_idf("earthquake")  # keyword and entity key alike
    assert background_idf("#the") < background_idf("#earthquake") < background_idf("qeshm")
    assert background_idf("#und") < background_idf("#erdbeben")  # German: "and" vs "earthquake"
    assert background_idf("#землетрясение") < background_idf("#zzqxv")  # Russian word vs a non-word
    assert background_idf("#zzqxv") == pytest.approx(9 * 2.302585, rel=1e-5)  # in no table: the ceiling


def test_plain_key_lookup_equals_wordfreq_tokenized_lookup():
    """The table-lookup fast path must give wordfreq's own zipf_frequency (max over languages), to the digit."""
    import itertools
    import random

    from wordfreq import iter_wordlist

    rng = random.Random(7)
    words = {"earthquake", "qeshm", "und", "zzqxv", "a"}
    for lang in BACKGROUND_LANGUAGES:  # frequent, mid and rare words of each table
        listed = [w for w in itertools.islice(iter_wordlist(lang), 200_000) if w.isascii() and w.isalpha()]
        words |= set(listed[:200]) | set(rng.sample(listed, 300))
    words |= {"".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8))) for _ in range(500)}
    pool = sorted(words)
    words |= {" ".join(rng.sample(pool, rng.randint(2, 3))) for _ in range(1000)}  # multi-word entity keys
    mismatched = [w for w in sorted(words) if _plain_zipf(w) != _tokenized_zipf(w)]
    assert not mismatched
    assert _plain_zipf("the") > 7 > _plain_zipf("earthquake") > _plain_zipf("joe biden") > _plain_zipf("zzqxv") == 0.0


def test_minhash_detects_copies_not_rewrites():
    mh = _MinHasher()
    text = "The magnitude 7.6 earthquake struck off the coast of Sumatra on Wednesday evening, officials said. " * 3
    copy = text + " Reporting by Reuters."
    other = "A strong quake shook western Indonesia late on Wednesday, killing hundreds, the government said."
    assert minhash_similarity(mh.signature(text), mh.signature(copy)) > 0.7
    assert minhash_similarity(mh.signature(text), mh.signature(other)) < 0.2
    assert mh.signature("") == []


def _raw(i: str, title: str, text: str, day: int = 30, lang: str = "en") -> RawArticle:
    ts = datetime(2009, 9, day, 12, tzinfo=UTC)
    return RawArticle(article_id=i, title=title, text=text, published_at=ts, ingested_at=ts, language=lang,
                      outlet=f"outlet-{i}")


@pytest.fixture(scope="module")
def encoder() -> FeatureEncoder:
    return FeatureEncoder()


def test_real_models_three_outlets_and_a_german_copy_join_a_different_quake_stays_apart(encoder):
    sumatra = ArticleEvent(actors=[Actor(name="Indonesian government")],
                           places=[Place(name="Sumatra"), Place(name="Padang"), Place(name="Indonesia")],
                           event_date=EventDate(date=date(2009, 9, 30), precision="day", source="text"))
    california = ArticleEvent(actors=[Actor(name="US Geological Survey")],
                              places=[Place(name="California"), Place(name="Bakersfield")],
                              event_date=EventDate(date=date(2009, 9, 12), precision="day", source="text"))
    arts = [
        (_raw("nyt", "Powerful earthquake strikes Sumatra, hundreds feared dead",
              "A 7.6-magnitude earthquake struck off western Sumatra on Wednesday, toppling buildings in the city "
              "of Padang and killing hundreds of people, Indonesian officials said."), sumatra),
        (_raw("fox", "Indonesia quake kills hundreds in Padang",
              "Hundreds of people were killed when a powerful earthquake hit the Indonesian island of Sumatra, "
              "flattening buildings in Padang, the government said on Wednesday."), sumatra),
        (_raw("hpo", "Sumatra earthquake: death toll rises as rescuers dig through rubble in Padang",
              "Rescuers in Padang searched collapsed buildings after the 7.6 earthquake off Sumatra, Indonesia, "
              "killed hundreds."), sumatra),
        (_raw("faz", "Schweres Erdbeben auf Sumatra: Hunderte Tote in Padang",
              "Ein Erdbeben der Stärke 7,6 hat die indonesische Insel Sumatra erschüttert. In der Stadt Padang "
              "stürzten Gebäude ein, Hunderte Menschen kamen ums Leben.", lang="de"),
         sumatra.model_copy(update={"language": "de"})),
        (_raw("lat", "Moderate earthquake shakes Bakersfield, no injuries",
              "A magnitude 5.2 earthquake rattled Bakersfield, California, on Saturday, the US Geological Survey "
              "said. There were no reports of injuries or damage.", day=12), california),
    ]
    raws = [a for a, _ in arts]
    events = [e if e.language == "de" else e.model_copy(update={"language": "en"}) for _, e in arts]
    feats = encoder.encode_many(raws, events)
    assert len(feats[0].embedding) == USE_DIM and feats[0].embedding_model == EMBEDDING_MODEL and feats[0].minhash
    extracted = [ExtractedArticle(article_id=r.article_id, outlet=r.outlet, title=r.title, published_at=r.published_at,
                                  ingested_at=r.ingested_at, event=e, features=f)
                 for r, e, f in zip(raws, events, feats)]
    order = [0, 4, 1, 2, 3]  # the other quake arrives in between
    dd = Deduplicator()
    ids = {extracted[i].article_id: dd.add(extracted[i]).event_id for i in order}
    assert ids["nyt"] == ids["fox"] == ids["hpo"], ids
    assert ids["faz"] == ids["nyt"], "the German report must join the English event"
    assert ids["lat"] != ids["nyt"]


def test_unsupported_language_and_empty_text_do_not_crash(encoder):
    raws = [_raw("x1", "東京で地震", "東京で地震", 1, lang="ja"), _raw("x2", "?", "?", 1, lang="xx")]
    feats = encoder.encode_many(raws, [ArticleEvent(language="ja"), ArticleEvent(language="und")])
    assert all(len(f.embedding) == USE_DIM for f in feats)
