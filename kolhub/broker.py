"""kombu's Redis transport with a channel that finishes closing when Redis has gone away.

Why: a worker died whenever Redis restarted while it had a task in hand ("Restoring 1
unacknowledged message(s)", then "Unrecoverable error: AttributeError 'NoneType' object has no
attribute 'hostname'"). kombu 5.7.0's `Channel.close()` (kombu/transport/redis.py) first reads
the reply of the BRPOP it is waiting on and swallows only `Empty`: the connection error of a
server that is gone aborts the close before the pools are dropped and the unacknowledged
messages restored. Celery 5.7.0 then closes the lost connection twice (`collect()`, which also
detaches the transport from its connection, then `close()`): the second close finds the channel
still open with its message, and restoring it builds a pool from the detached
`transport.client`, None, in `Channel._connparams`. An AttributeError is no connection error,
so nothing on the way swallows it and the worker exits.

The channel below finishes the close (the restore fails while Redis is down: the message
stays in Redis's unacknowledged set until the task still running acknowledges it on the
restarted server, or the visibility timeout hands it to another worker), and a channel whose
connection was closed raises a connection error, which every teardown path and the late
acknowledgement already handle. tests/kolhub/test_worker_reconnect.py restarts a real Redis
under a real worker; when a kombu release fixes `Channel.close()`, that test passes without
`use_redis_transport()` and this module can go.
"""

from __future__ import annotations

from typing import Any

from kombu import transport
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def close(self) -> None:
        try:
            super().close()
        except self.connection_errors:
            if self.closed:
                raise
            # The failed read of the pending BRPOP reply cleared the poll state; a second
            # pass does the rest: drop the pools, then restore the unacknowledged messages.
            super().close()

    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        # Closed: kombu unsets the channel's transport, or the transport's connection.
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection of this channel was closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel


def use_redis_transport() -> None:
    """Make redis:// and rediss:// broker URLs use this module's transport.

    Through kombu's alias table rather than the broker_transport setting, so the URL's scheme
    keeps its meaning (rediss:// turns TLS on).
    """
    for scheme in ("redis", "rediss"):
        transport.TRANSPORT_ALIASES[scheme] = f"{__name__}:Transport"
