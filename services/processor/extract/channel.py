"""How the two sides talked, when the headline and lead say it: by phone or over a video link.

A phone call and a video call of the same two leaders are two happenings ("Biden and Putin's first phone
call" in January, their "secure video call" in December), however alike the reports read; the deduplicator
vetoes joining them (`clusterer._another_channel`). Only a lead that names one channel gives one: "spoke by
phone on Thursday, after the December video call" names both and gives none, and so does a lead that names
neither.

The words are each language's common nouns and adverbs for a telephone call and a videoconference (the
translations Wiktionary lists under "telephone call" and "videoconference"), matched in any language: a German
"Telefonat" in a Dutch text is still a phone call. Nouns that merely contain the word are left out: "phone
hacking", "phone maker", "opérateur téléphonique", "a video shows".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemas.extracted import Channel

_PHONE = (
    r"(?:tele)?phone[- ](?:calls?|conversations?|talks?|chats?)|(?:by|on the|over the|via) (?:tele)?phone|"
    r"(?:tele)?phoned",                                                            # en
    r"(?:par|au) t[ée]l[ée]phone|(?:entretien|appel|[ée]change|conversation)s? t[ée]l[ée]phoniques?",  # fr
    r"telefonate?s?|telefongespr[äa]ch\w*|telefoniert\w*|telefonisch\w*",      # de (telefonisch: nl too)
    r"(?:llamada|conversaci[óo]n|charla)s? telef[óo]nicas?|por tel[ée]fono|telef[óo]nicamente",  # es
    r"telefonat[ae]|(?:colloquio|conversazione|chiamata)\w* telefonic\w*|(?:al|per) telefono|telefonicamente",  # it
    r"telefoongesprek\w*|(?:per|via|aan de) telefoon",                          # nl
    r"телефонн\w+ (?:разговор|переговор|бесед)\w*|по телефону|созвонил\w*",     # ru
)
_VIDEO = (
    r"video[- ]?(?:calls?|conferenc\w*|links?|chats?|summits?|meetings?|talks?)|"
    r"virtual (?:summits?|meetings?|talks|calls?|conferences?)|(?:by|via|over) video",  # en
    r"visioconf[ée]rences?|vid[ée]oconf[ée]rences?|(?:par|en) (?:vid[ée]o|visio)|sommet virtuel",  # fr
    r"videokonferenz\w*|videoschalte\w*|videogespr[äa]ch\w*|videotelefonat\w*|per video|"
    r"virtuelle[nrs]? (?:gipfel|treffen)\w*",                                   # de
    r"videoconferencias?|videollamadas?|(?:cumbre|reuni[óo]n) virtual|por v[íi]deo",  # es
    r"videoconferenz[ae]|videochiamat[ae]|videocollegamento|(?:vertice|incontro|summit) virtuale|"
    r"in video ?collegamento",                                                  # it
    r"videoconferentie\w*|videogesprek\w*|videoverbinding\w*|virtuele (?:top|bijeenkomst)",  # nl
    r"видеоконференц\w*|видеосвяз\w*|видеозвон\w*|виртуальн\w+ (?:саммит|встреч)\w*",  # ru
)
_PATTERNS: dict[Channel, re.Pattern] = {
    "phone": re.compile(r"\b(?:" + "|".join(_PHONE) + r")\b", re.IGNORECASE),
    "video": re.compile(r"\b(?:" + "|".join(_VIDEO) + r")\b", re.IGNORECASE),
}


def channel_of(lead_sentences: Iterable[str]) -> Channel | None:
    """The one channel the headline and lead name for the talk, None if they name none or both."""
    text = "\n".join(lead_sentences)
    named = [channel for channel, pattern in _PATTERNS.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else None
