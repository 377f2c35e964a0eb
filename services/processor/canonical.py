"""Build the canonical event a dashboard reads from the deduplicator's record of an event (pure).

Every field is a vote over the member articles, weighted by how sure the deduplicator is that the
article belongs to the event (`match_score`, floored so a weak member still counts a little):
  * date and type: weighted vote, with the share of articles that agree (`*_agreement`);
  * actors / places: merged by canonical name ("Biden" in one outlet joins "Joe Biden" of another, German
    "Wladimir Putin" joins "Vladimir Putin": `_person_unifier`), mentions summed, distinct outlets counted;
  * quotes: near-identical wording across outlets is one quote (containment or >= 0.85 similarity),
    so `num_outlets` is how many outlets corroborate it;
  * figures: per unit and context (troops *deployed* vs *withdrawn*), the value most outlets give;
    other values for the same quantity within a factor of 10 are its `disputed_values` (100,000 vs
    175,000 troops deployed), unrelated magnitudes and other contexts stay separate figures;
  * headline and summary: the most *central* source sentence (highest word overlap with the others),
    i.e. extractive, never generated.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from schemas import (
    ActorSummary,
    CanonicalEvent,
    CorroboratedFigure,
    CorroboratedQuote,
    EventType,
    MentionedEvent,
    PlaceSummary,
    Source,
)
from services.processor.dedup.clusterer import MIN_SPELLING_SIMILARITY, same_name
from services.processor.dedup.state import EventRecord, Member
from services.processor.extract.given_names import same_given_name

MIN_WEIGHT = 0.1
QUOTE_SIMILARITY = 0.85
FIGURE_TOLERANCE = 0.02  # values within 2% are the same figure ("50-minute" vs "about 50 minutes")
DISPUTE_FACTOR = 10.0  # same unit, other value within x10: a disagreement, not another quantity
SUMMARY_WORDS = (8, 60)


def build_canonical_event(record: EventRecord, now: datetime | None = None) -> CanonicalEvent:
    members = record.members
    articles = [m.article for m in members]
    outlets = {_outlet(m) for m in members}
    seen = [a.published_at or a.ingested_at for a in articles if a.published_at or a.ingested_at]
    first_seen = min(seen) if seen else (now or datetime.now(UTC))
    event_date, precision, date_agreement = _vote_date(members)
    event_type, type_agreement = _vote_type(members)
    return CanonicalEvent(
        event_id=record.event_id,
        version=record.version,
        title=_central_text(members, lambda m: m.article.title) or (articles[0].title if articles else ""),
        summary=_summary(members),
        event_date=event_date,
        date_precision=precision,
        date_agreement=date_agreement,
        event_type=event_type,
        type_agreement=type_agreement,
        actors=_actor_summaries(members),
        locations=_place_summaries(members),
        quotes=_corroborated_quotes(members, record.event_id),
        figures=_corroborated_figures(members),
        mentioned_events=_merged_mentioned_events(members),
        languages=sorted({a.event.language for a in articles}),
        sources=[_source(m) for m in members],
        num_articles=len(articles),
        num_sources=len(outlets),
        first_seen=first_seen,
        last_updated=max(seen) if seen else first_seen,
    )


# ---------------------------------------------------------------- helpers
def _outlet(member: Member) -> str:
    return member.article.outlet or member.article.article_id


def _weight(member: Member) -> float:
    return max(MIN_WEIGHT, member.match_score)


_TOKEN = re.compile(r"[a-z0-9]+")


# An event is rebuilt on every article that joins it, from all its members: per-text results are cached.
@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _TOKEN.findall(text.lower()) if len(w) > 2)


@lru_cache(maxsize=8192)
def _normal(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def _source(member: Member) -> Source:
    a = member.article
    return Source(
        article_id=a.article_id,
        outlet=a.outlet,
        url=a.url,
        title=a.title,
        published_at=a.published_at,
        language=a.event.language,
        match_score=member.match_score,
        reasons=member.reasons,
    )


# ---------------------------------------------------------------- date and type
def _vote_date(members: Sequence[Member]) -> tuple[date | None, str, float]:
    votes: Counter[date] = Counter()
    precisions: dict[date, Counter] = defaultdict(Counter)
    for m in members:
        event_date = m.article.event.event_date
        if event_date.date is None:
            continue
        # A date read in the text outweighs the publication-date fallback.
        votes[event_date.date] += _weight(m) * (1.0 if event_date.source == "text" else 0.5)
        precisions[event_date.date][event_date.precision] += 1
    if not votes:
        return None, "unknown", 0.0
    best = max(votes, key=lambda d: (votes[d], d))
    agreeing = sum(1 for m in members if m.article.event.event_date.date == best)
    return best, precisions[best].most_common(1)[0][0], round(agreeing / len(members), 3)


def _vote_type(members: Sequence[Member]) -> tuple[EventType | None, float]:
    by_root: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    examples: dict[str, EventType] = {}
    for m in members:
        event_type = m.article.event.event_type
        if event_type is None:
            continue
        weight = _weight(m) * max(0.1, event_type.confidence)
        by_root[event_type.root] += weight
        by_code[event_type.code] += weight
        examples.setdefault(event_type.code, event_type)
    if not by_root:
        return None, 0.0
    root = max(by_root, key=lambda r: (by_root[r], r))  # the root first: 041 and 040 both support "04"
    code = max((c for c in by_code if c.startswith(root)), key=lambda c: (by_code[c], c))
    agreeing = [m for m in members if m.article.event.event_type and m.article.event.event_type.root == root]
    agreement = round(len(agreeing) / len(members), 3)
    confidence = sum(m.article.event.event_type.confidence for m in agreeing) / len(agreeing)
    example = examples[code]
    return EventType(
        code=code, root=root, label=example.label, confidence=round(min(1.0, confidence * agreement), 3)
    ), agreement


# ---------------------------------------------------------------- actors and places
def _actor_summaries(members: Sequence[Member]) -> list[ActorSummary]:
    canonical = _person_unifier((a.name, a.type) for m in members for a in m.article.event.actors)
    mentions: Counter[str] = Counter()
    outlets: dict[str, set[str]] = defaultdict(set)
    types: dict[str, Counter] = defaultdict(Counter)
    countries: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        for actor in m.article.event.actors:
            name = canonical(actor.name, actor.type)
            mentions[name] += actor.mentions
            outlets[name].add(_outlet(m))
            types[name][actor.type] += 1
            if actor.country:
                countries[name][actor.country] += 1
            roles[name][actor.role] += _weight(m)
    summaries = [
        ActorSummary(
            name=name,
            type=max(types[name], key=lambda t: (types[name][t], t == "person")),  # a tie: a person
            country=countries[name].most_common(1)[0][0] if countries[name] else None,
            role="other",
            mentions=count,
            num_outlets=len(outlets[name]),
        )
        for name, count in mentions.items()
    ]
    summaries = _assign_roles(summaries, roles)
    role_order = {"actor1": 0, "actor2": 1}
    return sorted(summaries, key=lambda s: (role_order.get(s.role, 2), -s.num_outlets, -s.mentions, s.name))


def _assign_roles(summaries: list[ActorSummary], roles: dict[str, Counter]) -> list[ActorSummary]:
    # Each role goes to the actor the sources most often gave it; one actor per role.
    assigned: dict[str, str] = {}
    for role in ("actor1", "actor2"):
        candidates = [s.name for s in summaries if roles[s.name][role] > 0 and s.name not in assigned]
        if candidates:
            assigned[max(candidates, key=lambda n: (roles[n][role], n))] = role
    return [s.model_copy(update={"role": assigned.get(s.name, "other")}) for s in summaries]


def _person_unifier(actors: Iterable[tuple[str, str]]) -> Callable[[str, str], str]:
    """One name per person of the event, from the members' (name, type) of actors:
      * full names of one person are its most common one: spelled another way (other languages romanize and
        spell given names their own way: surnames that are `same_name`, given names alike: "Wladimir Putin" in
        German, "Sergey Lavrov" and "Entoni Blinken" from Russian; or a nickname: "Chuck Grassley" is "Charles
        Grassley", `same_given_name`), or with a title word NER kept in front ("Comedian Ellen DeGeneres");
      * a one-word name is the most common full name with that surname ("Biden" -> "Joe Biden"), also when an
        outlet typed it otherwise ("Putin" an organization in a Spanish report: a capitalized word no dictionary
        knows), unless as many outlets name that organization as name the person ("Ford" the company of three
        reports, "William Clay Ford" of one); a one-word person is the one full name with that given name
        ("Ellen" -> "Ellen DeGeneres")."""
    actors = list(actors)
    counts = Counter(name for name, kind in actors if kind == "person" and len(name.split()) >= 2)
    not_people = Counter(name for name, kind in actors if kind != "person" and " " not in name)
    spelling: dict[str, str] = {}
    representatives: list[str] = []  # the spellings that stand for others, most common first
    for name, _ in counts.most_common():  # the most common spelling first: it stands for the others
        spelling[name] = next((rep for rep in representatives if _same_person(name, rep)), name)
        if spelling[name] == name:
            representatives.append(name)
    by_surname: dict[str, Counter] = defaultdict(Counter)
    by_given: dict[str, Counter] = defaultdict(Counter)
    for name, n in counts.items():
        by_surname[name.split()[-1]][spelling[name]] += n
        by_given[name.split()[0]][spelling[name]] += n

    def canonical(name: str, kind: str) -> str:
        if name in spelling:
            return spelling[name] if kind == "person" else name
        if " " in name or kind not in ("person", "organization", "group", "unknown"):
            return name
        by_first_name = by_given[name] if kind == "person" and len(by_given.get(name, ())) == 1 else None
        full = by_surname.get(name) or by_first_name
        if full and (kind == "person" or not_people[name] < sum(full.values())):
            return full.most_common(1)[0][0]
        return name

    return canonical


@lru_cache(maxsize=65_536)  # every rebuild of a growing event compares its names again: most pairs are repeats
def _same_person(a: str, b: str) -> bool:
    if a.endswith(" " + b) or b.endswith(" " + a):  # "Comedian Ellen DeGeneres"
        return True
    (given_a, *_, surname_a), (given_b, *_, surname_b) = a.split(), b.split()
    return same_name(surname_a.lower(), surname_b.lower()) and (
        given_a == given_b or fuzz.ratio(given_a.lower(), given_b.lower()) >= MIN_SPELLING_SIMILARITY
        or same_given_name(given_a, given_b))  # "Chuck" / "Charles", "Bill" / "William"


def _place_summaries(members: Sequence[Member]) -> list[PlaceSummary]:
    mentions: Counter[str] = Counter()
    outlets: dict[str, set[str]] = defaultdict(set)
    first: dict[str, object] = {}
    for m in members:
        for place in m.article.event.places:
            mentions[place.name] += place.mentions
            outlets[place.name].add(_outlet(m))
            if place.name not in first or (first[place.name].lat is None and place.lat is not None):
                first[place.name] = place
    return sorted(
        (
            PlaceSummary(
                name=name,
                country=first[name].country,
                lat=first[name].lat,
                lon=first[name].lon,
                mentions=count,
                num_outlets=len(outlets[name]),
            )
            for name, count in mentions.items()
        ),
        key=lambda p: (-p.num_outlets, -p.mentions, p.name),
    )


# ---------------------------------------------------------------- quotes
QUOTE_CLUSTERINGS_KEPT = 1024  # events whose quote clusters are kept for their next rebuild (most recent)
_QUOTE_CLUSTERINGS: OrderedDict[str, _QuoteClustering] = OrderedDict()


def _corroborated_quotes(members: Sequence[Member], event_id: str | None = None) -> list[CorroboratedQuote]:
    """The members' quotes, near-identical wordings as one. Clustering every quote against the others is
    quadratic (~130 ms at 100 members, 957 quotes): an event grows by appending members, so its next rebuild
    goes on from the clusters of the last one (`_QuoteClustering`), kept per event id for the most recent
    QUOTE_CLUSTERINGS_KEPT events. Same result as from scratch: the clusters are a function of the members'
    (outlet, quotes) in order, and those are checked before going on."""
    inputs = [_quote_input(m) for m in members]
    clustering = _QUOTE_CLUSTERINGS.pop(event_id, None) if event_id is not None else None
    if clustering is None or inputs[: len(clustering.inputs)] != clustering.inputs:
        clustering = _QuoteClustering()
    for outlet, quotes in inputs[len(clustering.inputs):]:
        clustering.add(outlet, quotes)
    if event_id is not None:
        _QUOTE_CLUSTERINGS[event_id] = clustering
        while len(_QUOTE_CLUSTERINGS) > QUOTE_CLUSTERINGS_KEPT:
            _QUOTE_CLUSTERINGS.popitem(last=False)
    return sorted(clustering.quotes(), key=lambda q: (-q.num_outlets, q.text))


def _quote_input(member: Member) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """What quote clustering reads of a member."""
    return _outlet(member), tuple((q.text, q.speaker) for q in member.article.event.quotes)


class _QuoteClustering:
    """The quote clusters of a sequence of members, extended one member at a time."""

    def __init__(self) -> None:
        self.inputs: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.clusters: list[dict] = []
        self._index = _QuoteIndex()  # the first wording of each cluster, clusters[i] <-> index i
        # A wording seen before goes where it went then: no cluster made since can come before that one (the
        # first match wins), and syndicated copies repeat quotes word for word.
        self._cluster_of: dict[str, int] = {}  # wording -> position in clusters
        self._quotes: list[CorroboratedQuote | None] = []  # clusters[i]'s quote; None after the cluster grows

    def quotes(self) -> list[CorroboratedQuote]:
        for i, c in enumerate(self.clusters):
            if self._quotes[i] is None:
                self._quotes[i] = CorroboratedQuote(
                    text=min(c["texts"], key=lambda t: (-c["texts"][t], len(t))),
                    speaker=c["speakers"].most_common(1)[0][0] if c["speakers"] else None,
                    outlets=sorted(c["outlets"]),
                    num_outlets=len(c["outlets"]),
                )
        return [q for q in self._quotes if q is not None]

    def add(self, outlet: str, quotes: tuple[tuple[str, str | None], ...]) -> None:
        self.inputs.append((outlet, quotes))
        for text, speaker in quotes:
            normal = _normal(text)
            if not normal:
                continue
            position = self._cluster_of.get(normal)
            if position is None:
                position = self._index.first_same(normal)
                if position is None:
                    position = len(self.clusters)
                    self.clusters.append({"texts": Counter(), "speakers": Counter(), "outlets": set()})
                    self._quotes.append(None)
                    self._index.add(normal)
            self._cluster_of[normal] = position
            self._quotes[position] = None
            cluster = self.clusters[position]
            cluster["texts"][text] += 1
            cluster["outlets"].add(outlet)
            if speaker:
                cluster["speakers"][speaker] += 1


class _QuoteIndex:
    """Normalised quotes in order, and the first of them that is the same quote as another: outlets trim,
    translate and re-punctuate quotes, so the shorter of the two contained in the longer (3+ words, on word
    boundaries) or near-equal wording (Indel similarity >= QUOTE_SIMILARITY, which texts whose lengths differ
    by 40 % or more never reach: at most 2 min / (min + max) < 0.75). An event is rebuilt from all its
    members on every join, so no pairwise loop in Python: the similarity runs in C (rapidfuzz) over all
    quotes, and word-trigram indexes narrow the containment checks: a contained quote starts with one of the
    new quote's trigrams, a containing one has the new quote's first trigram among its own."""

    def __init__(self) -> None:
        self.normals: list[str] = []
        self._padded: list[str] = []
        self._by_trigram: dict[str, list[int]] = defaultdict(list)        # every trigram of a quote
        self._by_first_trigram: dict[str, list[int]] = defaultdict(list)  # the one it starts with

    def add(self, normal: str) -> None:
        i = len(self.normals)
        self.normals.append(normal)
        self._padded.append(f" {normal} ")
        trigrams = _trigrams(normal)
        for trigram in dict.fromkeys(trigrams):
            self._by_trigram[trigram].append(i)
        if trigrams:
            self._by_first_trigram[trigrams[0]].append(i)

    def first_same(self, normal: str) -> int | None:
        hits = process.extract(normal, self.normals, scorer=fuzz.ratio, score_cutoff=QUOTE_SIMILARITY * 100,
                               limit=None)
        found = [i for _, _, i in hits]
        trigrams = _trigrams(normal)
        if trigrams:  # 3+ words
            padded = f" {normal} "
            # shorter quotes (3+ words) that this one contains
            found += [i for trigram in dict.fromkeys(trigrams) for i in self._by_first_trigram.get(trigram, ())
                      if len(self.normals[i]) < len(normal) and self._padded[i] in padded]
            # quotes at least as long that contain this one
            found += [i for i in self._by_trigram.get(trigrams[0], ())
                      if len(self.normals[i]) >= len(normal) and padded in self._padded[i]]
        return min(found, default=None)


def _trigrams(normal: str) -> list[str]:
    words = normal.split()
    return [" ".join(words[k:k + 3]) for k in range(len(words) - 2)]


# ---------------------------------------------------------------- figures
def _corroborated_figures(members: Sequence[Member]) -> list[CorroboratedFigure]:
    """Each figure joins the first group of its unit (in the order groups were made) with the same value and a
    compatible context. The groups of a unit are also kept sorted by value, so only the few within tolerance
    are compared: a big story's members give thousands of figures, and comparing each with every group made
    the rebuild quadratic."""
    by_unit: dict[str, list[dict]] = defaultdict(list)
    by_value: dict[str, list[tuple[float, int]]] = defaultdict(list)  # unit -> (value, group number), sorted
    for m in members:
        for figure in m.article.event.figures:
            groups, values = by_unit[figure.unit], by_value[figure.unit]
            # |a - b| <= tol * max(|a|, |b|) implies |a - b| <= tol * |a| / (1 - tol): the values to look at
            reach = FIGURE_TOLERANCE * abs(figure.value) / (1 - FIGURE_TOLERANCE) + 1e-9
            low = bisect_left(values, (figure.value - reach, -1))
            high = bisect_right(values, (figure.value + reach, len(groups)))
            first = min((k for value, k in values[low:high]
                         if _same_value(figure.value, value) and _compatible(figure.context, groups[k]["context"])),
                        default=None)
            if first is not None:
                group = groups[first]
            else:
                group = {"value": figure.value, "context": figure.context, "texts": Counter(), "outlets": set()}
                insort(values, (figure.value, len(groups)))
                groups.append(group)
            group["context"] = group["context"] or figure.context
            group["texts"][figure.text] += 1
            group["outlets"].add(_outlet(m))
    figures: list[CorroboratedFigure] = []
    for unit, groups in by_unit.items():
        figures.extend(_unit_figures(unit, groups))
    return sorted(figures, key=lambda f: (-f.num_outlets, f.unit, f.value))


def _unit_figures(unit: str, groups: list[dict]) -> list[CorroboratedFigure]:
    """Per unit: each quantity (context) once, with the values other outlets give for it as disputed."""
    figures: list[CorroboratedFigure] = []
    remaining = sorted(groups, key=lambda g: (-len(g["outlets"]), g["value"]))
    while remaining:
        main, rest = remaining[0], remaining[1:]
        disputed = [
            g for g in rest if _compatible(main["context"], g["context"]) and _comparable(main["value"], g["value"])
        ]
        figures.append(_figure(unit, main, [g["value"] for g in disputed]))
        remaining = [g for g in rest if g not in disputed]
    return figures


def _figure(unit: str, group: dict, disputed: list[float]) -> CorroboratedFigure:
    return CorroboratedFigure(
        unit=unit,
        value=group["value"],
        text=group["texts"].most_common(1)[0][0],
        context=group["context"],
        outlets=sorted(group["outlets"]),
        num_outlets=len(group["outlets"]),
        disputed_values=sorted(disputed),
    )


def _compatible(a: str | None, b: str | None) -> bool:
    # "10,000 troops withdrawn" and "90,000 troops deployed" count different things; unknown context may match.
    return a is None or b is None or a == b


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= FIGURE_TOLERANCE * max(abs(a), abs(b), 1e-9)


def _comparable(a: float, b: float) -> bool:
    if a <= 0 or b <= 0:
        return False
    return max(a, b) / min(a, b) <= DISPUTE_FACTOR


# ---------------------------------------------------------------- mentioned events
def _merged_mentioned_events(members: Sequence[Member]) -> list[MentionedEvent]:
    """One entry per happening: same relation and overlapping days ("9-10 January" ~ "January 10")."""
    clusters: list[dict] = []
    for m in members:
        for event in m.article.event.mentioned_events:
            if event.date is None:
                continue
            days = _days(event)
            cluster = next((c for c in clusters if c["relation"] == event.relation and c["days"] & days), None)
            if cluster is None:
                cluster = {
                    "relation": event.relation,
                    "days": set(),
                    "votes": Counter(),
                    "events": [],
                    "outlets": set(),
                    "places": Counter(),
                }
                clusters.append(cluster)
            cluster["days"] |= days
            cluster["votes"].update(days)  # a range votes for each of its days
            cluster["events"].append(event)
            cluster["outlets"].add(_outlet(m))
            if event.place:
                cluster["places"][event.place] += 1
    merged = [_merged_event(c) for c in clusters]
    return sorted(merged, key=lambda e: (e.date or date.max, e.text))


def _days(event: MentionedEvent) -> set[date]:
    end = event.end_date if event.end_date and event.end_date >= event.date else event.date
    return {date.fromordinal(o) for o in range(event.date.toordinal(), end.toordinal() + 1)}


def _merged_event(cluster: dict) -> MentionedEvent:
    place = cluster["places"].most_common(1)[0][0] if cluster["places"] else None
    with_place = [e for e in cluster["events"] if place and e.place == place]
    text = min(with_place or cluster["events"], key=lambda e: len(e.text)).text
    best_date = min(cluster["votes"], key=lambda d: (-cluster["votes"][d], d))
    return MentionedEvent(
        text=text, date=best_date, relation=cluster["relation"], place=place, num_outlets=len(cluster["outlets"])
    )


# ---------------------------------------------------------------- headline and summary
def _central_text(members: Sequence[Member], text_of: Callable[[Member], str]) -> str:
    """The member text sharing most words with the others (weighted): the consensus wording."""
    candidates = [(m, text_of(m)) for m in members if text_of(m)]
    if not candidates:
        return ""
    if len(candidates) == 1:
        return candidates[0][1]
    weights = np.array([_weight(m) for m, _ in candidates])
    score = _mean_weighted_jaccard([_words(t) for _, t in candidates], weights) * weights
    best = int(np.flatnonzero(score >= score.max() - 1e-12)[0])  # ties (up to float error): the first
    return candidates[best][1]


_ROWS_PER_BLOCK = 512


def _mean_weighted_jaccard(word_sets: list[frozenset[str]], weights: np.ndarray) -> np.ndarray:
    """For each set, the mean over the others of Jaccard(set, other) x the other's weight. Intersections as
    one product of 0/1 matrices over the words at least two sets share (the others add to no intersection):
    pairwise set operations made an event's rebuild quadratic in Python."""
    n = len(word_sets)
    seen: Counter[str] = Counter(w for ws in word_sets for w in ws)
    column = {w: k for k, w in enumerate(w for w, c in seen.items() if c > 1)}
    onehot = np.zeros((n, len(column)), dtype=np.float32)  # counts up to 2**24 are exact
    for i, ws in enumerate(word_sets):
        onehot[i, [column[w] for w in ws if w in column]] = 1.0
    sizes = np.array([len(ws) for ws in word_sets], dtype=np.float64)
    out = np.empty(n)
    for start in range(0, n, _ROWS_PER_BLOCK):  # memory: a block of rows x n, not n x n
        rows = slice(start, start + _ROWS_PER_BLOCK)
        shared = (onehot[rows] @ onehot.T).astype(np.float64)
        union = sizes[rows, None] + sizes[None, :] - shared
        jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        jaccard[np.arange(jaccard.shape[0]), np.arange(start, start + jaccard.shape[0])] = 0.0  # not itself
        out[rows] = jaccard @ weights
    return out / (n - 1)


def _summary(members: Sequence[Member]) -> str:
    def lead_sentence(m: Member) -> str:
        summary = m.article.event.summary
        return summary if SUMMARY_WORDS[0] <= len(summary.split()) <= SUMMARY_WORDS[1] else ""

    return _central_text(members, lead_sentence) or _central_text(members, lambda m: m.article.event.summary)

