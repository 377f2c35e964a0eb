"""Every private member of faust-streaming, aiokafka and kafka-python that newsfuse relies on, in one place,
checked when a service starts.

The processor's at-least-once guarantee rests on overriding faust's consumer internals
(`services/processor/transport.py`) and on faust's Cython stream; the sink reads the broker's cluster id
from kafka-python's client. A release can rename any of these without notice; only the slow fault suite
would notice the guarantee gone. So each service checks, before it starts, that the installed versions are
the ones these members were read in, and that each member is still there, and refuses to start with a
message naming what changed. To upgrade: read each member's use again, then update the versions here.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import weakref
from dataclasses import dataclass
from typing import Any


class IncompatibleDependency(RuntimeError):
    """An installed library is not the one whose private members newsfuse was written against."""


@dataclass(frozen=True)
class Private:
    """A private member: `owner` is "module:Class" (or a module); `on_instance` for one set in __init__."""

    owner: str
    name: str
    used_for: str
    on_instance: bool = False

    def missing(self) -> bool:
        owner = _resolve(self.owner)
        if owner is None:
            return True
        if not self.on_instance:
            return not hasattr(owner, self.name)
        annotated = any(self.name in getattr(cls, "__annotations__", {}) for cls in inspect.getmro(owner))
        return not (annotated or f"self.{self.name} =" in inspect.getsource(owner.__init__))

    def __str__(self) -> str:
        return f"{self.owner.replace(':', '.')}.{self.name} ({self.used_for})"


FAUST_CONSUMER = "faust.transport.consumer:Consumer"
AIOKAFKA_DRIVER = "faust.transport.drivers.aiokafka"

# distribution -> (version the members were read in, the members)
PRIVATE_MEMBERS: dict[str, tuple[str, tuple[Private, ...]]] = {
    "faust-streaming": ("0.15.3", (
        Private(FAUST_CONSUMER, "_new_offset", "commits never cross an unprocessed offset"),
        Private(FAUST_CONSUMER, "_committed_offset", "commits never cross an unprocessed offset", True),
        Private(FAUST_CONSUMER, "_acked", "commits never cross an unprocessed offset", True),
        Private(FAUST_CONSUMER, "_gap", "commits never cross an unprocessed offset", True),
        Private(FAUST_CONSUMER, "_getmany", "re-fetch from the committed offsets when the flow resumes"),
        Private(FAUST_CONSUMER, "resume_flow", "re-fetch from the committed offsets when the flow resumes"),
        Private(f"{AIOKAFKA_DRIVER}:Consumer", "_new_consumer_thread", "the fetch wait of worker consumers"),
        Private(f"{AIOKAFKA_DRIVER}:AIOKafkaConsumerThread", "_create_worker_consumer",
                "the fetch wait of worker consumers"),
        Private("faust:App", "_new_transport", "the guarded consumer"),
        Private("faust.streams", "_current_event", "table writes from take_events batches"),
        Private("faust.worker:Worker", "_on_sigterm", "stop at once without acknowledging the batch"),
        Private("faust.worker:Worker", "_on_sigint", "stop at once without acknowledging the batch"),
    )),
    "aiokafka": ("0.14.0", (
        Private("aiokafka:AIOKafkaConsumer", "_fetch_max_wait_ms", "the fetch wait of worker consumers", True),
    )),
    "kafka-python": ("3.0.12", (
        Private("kafka:KafkaConsumer", "_client", "the sink keys its stored offsets by cluster id", True),
        Private("kafka.cluster:ClusterMetadata", "cluster_id", "the sink keys its stored offsets by cluster id",
                True),
    )),
}
PROCESSOR_LIBRARIES = ("faust-streaming", "aiokafka")
SINK_LIBRARIES = ("kafka-python",)


def verify(*distributions: str) -> None:
    """Raise IncompatibleDependency naming every difference between what is installed and what the code
    expects: a version, a missing member, faust without its compiled (Cython) stream."""
    problems = []
    for distribution in distributions:
        expected, members = PRIVATE_MEMBERS[distribution]
        installed = importlib.metadata.version(distribution)
        if installed != expected:
            problems.append(f"{distribution} {installed} is installed; its private members were checked in "
                            f"{expected} (services/common/compat.py)")
        problems += [f"{distribution} {installed} has no {member}" for member in members if member.missing()]
    if "faust-streaming" in distributions and not _faust_stream_is_compiled():
        problems.append("faust runs its pure-Python stream (NO_CYTHON set, or a wheel without the extension): "
                        "it acknowledges messages it skips during a rebalance")
    if problems:
        raise IncompatibleDependency("; ".join(problems))


def set_current_event(event: Any) -> None:
    """Make `event` faust's current event in this task, so table writes pick its partition's changelog.

    take_events does not set it. Only the task-local variable is set: the stream's own `current_event`
    attribute is what take_events' buffer reads when the next message arrives, and overwriting it (as
    Stream._set_current_event does) makes take_events buffer a stale event in place of the new one, which
    is then silently dropped.
    """
    from faust.streams import _current_event

    _current_event.set(weakref.ref(event))


def cluster_id(consumer: Any) -> str | None:
    """The broker cluster's id as a kafka-python consumer's last metadata gave it."""
    return consumer._client.cluster.cluster_id


def _faust_stream_is_compiled() -> bool:
    import faust.streams

    return faust.streams._CStreamIterator is not None


def _resolve(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attribute, None) if attribute else module
