"""Django's Redis cache backend, reusing one Redis client per connection pool.

Django's backend builds a new ``redis.Redis`` client for every operation. The connections are
pooled, but building a client fills its table of some two hundred response callbacks each
time: a signed-in page makes four or five cache reads (its session, the content version, kept
parts), and building their clients cost more than the round trips to Redis themselves. A
client is safe to share between threads (it takes a connection from the pool per command), so
each pool gets one, made on first use.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    """Django's client, whose ``get_client`` returns the same Redis client for a pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both make one on first use: either serves.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache``, with ``RedisCacheClient`` above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
