"""Russian and Ukrainian name morphology and romanization (pure logic: pymorphy3's dictionaries and iuliia, no
broker)."""

from __future__ import annotations

import pytest

from services.common.cyrillic import latin_name_token, romanized
from services.processor.extract.cyrillic import names_in_run
from services.processor.extract.names import GPE, ORG, PERSON


@pytest.mark.parametrize("run, opens, expected", [
    ("Владимиром Путиным", False, [("Владимиром Путиным", "Владимир Путин", PERSON)]),
    ("Зеленскому", False, [("Зеленскому", "Зеленский", PERSON)]),
    ("России Юрий Ушаков", False, [("России", "Россия", GPE), ("Юрий Ушаков", "Юрий Ушаков", PERSON)]),
    ("Президент США", True, [("США", "США", GPE)]),  # the sentence's capital is no name; upper case kept
    ("НАТО", False, [("НАТО", "НАТО", ORG)]),
    ("Макрона", False, [("Макрона", "Макрон", None)]),  # a dictionary word with no name tag: the caller decides
    ("Рютте", False, [("Рютте", "Рютте", None)]),      # unknown to the dictionary: kept as written, not "Рютта"
    ("Байдена", False, [("Байдена", "Байден", PERSON)]),  # unknown, but the guess only strips an ending
    ("Ростове-на-Дону", False, [("Ростове-на-Дону", "Ростов-на-Дону", GPE)]),
])
def test_names_in_a_run_are_split_by_kind_and_put_in_the_nominative(run, opens, expected):
    assert names_in_run(run, opens) == expected


def test_romanization_is_wikipedia_style_for_russian_and_the_national_standard_for_ukrainian():
    assert [romanized(n) for n in ("Путин", "Лавров", "Зеленский")] == ["Putin", "Lavrov", "Zelensky"]
    assert romanized("Joe Biden") == "Joe Biden"
    assert romanized("Вучић") == "Вучић"  # Serbian: no schema here
    # Ukrainian letters, or an article in Ukrainian: the 2010 standard, word-initial forms included
    assert romanized("Київ") == "Kyiv"
    assert romanized("Володимир Зеленський", "uk") == "Volodymyr Zelenskyi"
    assert romanized("Юрій Єхануров, Згурський, Їжакевич") == "Yurii Yekhanurov, Zghurskyi, Yizhakevych"
    # Latin apostrophes stay; a Russian name quoted in a Ukrainian text takes the Russian schema
    assert romanized("O'Brien і Київ") == "O'Brien i Kyiv"
    assert romanized("Рыбаков і Эрдоган", "uk") == "Rybakov i Erdogan"


@pytest.mark.parametrize("token, expected", [
    ("путину", "putin"), ("россии", "rossiya"),
    ("разговор", "разговор"),  # a common word stays in its language
    ("газа", "газа"), ("марта", "марта"), ("вера", "вера"),  # lowercase: gas, of March, faith; not Gaza, Marta, Vera
    ("biden", "biden"), ("путіна", "putin"),  # Ukrainian: its own dictionary
    ("віра", "віра"), ("надія", "надія"),  # Ukrainian lowercase: faith, hope (its dictionary scores every parse
])                                          # alike, so a name only where the word can be nothing else)
def test_only_name_tokens_cross_scripts_in_keywords(token, expected):
    assert latin_name_token(token) == expected


def test_ukrainian_names_come_back_to_the_nominative_and_runs_are_cut_at_a_place():
    """The Ukrainian dictionary tags people but no places: the country names given to the run cut it."""
    places = {"Росія", "США"}
    assert names_in_run("Путіна", language="uk") == [("Путіна", "Путін", PERSON)]
    assert names_in_run("Росії Володимир Путін", language="uk", places=places) == [
        ("Росії", "Росія", GPE), ("Володимир Путін", "Володимир Путін", PERSON)]
    assert names_in_run("США Джо Байден", language="uk", places=places)[0] == ("США", "США", GPE)
    # no probabilities in that dictionary: a nominative as written before another name's form ("Юлія" is no
    # form of "Юлій"); an all-capitals word is an abbreviation (not the name "Ната" in "НАТО"); a sentence's
    # first word that is a known place or given name is kept
    assert names_in_run("Юлія Свириденко", language="uk") == [("Юлія Свириденко", "Юлія Свириденко", PERSON)]
    assert names_in_run("НАТО", language="uk") == [("НАТО", "НАТО", ORG)]
    assert names_in_run("Росія", True, "uk", places) == [("Росія", "Росія", GPE)]
    assert names_in_run("Володимир Зеленський", True, "uk") == [
        ("Володимир Зеленський", "Володимир Зеленський", PERSON)]
    # the given-name dictionary is for Ukrainian only: a Latin brand name in a Russian run stays unlabeled
    assert names_in_run("Tiffany", language="ru") == [("Tiffany", "Tiffany", None)]
