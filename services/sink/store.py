"""The sink's store (SQLAlchemy Core): canonical events, their sources and entities, and consumed offsets.

Events are upserted by (event_id, version): an older or equal version changes nothing, so replays are
harmless. The offsets consumed are written in the same transaction (eventsourcing's tracking table), so
after a crash the sink resumes exactly after the last stored message.

An article is a source of one event. Dedup may move a lone article into an event that grew later; the
grown event's new version then claims it, and the lone event is deleted, by its tombstone (a null value on the
compacted topic) or, whichever comes first, when a version claiming its every article is stored; a version of
an event whose every article a larger stored event already holds is not stored (a replay from before the move).
A deletion is a change of the feed too (`deleted_events`), so a reader following the feed drops the event.

Every stored version gets a `change_seq` from one counter row that its transaction locks until it commits,
so sequence order is commit order, across any number of sink replicas writing one database: a reader that
has seen every change up to n never gets a later commit below n (what the live page's stream relies on).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    func,
    inspect,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError

from schemas import CanonicalEvent, read_message
from services.common.retry import retry_until_done

DB_ERRORS = (OperationalError, InterfaceError)  # connection-level failures: wait and retry
metadata = MetaData()

events = Table(
    "events", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("event_date", Date),
    Column("num_articles", Integer, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_updated", DateTime(timezone=True), nullable=False),
    Column("payload", Text, nullable=False),  # the CanonicalEvent JSON, as published
    Column("change_seq", BigInteger),  # commit order of the stored version (module docstring)
    Index("ix_events_last_updated", "last_updated"),
    Index("ix_events_change_seq", "change_seq"),
)
event_sources = Table(
    "event_sources", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("article_id", String(64), primary_key=True),
    Column("outlet", String(200)),
    Column("url", Text),
    Column("title", Text, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("match_score", Float, nullable=False),
    Index("ix_event_sources_article", "article_id"),
)
event_entities = Table(
    "event_entities", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("kind", String(16), primary_key=True),   # actor | place
    Column("name", String(300), primary_key=True),
    Column("name_lower", String(300), nullable=False),
    Index("ix_event_entities_name", "name_lower"),
)
deleted_events = Table(  # what a reader of the change feed must drop: events that no longer exist
    "deleted_events", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("change_seq", BigInteger, nullable=False),
    Index("ix_deleted_events_change_seq", "change_seq"),
)
change_counter = Table(
    "change_counter", metadata,
    Column("id", Integer, primary_key=True),  # one row, id 1
    Column("last_seq", BigInteger, nullable=False),
)
consumer_offsets = Table(
    "consumer_offsets", metadata,
    Column("cluster_id", String(100), primary_key=True),
    Column("group_id", String(200), primary_key=True),
    Column("topic", String(249), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", Integer, nullable=False),
)


@dataclass(frozen=True)
class EventCursor:
    """Where a page of events (newest first) ended: the next page starts after this event."""

    last_updated: datetime
    event_id: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{_utc(self.last_updated).isoformat()}|{self.event_id}".encode()).decode()

    @classmethod
    def decode(cls, token: str) -> EventCursor:
        """Raises ValueError for a token that encode() did not make."""
        try:
            when, event_id = base64.urlsafe_b64decode(token.encode()).decode().split("|", 1)
            return cls(datetime.fromisoformat(when), event_id)
        except (ValueError, UnicodeError) as exc:
            raise ValueError(f"not a cursor of this API: {token!r}") from exc


class EventFilter(BaseModel):
    """Which events a read wants; every criterion is optional and they combine with AND."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: datetime | None = Field(None, description="Updated (last_updated) at or after this time.")
    entity: str | None = Field(None, description="An actor or place name, case-insensitive.")
    text: str | None = Field(None, description="Words in the title, a source's title or an entity name.")
    event_date_from: date | None = Field(None, description="Event date on or after this day.")
    event_date_to: date | None = Field(None, description="Event date on or before this day.")


@dataclass(frozen=True)
class StoredChange:
    """An event version as stored, or (event None) the deletion of event `deleted`, with its place in commit
    order."""

    seq: int
    event: CanonicalEvent | None
    deleted: str | None = None


@dataclass(frozen=True)
class EventPage:
    events: list[CanonicalEvent]
    total: int                  # events the filters match, on every page
    next_cursor: EventCursor | None


@dataclass(frozen=True)
class Delivery:
    """One consumed canonical event (None: a tombstone, `deleted` names the event) and where it came from."""

    event: CanonicalEvent | None
    topic: str
    partition: int
    offset: int
    deleted: str | None = None


class EventStore:
    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.engine = engine or create_engine(url, pool_pre_ping=True, future=True)

    def create_schema(self) -> None:
        """Idempotent, also when other processes (the sink, `up` draining, a test) create it at the same
        moment: a CREATE that loses the race fails with "already exists", and the next look skips that table,
        so one try per table always gets through."""
        for tries_left in reversed(range(len(metadata.tables) + 1)):
            try:
                metadata.create_all(self.engine)
                break
            except SQLAlchemyError:
                if not tries_left:
                    raise
        self._add_change_seq_to_older_schema()
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(change_counter.c.id)).first() is None:
                    conn.execute(change_counter.insert().values(id=1, last_seq=0))
        except IntegrityError:
            pass  # another replica made the row first

    def _add_change_seq_to_older_schema(self) -> None:
        """Databases created before change_seq existed get the column; their rows stay unsequenced (NULL)."""
        if "change_seq" in {c["name"] for c in inspect(self.engine).get_columns("events")}:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(text("ALTER TABLE events ADD COLUMN change_seq BIGINT"))
                conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_change_seq ON events (change_seq)"))
        except SQLAlchemyError:  # another replica added it at the same moment
            if "change_seq" not in {c["name"] for c in inspect(self.engine).get_columns("events")}:
                raise

    def wait_for_database(self) -> None:
        """Create the schema, waiting out an unreachable database with backoff (one log line per try)."""
        retry_until_done(self.create_schema, DB_ERRORS, "database unavailable")

    def reset(self) -> None:
        metadata.drop_all(self.engine)
        self.create_schema()

    # --- writes ------------------------------------------------------------------------------
    def apply(self, deliveries: Sequence[Delivery], cluster_id: str, group_id: str) -> int:
        """Store a batch and its offsets in one transaction. Returns how many events changed."""
        changed = 0
        with self.engine.begin() as conn:
            first_seq = _reserve_seqs(conn, len(deliveries)) if deliveries else 0
            for seq, delivery in enumerate(deliveries, start=first_seq):
                if delivery.event is not None:
                    changed += self._upsert(conn, delivery.event, seq)
                elif delivery.deleted is not None:
                    changed += _delete_event(conn, delivery.deleted, seq)
            self._track(conn, deliveries, cluster_id, group_id)
        return changed

    def _upsert(self, conn: Connection, event: CanonicalEvent, seq: int) -> int:
        stored = conn.execute(select(events.c.version).where(events.c.event_id == event.event_id)).scalar()
        if stored is not None and stored >= event.version:
            return 0  # a replay or an out-of-date version
        article_ids = [s.article_id for s in event.sources]
        if _claimed_by_larger_event(conn, event.event_id, article_ids):
            return 0  # its article has moved into an event that grew later
        row = {
            "event_id": event.event_id, "version": event.version, "title": event.title,
            "event_date": event.event_date, "num_articles": event.num_articles,
            "num_sources": event.num_sources, "first_seen": event.first_seen,
            "last_updated": event.last_updated, "payload": event.model_dump_json(), "change_seq": seq,
        }
        if stored is None:
            conn.execute(events.insert().values(**row))
            conn.execute(delete(deleted_events).where(deleted_events.c.event_id == event.event_id))
        else:
            conn.execute(events.update().where(events.c.event_id == event.event_id).values(**row))
        for table in (event_sources, event_entities):
            conn.execute(delete(table).where(table.c.event_id == event.event_id))
        conn.execute(event_sources.insert(), [
            {"event_id": event.event_id, "article_id": s.article_id, "outlet": s.outlet, "url": s.url,
             "title": s.title, "published_at": s.published_at, "match_score": s.match_score}
            for s in event.sources
        ])
        entities = {("actor", a.name) for a in event.actors} | {("place", p.name) for p in event.locations}
        if entities:
            conn.execute(event_entities.insert(), [
                {"event_id": event.event_id, "kind": kind, "name": name[:300], "name_lower": name[:300].lower()}
                for kind, name in sorted(entities)
            ])
        for absorbed in _events_wholly_within(conn, event.event_id, article_ids):
            _delete_event(conn, absorbed, _reserve_seqs(conn, 1))
        return 1

    def _track(self, conn: Connection, deliveries: Sequence[Delivery], cluster_id: str, group_id: str) -> None:
        latest: dict[tuple[str, int], int] = {}
        for d in deliveries:
            latest[(d.topic, d.partition)] = max(latest.get((d.topic, d.partition), -1), d.offset)
        for (topic, partition), offset in latest.items():
            key = and_(consumer_offsets.c.cluster_id == cluster_id, consumer_offsets.c.group_id == group_id,
                       consumer_offsets.c.topic == topic, consumer_offsets.c.partition == partition)
            updated = conn.execute(consumer_offsets.update().where(key).values(next_offset=offset + 1))
            if updated.rowcount == 0:
                conn.execute(consumer_offsets.insert().values(
                    cluster_id=cluster_id, group_id=group_id, topic=topic, partition=partition,
                    next_offset=offset + 1))

    # --- reads -------------------------------------------------------------------------------
    def stored_offsets(self, cluster_id: str, group_id: str, topic: str) -> dict[int, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(consumer_offsets.c.partition, consumer_offsets.c.next_offset).where(
                consumer_offsets.c.cluster_id == cluster_id, consumer_offsets.c.group_id == group_id,
                consumer_offsets.c.topic == topic))
            return {partition: offset for partition, offset in rows}

    def list_events(self, limit: int | None = 100, after: EventCursor | None = None,
                    **criteria: Any) -> list[CanonicalEvent]:
        """Newest first (by last update, then event id); `limit` None: all; `after`: the events following a
        cursor; `criteria`: the fields of EventFilter (since, entity, text, event_date_from, event_date_to)."""
        query = _filtered(select(events.c.payload), EventFilter(**criteria))
        if after is not None:
            when = _utc(after.last_updated)
            query = query.where(or_(events.c.last_updated < when,
                                    and_(events.c.last_updated == when, events.c.event_id > after.event_id)))
        query = query.order_by(events.c.last_updated.desc(), events.c.event_id).limit(limit)
        with self.engine.connect() as conn:
            return [read_message(CanonicalEvent, p) for (p,) in conn.execute(query)]

    def page_events(self, limit: int, after: EventCursor | None = None, **criteria: Any) -> EventPage:
        """One page of list_events, the total that the filters match, and the cursor of the next page."""
        found = self.list_events(limit + 1, after, **criteria)
        more = len(found) > limit
        found = found[:limit]
        cursor = EventCursor(found[-1].last_updated, found[-1].event_id) if more else None
        return EventPage(found, self.count_events(**criteria), cursor)

    def get_event(self, event_id: str) -> CanonicalEvent | None:
        with self.engine.connect() as conn:
            payload = conn.execute(select(events.c.payload).where(events.c.event_id == event_id)).scalar()
        return read_message(CanonicalEvent, payload) if payload else None

    def placed_article_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(event_sources.c.article_id)).scalars())

    def count_events(self, **criteria: Any) -> int:
        with self.engine.connect() as conn:
            return conn.execute(_filtered(select(func.count()).select_from(events),
                                          EventFilter(**criteria))).scalar_one()

    def events_per_day(self, **criteria: Any) -> list[tuple[date, int]]:
        """How many matching events happened on each day (undated events left out), oldest day first."""
        query = _filtered(select(events.c.event_date, func.count()), EventFilter(**criteria))
        query = query.where(events.c.event_date.is_not(None)).group_by(events.c.event_date).order_by(
            events.c.event_date)
        with self.engine.connect() as conn:
            return [(day, count) for day, count in conn.execute(query)]

    def last_change_seq(self) -> int:
        """The newest committed change: changes_after(this) gives what commits from now on."""
        with self.engine.connect() as conn:
            return conn.execute(select(change_counter.c.last_seq)).scalar() or 0

    def changes_after(self, seq: int, limit: int = 200, **criteria: Any) -> list[StoredChange]:
        """Matching events whose stored version committed after change `seq`, and events deleted after it
        (every one: what a deleted event matched is gone with it; a reader drops the ids it holds), in commit
        order.

        Both reads stop at the newest change committed before them (the counter row holds only committed
        numbers): a commit landing between the two reads would otherwise show its deletion but not the new
        version it made in the same transaction, whose lower number the reader would then skip."""
        with self.engine.connect() as conn:
            bound = conn.execute(select(change_counter.c.last_seq)).scalar() or 0
            stored = _filtered(select(events.c.change_seq, events.c.payload), EventFilter(**criteria))
            stored = stored.where(events.c.change_seq > seq, events.c.change_seq <= bound)
            deleted = select(deleted_events.c.change_seq, deleted_events.c.event_id).where(
                deleted_events.c.change_seq > seq, deleted_events.c.change_seq <= bound)
            changes = [StoredChange(s, read_message(CanonicalEvent, p))
                       for s, p in conn.execute(stored.order_by(events.c.change_seq).limit(limit))]
            changes += [StoredChange(s, None, deleted=e)
                        for s, e in conn.execute(deleted.order_by(deleted_events.c.change_seq).limit(limit))]
        return sorted(changes, key=lambda c: c.seq)[:limit]


def _other_events_sharing(conn: Connection, event_id: str, article_ids: Sequence[str]) -> dict[str, int]:
    """Other stored events that hold some of `article_ids`: event id -> how many of them."""
    if not article_ids:
        return {}
    rows = conn.execute(select(event_sources.c.event_id, func.count()).where(
        event_sources.c.article_id.in_(list(article_ids)), event_sources.c.event_id != event_id,
    ).group_by(event_sources.c.event_id))
    return {other: int(n) for other, n in rows}


def _source_counts(conn: Connection, event_ids: Sequence[str]) -> dict[str, int]:
    rows = conn.execute(select(event_sources.c.event_id, func.count()).where(
        event_sources.c.event_id.in_(list(event_ids))).group_by(event_sources.c.event_id))
    return {event_id: int(n) for event_id, n in rows}


def _claimed_by_larger_event(conn: Connection, event_id: str, article_ids: Sequence[str]) -> bool:
    """Every article of this version is a source of one larger stored event (which absorbed it)."""
    holders = {e: n for e, n in _other_events_sharing(conn, event_id, article_ids).items() if n == len(article_ids)}
    return any(total > len(article_ids) for total in _source_counts(conn, list(holders)).values())


def _events_wholly_within(conn: Connection, event_id: str, article_ids: Sequence[str]) -> list[str]:
    """Other stored events every article of which this event now holds (moved into it)."""
    sharing = _other_events_sharing(conn, event_id, article_ids)
    totals = _source_counts(conn, list(sharing))
    return [other for other, n in sharing.items() if totals.get(other) == n]


def _delete_event(conn: Connection, event_id: str, seq: int) -> int:
    """Delete a stored event; its deletion becomes change `seq` of the feed."""
    for table in (event_sources, event_entities):
        conn.execute(delete(table).where(table.c.event_id == event_id))
    removed = conn.execute(delete(events).where(events.c.event_id == event_id)).rowcount or 0
    if removed:
        conn.execute(delete(deleted_events).where(deleted_events.c.event_id == event_id))
        conn.execute(deleted_events.insert().values(event_id=event_id, change_seq=seq))
    return removed


def _reserve_seqs(conn: Connection, count: int) -> int:
    """The first of `count` new change numbers. Locks the counter row until the transaction ends, so
    transactions get their numbers in the order they commit."""
    last = conn.execute(change_counter.update().where(change_counter.c.id == 1)
                        .values(last_seq=change_counter.c.last_seq + count)
                        .returning(change_counter.c.last_seq)).scalar_one()
    return last - count + 1


def _utc(when: datetime) -> datetime:
    """Naive means UTC. Stored times are UTC: SQLite keeps no offset, so comparisons must be in UTC."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _filtered(query: Select, where: EventFilter) -> Select:
    if where.since is not None:
        query = query.where(events.c.last_updated >= _utc(where.since))
    if where.entity:
        matching = select(event_entities.c.event_id).where(event_entities.c.name_lower == where.entity.lower())
        query = query.where(events.c.event_id.in_(matching))
    if where.event_date_from is not None:
        query = query.where(events.c.event_date >= where.event_date_from)
    if where.event_date_to is not None:
        query = query.where(events.c.event_date <= where.event_date_to)
    if where.text and where.text.strip():
        words = where.text.strip().lower()
        in_sources = select(event_sources.c.event_id).where(
            func.lower(event_sources.c.title).contains(words, autoescape=True))
        in_entities = select(event_entities.c.event_id).where(
            event_entities.c.name_lower.contains(words, autoescape=True))
        query = query.where(or_(func.lower(events.c.title).contains(words, autoescape=True),
                                events.c.event_id.in_(in_sources), events.c.event_id.in_(in_entities)))
    return query
