import pytest
import wordfreq

from services.common.word_frequency import CompactFrequencies, frequency_table, zipf_frequency

LANGUAGES = ("en", "de", "ru")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compact_table_holds_every_word_of_wordfreqs_dict_with_the_same_frequency(lang):
    expected = wordfreq.get_frequency_dict(lang)
    table = frequency_table(lang)
    assert len(table) == len(expected)
    for word in list(expected)[::97]:
        assert table.get(word) == expected[word], word


def test_words_whose_code_units_spell_another_word_stay_apart():
    # 'つ' is stored as the UCS-2 bytes 64 30, which is also how 'd0' is stored: a str hash confuses them
    expected = wordfreq.get_frequency_dict("en")
    table = frequency_table("en")
    for word in ("つ", "d0", "の", "n0"):
        assert table.get(word) == expected[word]


@pytest.mark.parametrize("word", ["earthquake", "Erdbeben", "землетрясение", "New York", "2019", "3.5 million",
                                  "1,000", "covid-19", "u.s.", "o'brien", "zzqxv", "", "  ", "12:30", "Zelenskyy"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_zipf_frequency_is_wordfreqs(word, lang):
    assert zipf_frequency(word, lang) == wordfreq.zipf_frequency(word, lang)


def test_a_language_without_a_table_of_its_own_code_is_wordfreqs_answer():
    assert frequency_table("pt-BR") is None
    assert zipf_frequency("obrigado", "pt-BR") == wordfreq.zipf_frequency("obrigado", "pt-BR")


def test_highest_table_gives_each_word_its_highest_frequency_among_the_tables():
    tables = [frequency_table(lang) for lang in LANGUAGES]
    highest = CompactFrequencies.highest(tables)
    words = set()
    for lang in LANGUAGES:  # words of every table, frequent and rare, and words of one table only
        listed = list(wordfreq.get_frequency_dict(lang))
        words |= set(listed[:300]) | set(listed[::211])
    words |= {"zzqxv", "qeshm", ""}
    for word in sorted(words):
        expected = max((f for t in tables if (f := t.get(word)) is not None), default=None)
        assert highest.get(word) == expected, word
    assert len(highest) == len({w for lang in LANGUAGES for w in wordfreq.get_frequency_dict(lang)})
