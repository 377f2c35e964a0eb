"""wordfreq's frequencies in ~1/10 of the memory: the same values, from compact per-language tables.

wordfreq keeps each language's table as a Python dict (word -> float): the eight languages the deduplicator
reads (3.2 M words) take ~365 MB. Here a table is two numpy arrays built once per process from the same
files in wordfreq's wheel: the sorted 64-bit `hash()` of every word's UTF-8 bytes and its centibel bucket (10 bytes a
word). `zipf_frequency` is wordfreq's (same tokenizer, number smashing and rounding) over these tables.

A word that is in no table but shares a 64-bit hash with one that is would get that word's frequency: with
~10^6 words per table, about once in 10^13 look-ups.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np


def _key(word: str) -> int:
    # of the UTF-8 bytes: a str's own hash reads its in-memory code units, so 'つ' (UCS-2 64 30) hashes as 'd0'
    return hash(word.encode("utf-8", "surrogatepass"))


class CompactFrequencies:
    """word -> frequency (a float, as wordfreq's `get_frequency_dict(lang)` holds it), read-only."""

    def __init__(self, buckets) -> None:
        hashes: list[int] = []
        centibels: list[int] = []
        for index, bucket in enumerate(buckets):
            hashes += map(_key, bucket)
            centibels += [index] * len(bucket)
        keys = np.array(hashes, dtype=np.int64)[::-1]
        values = np.array(centibels, dtype=np.uint16)[::-1]
        # a word listed twice keeps its last bucket, as the dict wordfreq builds does
        self._keys, first = np.unique(keys, return_index=True)
        self._centibels = values[first]
        from wordfreq import cB_to_freq

        self._freq_of_bucket = [cB_to_freq(-i) for i in range(int(values.max(initial=0)) + 1)]

    @classmethod
    def highest(cls, tables: Sequence[CompactFrequencies]) -> CompactFrequencies:
        """One table of every word of `tables`, each with its highest frequency among them: what a max over the
        tables gives, in one search instead of one per table."""
        keys = np.concatenate([t._keys for t in tables])
        centibels = np.concatenate([t._centibels for t in tables])
        order = np.lexsort((centibels, keys))  # by word, then highest frequency (lowest bucket) first
        keys, centibels = keys[order], centibels[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        merged = cls.__new__(cls)
        merged._keys, merged._centibels = keys[first], centibels[first]
        merged._freq_of_bucket = max((t._freq_of_bucket for t in tables), key=len)  # the same grid in every table
        return merged

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, word: str, default: float | None = None) -> float | None:
        key = _key(word)
        keys = self._keys
        i = int(keys.searchsorted(key))
        if i < len(keys) and keys[i] == key:
            return self._freq_of_bucket[self._centibels[i]]
        return default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


def _buckets(path: str):
    """The word lists of a cBpack file one bucket at a time (wordfreq's `read_cBpack` loads the whole file)."""
    import msgpack

    with gzip.open(path, "rb") as infile:
        unpacker = msgpack.Unpacker(infile, raw=False)
        n = unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"unexpected wordfreq header: {header!r}")
        for _ in range(n - 1):
            yield unpacker.unpack()


@cache
def frequency_table(lang: str) -> CompactFrequencies | None:
    """The compact table of a language wordfreq has a 'best' list for under exactly that code, else None."""
    from wordfreq import available_languages

    path = available_languages("best").get(lang)
    return CompactFrequencies(_buckets(path)) if path else None


def _word_frequency(word: str, lang: str, table: CompactFrequencies, minimum: float) -> float:
    """wordfreq's `_word_frequency` over a compact table (languages without the jieba tokenizer)."""
    from wordfreq import digit_freq, lossy_tokenize, smash_numbers

    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return minimum
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        freq = table.get(smashed)
        if freq is None:
            return minimum
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    unrounded = max(1.0 / one_over_result, minimum)
    if unrounded == 0.0:
        return 0.0
    return round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)


@lru_cache(maxsize=200_000)
def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq.zipf_frequency(word, lang): zipf = log10(occurrences per 10^9 words), 0 at the floor."""
    import wordfreq
    from wordfreq.language_info import get_language_info

    table = frequency_table(lang)
    if table is None or get_language_info(lang)["tokenizer"] == "jieba":
        return wordfreq.zipf_frequency(word, lang)  # another code for a language, or Chinese: wordfreq's own
    freq = _word_frequency(word, lang, table, wordfreq.zipf_to_freq(0.0))
    return round(wordfreq.freq_to_zipf(freq), 2)
