"""faust's aiokafka transport with a configurable fetch wait.

faust-streaming 0.15 hard-codes `fetch_max_wait_ms=1500` for worker consumers. On the embedded broker a
waiting fetch is answered late in that window (p50 371 ms at 1,500 ms, 7 ms at 50 ms: `make bench`,
broker fetch wake-up), and every record crosses two such fetches in the processor, so latency depends on
it. Apache Kafka answers as soon as data arrives; there a lower wait only means more empty fetches when idle.
"""

from __future__ import annotations

import faust
from faust.transport.drivers import aiokafka as driver


def app_class(fetch_max_wait_ms: int) -> type[faust.App]:
    """A faust.App whose worker consumers wait at most `fetch_max_wait_ms` per fetch."""

    class ConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_max_wait_ms  # read when the consumer starts its fetcher
            return consumer

    class QuickFetchConsumer(driver.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(driver.Transport):
        Consumer = QuickFetchConsumer

    class App(faust.App):
        def _new_transport(self) -> Transport:
            return Transport(self.conf.broker_consumer, self)

    return App
