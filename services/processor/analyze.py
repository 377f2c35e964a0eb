"""Stage 1 of the processor, pure: raw article -> extracted article (event fields + dedup features).

The faust extract agent and `newsfuse eval` both call `ArticleAnalyzer`, so what is measured is what runs.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence

from schemas import ArticleEvent, ArticleFeatures, ExtractedArticle, RawArticle
from services.processor.dedup.features import FeatureEncoder
from services.processor.extract import EventExtractor

# Which extraction wrote a record (stored with it; keys the training cache). 3: keywords by count x IDF;
# 4: the weekdays the lead names (event_date.weekdays); 5: a spelled-out acronym names the shortest tail that
# spells it ("General Motors General Motors Corporation (GM)": a caption run into the sentence); 6: Russian
# names (nominative, romanized), CLDR country names; 7: an untagged initialism names the organization it spells;
# 8: other languages cut a capitalized run before a full name ("CEO Steve Jobs"), and its surname is the person;
# 9: those two only where unambiguous (one organization spells the initials, none a place; a title before the name);
# 10: German names after a title noun ("US-Präsident Joe Biden") and their surnames; cities in English ("Genf");
# 11: no name starts at a capital inside a word ("iTunes" gave "Tunes", an old name of Tunis);
# 12: a person's country only from the phrase right before the name ("The Kremlin said Putin told Biden": not Biden's);
# 13: a headline place after a time preposition is no actor ("after Geneva meeting");
# 14: a one-word "person" the article also writes in lower case is a common noun ("Arson in Alaska");
# 15: a Title Case headline's run of capitalized words keeps its longest known start ("Supreme Court Questions");
# 16: an actor neither the headline nor the lead names is main only if it is the article's most-named one;
# 17: a person's headline run cut to its known start stays a person ("Obama Mocks Congress": Obama is also a town);
# 18: a surname of a person the article names is that person unless a well-known place ("Perry" tagged NORP).
# 19: a one-word town name the text also writes in lower case is that word ("Man charged..." beside "a man").
# 20: money and percentages in the article's language and number format (CLDR: "7.200 millones de US$", "1,4%").
# 21: a town of any size after "in"/"at"/"near" is a place ("a store in Banstead"); the body scan kept 100k+ only.
# 22: GeoNames alternates that are English words or given names are no city names ("Lion" is not Lyon).
# 23: a place says what the gazetteer knows it as (Place.kind: country, state, region, city, continent).
# 24: a town after a sentence-initial "In"/"At" too, never a possessive ("in Clinton's"); other languages' places
#     leave out the tokens of the people the article names, as English ones do.
# 25: dotted initialisms of 3+ letters are written without periods ("N.A.A.C.P." -> "NAACP"); an organization
#     the body harvest finds spelled out merges with its initialism ("National Rifle Association" + "NRA").
# 26: a generic group ("Republicans", "immigrants") is a main actor only if the headline names it or the
#     article names it most (before: if named at least half as often as the most-named actor).
# 27: an organization NER found only in full takes the short name the text writes alone ("Apple Computer" in the
#     lead, "Apple" in the body); of several that start with one short name, the one the headline names.
# 28: review fixes: a short name that is a common word only where the text writes it as a possessive ("Islamic
#     State" stays itself); no short name without the one longer organization it stands for; an initialism
#     ending a paragraph keeps its period as the full stop.
# 29: a company called after a person ("Ford Motor Company", William Clay Ford) takes the surname written alone
#     where the headline names the company and not the person.
# 30: Ukrainian names back to the nominative (pymorphy3's Ukrainian dictionary) and romanized by the national
#     standard; Ukrainian stop words out of the keywords.
# 31: review fixes: the surname goes to the company only where the text uses it as the company's short name;
#     Ukrainian abbreviations kept as written, places the gazetteer knows by their Latin spelling, a sentence's
#     first word kept when it is a known place or given name, a lowercase word a name only if it can be nothing
#     else, keywords read in the article's language.
# 32: English keeps named products (spaCy PRODUCT: "A380") as organizations from their first capitalized word,
#     as the other languages' name reader does ("787 Dreamliner" is Dreamliner, a bare "787" nothing); a country
#     a headline names in another language is counted by the words the text writes ("Stati Uniti"), not only by
#     its English name; a two-word headline "person" starting with the surname of someone the body names by
#     given name and surname is that someone, unless the body writes it whole or its second word as a surname
#     ("Putin tells Macron West ignored...": Emmanuel Macron); outside English a capitalized word before a
#     currency sign is no name ("US$": no United States).
# 33: es/it/fr/de/nl country adjectives ("las bolsas estadounidenses", "Japanse aandelen") are mentions of the
#     country, as English ones are ("Japanese stocks"), counted where read; not inside or right before a name
#     ("Russische Federatie", "statunitense GM") nor as a language's name ("en francés"); Dutch ones are no
#     organization of their own ("Amerikaanse") unless the text writes them as a name ("Albanese:").
# 34: English "an hour" and its parts ("half an hour", "an hour and a half") are lengths, not where a number
#     or "once" comes right before ("$15 an hour", "60 miles an hour" are rates); outside English, lengths in
#     the number words dateparser's locale data has ("deux heures", "una hora", "drei Stunden").
# 35: a Title Case headline run cut to its known start keeps a one-word start that is the surname of someone
#     the article names ("Reid Breaks With Obama": Harry Reid, the headline's subject, actor1), and a start
#     the article tags as a place is that place ("Ground Zero Mosque": the site, no person "Zero"); NATO, the UN
#     and the EU by the names fr/es/it/de/nl articles use ("l'Otan", "la ONU", "Europäische Union").
# 36: the channel the headline and lead name for the talk, if only one (ArticleEvent.channel: phone, video).
# 37: actor1/actor2 go to main actors only (a subject that is none leaves actor1 empty, a setting named second
#     does not take actor2), and the people a mostly-Cyrillic headline names are named in the headline.
# 38: in person is a way of talking too (ArticleEvent.met_in_person): talks, a meeting or a summit in a named
#     place, face to face, read in the lead (CAMEO 042-044 against 041 by telephone); the talk's place in a
#     series (ArticleEvent.talk_ordinal: "first phone call", "second conversation this month"); sentences
#     split before Cyrillic and accented capitals.
EXTRACTOR_VERSION = "38"
# Analyses kept for copies (~20 KB each, mostly the embedding): a syndicated story re-sent by other outlets,
# a scraper's retry, a batch fetched again after a rebalance.
ANALYSIS_CACHE_SIZE = 1024

Analysis = tuple[ArticleEvent, ArticleFeatures]


def with_body(article: RawArticle) -> RawArticle:
    """A headline-only article analysed with its headline as the body: the short text it is. Extraction and
    dedup features (and the pair model, trained on headline-only streams built this way) expect a body."""
    return article if article.text else article.model_copy(update={"text": article.title})


def content_key(article: RawArticle) -> str:
    """Hash of every field analysis reads (event and features depend on nothing else): equal keys, equal
    analyses. Id, url, outlet and ingest time are not read, so copies of one text share a key."""
    fields = (article.title, article.text or "", article.language or "",
              article.published_at.isoformat() if article.published_at else "")
    return hashlib.blake2b("\x1f".join(fields).encode(), digest_size=16).hexdigest()


class AnalysisCache:
    """The most recent analyses by content key (least recently used leave first)."""

    def __init__(self, capacity: int = ANALYSIS_CACHE_SIZE) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, Analysis] = OrderedDict()
        self.hits = 0

    def get(self, key: str) -> Analysis | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return found

    def put(self, key: str, analysis: Analysis) -> None:
        self._entries[key] = analysis
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


class ArticleAnalyzer:
    """Loads the NLP models once; analyses articles in batches (models are much faster batched) and each
    distinct text once (`content_key`)."""

    def __init__(self, threads: int = 1, cache_size: int = ANALYSIS_CACHE_SIZE) -> None:
        self.extractor = EventExtractor()
        self.encoder = FeatureEncoder(threads=threads)
        self.cache = AnalysisCache(cache_size)

    def analyze(self, article: RawArticle) -> ExtractedArticle:
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Sequence[RawArticle]) -> list[ExtractedArticle]:
        if not articles:
            return []
        articles = [with_body(a) for a in articles]
        analyses = self._analyses(articles)
        return [
            ExtractedArticle(
                article_id=a.article_id, url=a.url, outlet=a.outlet, title=a.title,
                published_at=a.published_at, ingested_at=a.ingested_at,
                event=event, features=feats, extractor_version=EXTRACTOR_VERSION,
            )
            for a, (event, feats) in zip(articles, analyses, strict=True)
        ]

    def _analyses(self, articles: Sequence[RawArticle]) -> list[Analysis]:
        """One analysis per article: from the cache, or from one batched model pass over the distinct texts
        not in it."""
        keys = [content_key(a) for a in articles]
        found: dict[str, Analysis] = {}
        fresh: dict[str, RawArticle] = {}
        for key, article in zip(keys, articles, strict=True):
            if key in found or key in fresh:
                continue
            cached = self.cache.get(key)
            if cached is not None:
                found[key] = cached
            else:
                fresh[key] = article
        if fresh:
            todo = list(fresh.values())
            events = self.extractor.extract_many(todo)
            for key, analysis in zip(fresh, zip(events, self.encoder.encode_many(todo, events)), strict=True):
                found[key] = analysis
                self.cache.put(key, analysis)
        return [found[key] for key in keys]
