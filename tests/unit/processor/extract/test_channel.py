"""How the sides talked, read from the headline and lead (services/processor/extract/channel.py)."""

import pytest

from services.processor.extract.channel import channel_of


@pytest.mark.parametrize("lead, channel", [
    ("Biden and Putin trade warnings in 50-minute phone call", "phone"),
    ("Joe Biden spoke by telephone with Vladimir Putin on Thursday.", "phone"),
    ("Biden warns Putin in two-hour video call over Ukraine", "video"),
    ("Biden and Xi hold first virtual summit", "video"),
    ("Joe Biden et Vladimir Poutine se sont entretenus jeudi soir par téléphone.", "phone"),
    ("Ukraine : en visioconférence, Biden menace Poutine", "video"),
    ("Telefonat zwischen Biden und Putin: Warnungen", "phone"),
    ("Biden und Xi beraten in einer Videoschalte", "video"),
    ("Biden y Putin mantuvieron una conversación telefónica de 50 minutos", "phone"),
    ("Biden y Xi celebran una videoconferencia", "video"),
    ("Ucraina, telefonata Biden-Putin: avvertimenti incrociati", "phone"),
    ("Biden e Xi in videoconferenza per due ore", "video"),
    ("Biden en Poetin voerden een telefoongesprek", "phone"),
    ("Путин и Байден провели телефонный разговор", "phone"),
    ("Путин и Байден провели переговоры по видеосвязи", "video"),
])
def test_the_channel_the_lead_names(lead, channel):
    assert channel_of([lead]) == channel


@pytest.mark.parametrize("lead", [
    "Biden and Putin agree to return ambassadors at Geneva summit",  # in person: no channel word
    "Phone hacking trial: editor charged",                           # a phone, no call
    "A video shows the moment the bridge collapsed",                 # a video, no call
    "Opérateur téléphonique : Orange relève ses prix",              # a phone company
    "Biden and Putin spoke by phone on Thursday, after their December video call",  # both: none
])
def test_no_channel_where_the_lead_names_none_or_both(lead):
    assert channel_of([lead]) is None
