"""How the two sides talked, when the headline and lead say it: by phone, over a video link, or in person.

A phone call and a video call of the same two leaders are two happenings ("Biden and Putin's first phone
call" in January, their "secure video call" in December), however alike the reports read; the deduplicator
vetoes joining them (`clusterer._another_channel`). The headline and first lead sentence, which state the news,
decide when they name one way ("told Zelensky in a phone call on Sunday", whatever later sentences recall:
"ahead of talks in Geneva"); when they name none, the one phone or video way the whole lead names. "Spoke by phone on
Thursday, after the December video call" names both in one sentence and gives none, and so does a lead that
names neither.

The words are each language's common nouns and verbs for a telephone call and a videoconference (the
translations Wiktionary lists under "telephone call" and "videoconference"), matched in any language: a German
"Telefonat" in a Dutch text is still a phone call. Only words for two sides talking count, not for how a
quote was obtained or a product: "told Reuters by phone", "reached by phone", "a telephone poll", "phoned in a
bomb threat", "phone maker", "speaking by video link", "video games", "EN VIDÉO" (a French headline's label)
give none. An adverb ("by phone", "par téléphone", "por teléfono", "по телефону") counts only after a verb
of talking, at most six words before it ("spoke with Putin by phone", "se sont entretenus ... par téléphone",
"поговорили по телефону").

In person is the third way, CAMEO's own split of "consult" (041 discuss by telephone; 042 make a visit, 043 host
a visit, 044 meet at a third location): "face to face" and its translations, or a word for meeting, talks, a
summit or a visit followed, within six words, by "in"/"at" and a capitalised name ("talked for more than five
hours in the Kremlin", "reçu lundi au Kremlin", "Gespräche in Genf"), within one clause. These are read in the
first lead sentence only: not in the headline, often written in title case ("Biden Talks With Putin At Time Of
Tension"), where a capital says nothing, nor in later sentences, which recall ("they met in Geneva in June").
Since a wrong way vetoes a real report and a missing one costs nothing, in person
is read strictly: not where the headline or lead names a call of any kind ("held a call", "a appelé",
"angerufen"), nor of a meeting to come or before ("would meet in Washington", "since they met in Bali"), nor
where the place is the topic ("talked about the war in Ukraine"). A helper review of 88 made-up wire leads
in seven languages found no call read as in person under these rules; in-person happenings that are no talks
(a match at Wembley, a product launch) still read as in person, which vetoes nothing unless a report of the
same happening names a call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from schemas.extracted import Channel

# How the sides talked: a Channel (ArticleEvent.channel) or in person (ArticleEvent.met_in_person).
TalkMode = Channel | Literal["in_person"]

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
# In person: a word for meeting, talks, a summit or a visit, then "in"/"at" (or the language's own) and a
# capitalised name, at most six words on ("talked for more than five hours in the Kremlin"). Not across a word
# that turns the place into the topic ("talked about the war in Ukraine", "discussions sur un cessez-le-feu en
# Ukraine"), nor onto a capital that is no place: an English month, weekday or language ("talks in January",
# "talked in German"), someone's request ("at Russia's request"), a German "in" phrase ("in Sachen").
_TOPIC = (r"about|regarding|concerning|aimed|war|situation|conflict|crisis|cease-?fire|peace|"
          r"sur|guerre|paix|cessez-le-feu|conflit|crise|über|krieg|lage|sobre|guerra|situaci[óo]n|conflicto|"
          r"sulla|sul|pace|situazione|conflitto|oorlog|situatie|войн\w*|ситуаци\w*|кризис\w*|урегулировани\w*|"
          r"конфликт\w*")
_PLACE_GAP = rf"(?: (?!(?:{_TOPIC})\b)[^\s,;:—]+){{0,6}}"  # within one clause: not across a comma
_NOT_PLACE = (r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|"
              r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
              r"English|German|French|Russian|Spanish|Italian|Portuguese|Chinese|Japanese|Korean|Arabic|Turkish|"
              r"Ukrainian|Polish|Dutch|Hebrew|Persian)\b|"
              r"(?:\S+ ){0,2}\S+(?:'s|’s) (?:request|invitation|initiative|behest)|"
              r"(?:Sachen|Abstimmung|Absprache|Zukunft|Kürze|Anwesenheit|Form|Folge|Frage|Bezug|Richtung|Zeiten|"
              r"Vorbereitung|Hinblick|Erwartung|Verbindung|Kraft|Gang|Betrieb|Ordnung|Gefahr|Höhe|Sicht|"
              r"Zusammenarbeit|Vertretung|Begleitung|Ruhe|Eile|Haft|Not)\b)")
_IN_PERSON = (
    r"face[- ]to[- ]face|in[- ]person (?:talks|meetings?|summits?)|"
    rf"(?:met|meet|meets|meeting|talks|talked|summit|hosted|visited|visiting){_PLACE_GAP} "
    rf"(?:in|at) (?:the )?{_NOT_PLACE}(?-i:[A-Z])",                                             # en
    r"t[êe]te-[àa]-t[êe]te|face-[àa]-face|"
    rf"(?:rencontr[ée]s?|rencontre|re[çc]ue?s?|accueilli\w*|r[ée]unis|sommet|pourparlers|discussions){_PLACE_GAP} "
    r"(?:[àa]|au|en) (?-i:[A-ZÀ-Ý])",                                                          # fr
    rf"pers[öo]nlich(?:e[ns]?)? (?:getroffen|treffen|gespr[äa]ch\w*)|"
    rf"(?:trafen|traf|trifft|getroffen|empfing|empfangen|gipfeltreffen|treffen|gipfel|gespr[äa]che){_PLACE_GAP} in "
    rf"{_NOT_PLACE}(?-i:[A-ZÄÖÜ])",                                                             # de
    rf"cara a cara|(?:se reunieron|se reuni[óo]|reuni[óo]n|cumbre|recibi[óo]|encuentro){_PLACE_GAP} en (?:el )?"
    r"(?-i:[A-ZÁÉÍÓÚ])",                                                                        # es
    rf"faccia a faccia|(?:incontrat[io]|incontro|vertice|ricevut[oi]|colloqui){_PLACE_GAP} (?:a|al|in) "
    r"(?-i:[A-Z])",                                                                             # it
    rf"(?:ontmoetten|ontmoette|ontmoeting|topontmoeting|ontving){_PLACE_GAP} (?:in|op) (?:het )?{_NOT_PLACE}"
    r"(?-i:[A-Z])",                                                                             # nl
    rf"лицом к лицу|(?:встретились|встретился|встреч[аеи]|переговор\w*|саммит\w*|принял){_PLACE_GAP} (?:в|во) "
    r"(?-i:[А-ЯЁ])",                                                                            # ru
)
# A meeting that is not the news: one to come, asked for, or before ("would meet in", "ahead of a NATO meeting
# in", "a demandé une rencontre à", "since they met in"), up to three words before the meeting word. "After"
# is left out: "after a 90-minute meeting in Geneva" is the news itself.
_NOT_NOW = re.compile(r"\b(?:will|would|to|ahead of|before|since|last|next|upcoming|planned|possible|"
                      r"request\w*|propos\w*|invit\w*|demand\w*|avant|prochain\w*|vor|bevorstehend\w*|"
                      r"antes de|pidi[óo]|prima|in vista|chiest\w*|voor|накануне|перед|к|предстоящ\w*|будущ\w*)"
                      r"(?: \S+){0,3} $", re.IGNORECASE)
# A dateline ("GENEVA, June 16 -", "GENEVA (AP) -") says where the report was written: with a word for a
# meeting, talks or a summit in its sentence, they met there ("... agreed on Wednesday ..., at their first
# summit"). A call's report names the call (`_CALL_WORDS`), a virtual summit is a video call.
_DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+(?: [A-ZÀ-Þ][A-ZÀ-Þ'’.-]+){0,2}"  # the city in capitals,
                       r"(?:,[^-–—\n]{1,30})?(?: \([^)\n]{1,30}\))? [-–—]")  # a date or state, an agency, a dash
_MEETING_WORD = re.compile(r"\b(?:summit|talks|met|meeting|sommet|rencontre|pourparlers|gipfel\w*|treffen|"
                           r"gespr[äa]che|cumbre|reuni[óo]n|vertice|incontro|topontmoeting|ontmoeting|"
                           r"саммит\w*|переговор\w*|встреч\w*)\b", re.IGNORECASE)
_NOT_NOW_REACH = 80  # characters before a meeting word that `_NOT_NOW` reads (three words and a few more)
# Words that say a call without saying which kind ("in a call", "called", "a appelé", "llamó", "angerufen"):
# they give no channel, but a lead that has one is no report of a meeting alone
_CALL_WORDS = re.compile(
    r"\b(?:calls?|called)\b(?! (?:for|on)\b)|"                           # en
    r"\bappel\w*|"                                                         # fr
    r"\bangerufen\b|\banruf\w*|\brief\b|\btelefonisch\b|"              # de
    r"\bllam(?:ó|o|aron|ada|adas)\b|"                                      # es
    r"\bchiamat\w*|\bsent(?:e|ito|iti)\b|"                                # it
    r"\bgebeld\b|\bbel(?:de|den|t)\b|"                                     # nl
    r"\bразговор\w*|\bзвон\w*|\bпозвонил\w*",                              # ru
    re.IGNORECASE)
_PATTERNS: dict[TalkMode, re.Pattern] = {
    "phone": re.compile(r"\b(?:" + "|".join(_PHONE) + r")\b", re.IGNORECASE),
    "video": re.compile(r"\b(?:" + "|".join(_VIDEO) + r")\b", re.IGNORECASE),
    "in_person": re.compile(r"\b(?:" + "|".join(_IN_PERSON) + r")", re.IGNORECASE),
}


def channel_of(lead_sentences: Sequence[str]) -> TalkMode | None:
    """The way of talking the headline and lead (headline first) name: the one the headline and first lead
    sentence name, which state the news ("told Zelensky in a phone call on Sunday"); where they name none,
    the one phone or video way the whole lead names (later sentences give background: "ahead of talks in
    Geneva"). None where the part read names none or more than one, and in person where any word of the
    headline or lead says a call of any kind ("held talks in the Kremlin ... they spoke by phone last month"):
    a wrong way vetoes a real report, a missing one costs nothing."""
    if not lead_sentences:
        return None
    headline, *lead = lead_sentences
    text = "\n".join(lead_sentences)
    anywhere = _ways(text)
    first = _ways("\n".join([headline, *lead[:1]])) if anywhere else []
    if lead and _met_in_person(lead[0], dateline=not first):  # read after the headline (module docstring)
        first.append("in_person")
    if first:
        only = first[0] if len(first) == 1 else None
        names_a_call = bool(anywhere or _CALL_WORDS.search(text))
        return None if only == "in_person" and names_a_call else only
    return anywhere[0] if len(anywhere) == 1 else None


def _ways(text: str) -> list[TalkMode]:
    return [mode for mode in ("phone", "video") if _PATTERNS[mode].search(text)]


def _met_in_person(lead_text: str, dateline: bool = True) -> bool:
    """In-person words, or (`dateline`: weaker evidence, read where the sentence names no call) a word for a
    meeting under a dateline (`_DATELINE`); not of a meeting to come, asked for, or before (`_NOT_NOW`, read in
    the few words before the match, within its line)."""
    matches = list(_PATTERNS["in_person"].finditer(lead_text))
    if dateline and _DATELINE.match(lead_text):
        matches += _MEETING_WORD.finditer(lead_text.partition("\n")[0])
    for match in matches:
        line_start = lead_text.rfind("\n", 0, match.start()) + 1
        if not _NOT_NOW.search(lead_text, max(line_start, match.start() - _NOT_NOW_REACH), match.start()):
            return True
    return False


# The talk's place in a series, as the lead names it: "their first phone call", "second conversation this
# month", "deuxième échange", "zweite Austausch", "второй за месяц телефонный разговор". Two reports that give
# another place and another day report two talks (`clusterer._when_and_which_talk`).
_ORDINALS = {
    1: r"first|1st|premier|premi[eè]re|1er|1re|erste[nmrs]?|primer[ao]?|prim[ao]|eerste|перв(?:ый|ая|ое|ого|ой|ую|ом)",
    2: r"second|2nd|deuxi[eè]me|seconde?|zweite[nmrs]?|segund[ao]|second[ao]|tweede|втор(?:ой|ая|ое|ого|ую|ом)",
    3: r"third|3rd|troisi[eè]me|dritte[nmrs]?|tercer[ao]?|terz[ao]|derde|трет(?:ий|ья|ье|ьего|ьей|ью)",
}
_TALK_NOUNS = (r"calls?|conversations?|talks|meetings?|summits?|exchanges?|"
               r"appels?|[ée]changes?|entretiens?|rencontres?|sommets?|"
               r"telefonat\w*|gespr[äa]ch\w*|austausch\w*|treffen|gipfel\w*|"
               r"llamadas?|conversaci[óo]n\w*|reuni[óo]n\w*|cumbres?|"
               r"telefonat[ae]|colloqui\w*|conversazion[ei]|incontr[oi]|vertic[ei]|"
               r"gesprek\w*|telefoongesprek\w*|ontmoeting\w*|"
               r"разговор\w*|бесед\w*|встреч\w*|саммит\w*|контакт\w*|переговор\w*")
# up to three words between, each a modifier of the talk ("first phone call", "ersten persönlichen Treffen",
# "второй за месяц телефонный разговор"): no name, verb, article or noun of another series ("Premier Li Qiang
# held talks", "Secondo il Cremlino, il colloquio", "first round of talks", "first reported the call")
_SERIES_GAP = (r"(?: (?:phone|telephone|video|virtual|face-to-face|in-person|direct|formal|official|bilateral|"
               r"such|ever|high-level|one-on-one|grand|vrai|v[ée]ritable|pers[öo]nlich\w*|direkt\w*|offiziell\w*|"
               r"telefonisch\w*|persoonlijk\w*|за|месяц|неделю|год|сутки|телефонн\w*|личн\w*|очн\w*|"
               r"официальн\w*)){0,3}")
# a talk recalled as the background of another ("after their first summit in June", "nach dem ersten Treffen")
_BACKGROUND = re.compile(r"\b(?:after|since|following|before|ahead of|apr[èe]s|depuis|avant|nach|seit|vor|tras|"
                         r"desde|antes|dopo|prima|sinds|na|voor|после|до|перед)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_BACKGROUND_REACH = 40  # characters before the ordinal that `_BACKGROUND` reads
_ORDINAL_TALK = {n: re.compile(rf"\b(?:{words}){_SERIES_GAP} (?:{_TALK_NOUNS})\b", re.IGNORECASE)
                 for n, words in _ORDINALS.items()}


def talk_ordinal(lead_sentences: Sequence[str]) -> int | None:
    """The one place in a series the headline and lead give the talk ("first call": 1), None if none or
    several."""
    text = "\n".join(lead_sentences)
    named = {n for n, pattern in _ORDINAL_TALK.items() for match in pattern.finditer(text)
             if not _BACKGROUND.search(text, max(0, match.start() - _BACKGROUND_REACH), match.start())}
    return next(iter(named)) if len(named) == 1 else None
