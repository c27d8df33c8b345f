"""Feed ingest, in the order a reading walks through it:

  envelope (MQTT message or HTTP item) -> parse (JSON, NGSI-LD, topic) -> intake (device,
  kind, asset, permission, dateObserved, schema; a refusal becomes a dead letter) -> store
  (one transaction: COPY into staging, INSERT … ON CONFLICT DO NOTHING into the day-partitioned
  observation table, latest state only forwards, alerts, dead letters) -> the MQTT worker acks.

Device identity. MQTT does not tell a subscriber who published a message, so Kent reads the
device from the payload: `deviceId` (or `device`) and `token`. A broker that authenticates its
clients (password file, ACL per topic) adds a gate in front, but Kent still checks the token, so
a broker left open does not let anyone write. Over HTTP the token comes in `Authorization:
Bearer <token>` or `X-Device-Token`. A token is stored only as its SHA-256 (smartcity.models.feeds).
"""
