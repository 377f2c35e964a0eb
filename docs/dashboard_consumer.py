# A dashboard's consumer: every change of every canonical event (pip install confluent-kafka).
import json, sys
from confluent_kafka import Consumer

consumer = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "my-dashboard",
                     "auto.offset.reset": "earliest", "session.timeout.ms": 6000})
consumer.subscribe(["news.events.canonical.v1"])
while True:
    msg = consumer.poll(1.0)
    if msg is None or msg.error():
        continue
    if msg.value() is None:  # a tombstone: the event no longer exists (its article moved into another event)
        print("deleted", msg.key().decode(), flush=True)
        continue
    event, ce = json.loads(msg.value()), dict(msg.headers())
    print(ce["ce_type"].decode(), event["event_id"], f"v{event['version']}",
          f"{event['num_sources']} outlets:", event["title"], flush=True)
