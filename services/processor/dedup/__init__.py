"""Cross-outlet deduplication: article features -> online event clustering (pure Python core)."""

from services.processor.dedup.clusterer import DedupConfig, Deduplicator, event_id_for
from services.processor.dedup.features import FeatureEncoder
from services.processor.dedup.state import EventRecord, Member

__all__ = ["DedupConfig", "Deduplicator", "EventRecord", "FeatureEncoder", "Member", "event_id_for"]
