from __future__ import annotations

import pytest

from services.processor.extract.event_type import classify_event
from services.processor.extract.figures import extract_figures
from services.processor.extract.quotes import extract_quotes


def _identity(name: str) -> str:
    return name


def test_split_quote_fragments_are_merged():
    quotes = extract_quotes(["Officials described the call as “serious” and “substantive.”"], _identity)
    assert [q.text for q in quotes] == ["serious and substantive"]


def test_speaker_after_and_before_and_pronoun():
    paragraphs = [
        "“We are ready to talk,” said Yuri Ushakov.",
        "He added: “Sanctions would be a colossal mistake.”",
        "Jen Psaki said: “The door to diplomacy is open.”",
        "“Nobody claimed this one,” the statement read.",
    ]
    speakers = {q.text: q.speaker for q in extract_quotes(paragraphs, _identity)}
    assert speakers["We are ready to talk"] == "Yuri Ushakov"
    assert speakers["Sanctions would be a colossal mistake"] == "Yuri Ushakov"
    assert speakers["The door to diplomacy is open"] == "Jen Psaki"


def test_one_word_scare_quotes_are_not_quotes():
    assert extract_quotes(["Putin was ‘pleased’ with the talks."], _identity) == []


def test_figures_units_and_values():
    text = (
        "During a 50-minute call, they discussed 60,000 to 90,000 Russian troops, $1.5 billion in aid, "
        "a 3.2% rise and 12 soldiers killed. The 2014 seizure of Crimea was mentioned."
    )
    found = {(f.unit, f.value) for f in extract_figures(text)}
    assert ("minute", 50.0) in found
    assert ("troops", 90000.0) in found
    assert ("USD", 1.5e9) in found
    assert ("percent", 3.2) in found
    assert ("deaths", 12.0) in found  # "12 soldiers killed" counts the dead
    assert not any(f.value == 2014 for f in extract_figures(text))


@pytest.mark.parametrize("text, expected", [
    ("Biden and Putin spoke by phone for just over an hour on Saturday.", [("minute", 60.0)]),
    ("The call was an hour long.", [("minute", 60.0)]),
    ("The talks broke up after half an hour.", [("minute", 30.0)]),
    ("The call was half an hour long.", [("minute", 30.0)]),
    ("They talked for an hour and a half.", [("minute", 90.0)]),
    ("a quarter of an hour", [("minute", 15.0)]),
    ("an hour-long call", [("minute", 60.0)]),
    # rates, not lengths
    ("winds of 60 miles an hour", []),
    ("workers paid $15 an hour", [("USD", 15.0)]),
    ("the alarm sounded three times an hour", []),
    ("trains leave once an hour", []),
    ("at 100 km an hour", []),
])
def test_an_hour_is_a_length_and_so_much_an_hour_a_rate(text, expected):
    assert [(f.unit, f.value) for f in extract_figures(text)] == expected


def test_event_type_call_beats_warnings_said_in_it():
    event_type = classify_event(
        "Biden and Putin warn of breach over Ukraine",
        [
            "Biden and Putin speak by phone amid rising tension.",
            "The two leaders warned each other in a 50-minute call.",
        ],
    )
    assert event_type.code == "041" and event_type.root == "04"
    assert 0 < event_type.confidence <= 1


def test_event_type_threat_without_occurrence():
    event_type = classify_event("Putin threatens the West with retaliation", ["Putin warned of consequences."])
    assert event_type.root == "13"


def test_event_type_other_roots_and_none():
    assert classify_event("Police arrest protest leader", []).code in ("173", "141")
    assert classify_event("Thousands protest in the capital", ["Demonstrators marched on Sunday."]).root == "14"
    assert classify_event("A quiet day", ["Nothing happened."]) is None


def test_conditional_invasion_is_not_the_event():
    event_type = classify_event("Leaders hold phone call", ["The US will respond if Russia invades Ukraine."])
    assert event_type.code == "041"


def test_figure_context_tells_quantities_apart():
    text = (
        "Russia has massed 100,000 troops near the border. "
        "A report said Russia would withdraw about 10,000 troops from the area."
    )
    contexts = {f.value: f.context for f in extract_figures(text)}
    assert contexts == {100000.0: "deployed", 10000.0: "withdrawn"}


def test_second_quote_after_attribution_keeps_the_speaker_but_scare_quotes_do_not():
    paragraphs = [
        "“I regret my reaction,” Etheridge said. “Throughout my years of service I have tried to be civil.”",
        "Romney accused the president of a so-called “apology tour” abroad.",
    ]
    speakers = {q.text: q.speaker for q in extract_quotes(paragraphs, _identity)}
    assert speakers["I regret my reaction"] == "Etheridge"
    assert speakers["Throughout my years of service I have tried to be civil"] == "Etheridge"
    assert speakers["apology tour"] is None


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("es", "Un acuerdo por valor de 7.200 millones de US$; la bolsa cayó un 1,4%.",
     {(7.2e9, "USD"), (1.4, "percent")}),
    ("it", "Un contratto da 1,2 miliardi di euro e 5 milioni di dollari.", {(1.2e9, "EUR"), (5e6, "USD")}),
    ("nl", "Een order van 7,2 miljard dollar en € 300 miljoen.", {(7.2e9, "USD"), (3e8, "EUR")}),
    ("de", "Ein Auftrag über 7,2 Milliarden Dollar; der Kurs fiel um 2,5 %.", {(7.2e9, "USD"), (2.5, "percent")}),
    ("fr", "Un contrat de 7,2 milliards de dollars et 3 millions d'euros.", {(7.2e9, "USD"), (3e6, "EUR")}),
])
def test_money_and_percentages_in_the_articles_language_and_number_format(language, text, expected):
    """The language's decimal comma, grouping dot and scale words (CLDR): '7.200 millones' is 7.2 billion,
    '1,4%' is 1.4 percent (English rules read 7.2 and 4)."""
    assert {(f.value, f.unit) for f in extract_figures(text, language=language)} == expected
