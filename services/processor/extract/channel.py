"""How the two sides talked, when the headline and lead say it: by phone or over a video link.

A phone call and a video call of the same two leaders are two happenings ("Biden and Putin's first phone
call" in January, their "secure video call" in December), however alike the reports read; the deduplicator
vetoes joining them (`clusterer._another_channel`). Only a lead that names one channel gives one: "spoke by
phone on Thursday, after the December video call" names both and gives none, and so does a lead that names
neither.

The words are each language's common nouns and verbs for a telephone call and a videoconference (the
translations Wiktionary lists under "telephone call" and "videoconference"), matched in any language: a German
"Telefonat" in a Dutch text is still a phone call. Only words for two sides talking count, not for how a
quote was obtained or a product: "told Reuters by phone", "reached by phone", "a telephone poll", "phoned in a
bomb threat", "phone maker", "speaking by video link", "video games", "EN VIDÉO" (a French headline's label)
give none. An adverb ("by phone", "par téléphone", "por teléfono", "по телефону") counts only after a verb
of talking, at most six words before it ("spoke with Putin by phone", "se sont entretenus ... par téléphone",
"поговорили по телефону").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemas.extracted import Channel

# Up to six words between a verb of talking and its channel, commas included: "spoke with U.S. President Joe
# Biden, his counterpart, by phone"; never across sentences, which `channel_of` joins with newlines.
_GAP = r"(?: \S+){0,6}"
_PHONE = (
    r"(?:tele)?phone[- ](?:calls?|conversations?|talks|chats?)|(?:tele)?phoned(?= (?-i:[A-Z]))|"
    rf"(?:spoke|speak|speaks|speaking|talked|talk|talks|talking|discussed|conferred){_GAP} "
    r"(?:by|on the|over|over the|via) (?:tele)?phone",                         # en
    r"(?:entretien|appel|[ée]change|conversation)s? t[ée]l[ée]phoniques?|(?:se sont|s'est) t[ée]l[ée]phon[ée]|"
    rf"(?:entretenue?s?|parl[ée]s?|discut[ée]|dialogu[ée]|[ée]chang[ée]){_GAP} (?:par|au) t[ée]l[ée]phone",  # fr
    r"telefonat(?:e|en|s)?|telefongespr[äa]ch\w*|telefonier\w*|"
    rf"(?:sprachen|sprach|berieten|beriet){_GAP} telefonisch",                 # de
    r"(?:llamadas?|conversaci(?:ón|on|ones)|charlas?) telef[óo]nicas?|telefone(?:ó|o|aron|an)|"
    rf"(?:habl|convers|dialog)\w*{_GAP} (?:por tel[ée]fono|telef[óo]nicamente)",  # es
    r"telefonat[ae]|(?:ha|hanno) telefonato|(?:colloqui|conversazion[ei]|chiamat[ae])\w* telefonic\w*|"
    rf"(?:parlat|sentit)\w*{_GAP} (?:al|per) telefono|sentiti telefonicamente",   # it
    rf"telefoongesprek(?:ken)?|telefoontjes?|(?:spraken|sprak|belden|belde){_GAP} telefonisch",  # nl
    r"телефонн\w+ (?:разговор|переговор|бесед|звон)\w*|созвонил\w*|"
    rf"(?:поговорил|разговаривал|обсудил|побеседовал|переговор|бесед)\w*{_GAP} по телефону",  # ru
)
_VIDEO = (
    r"video[- ]?(?:calls?|conferenc(?:e|es|ing)|chats?|summits?|meetings?|talks)|"
    r"virtual (?:summits?|meetings?|talks|calls?)|"
    rf"(?:talks|spoke|talked|met|meeting|summit){_GAP} (?:via|by|over) video(?: link)?",  # en
    r"visioconf[ée]rences?|vid[ée]oconf[ée]rences?|sommet virtuel|r[ée]union virtuelle|appel vid[ée]o",  # fr
    r"videokonferenz\w*|videoschalte\w*|videogespr[äa]ch\w*|videotelefonat\w*|"
    r"virtuelle[nrs]? (?:gipfel|treffen)\w*",                                  # de
    r"videoconferencias?|videollamadas?|(?:cumbre|reuni[óo]n)(?:es)? virtual(?:es)?",  # es
    r"videoconferenz[ae]|videochiamat[ae]|(?:in )?collegamento video|videocollegamento|"
    r"(?:vertice|incontro|summit) virtuale",                                    # it
    r"videoconferenties?|videogesprek(?:ken)?|virtuele (?:top|bijeenkomst)",   # nl
    r"видеоконференц\w*|по видеосвязи|(?:в формате|в режиме) видеосвязи|видеозвон\w*|онлайн-переговор\w*|"
    r"виртуальн\w+ (?:саммит|встреч)\w*",                                       # ru
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
