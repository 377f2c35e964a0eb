"""Russian name morphology and romanization (pure logic: pymorphy3's dictionary and iuliia, no broker)."""

from __future__ import annotations

import pytest

from services.processor.extract.cyrillic import latin_name_token, names_in_run, romanized
from services.processor.extract.names import GPE, ORG, PERSON


@pytest.mark.parametrize("run, expected", [
    ("Владимиром Путиным", [("Владимиром Путиным", "Владимир Путин", PERSON)]),
    ("Зеленскому", [("Зеленскому", "Зеленский", PERSON)]),
    ("России Юрий Ушаков", [("России", "Россия", GPE), ("Юрий Ушаков", "Юрий Ушаков", PERSON)]),
    ("Президент США", [("США", "США", GPE)]),   # a common word is no name; the abbreviation keeps its case
    ("НАТО", [("НАТО", "НАТО", ORG)]),
    ("Белого", []),                             # the adjective of "Белого дома" alone
])
def test_names_in_a_run_are_split_by_kind_and_put_in_the_nominative(run, expected):
    assert names_in_run(run) == expected


def test_romanization_is_wikipedia_style_and_leaves_latin_text_alone():
    assert [romanized(n) for n in ("Путин", "Лавров", "Зеленский")] == ["Putin", "Lavrov", "Zelensky"]
    assert romanized("Joe Biden") == "Joe Biden"


def test_only_name_tokens_cross_scripts_in_keywords():
    assert latin_name_token("путину") == "putin"
    assert latin_name_token("разговор") == "разговор"  # a common word stays in its language
    assert latin_name_token("biden") == "biden"
