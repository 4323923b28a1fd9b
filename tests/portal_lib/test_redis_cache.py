"""The Redis cache backend keeps one Redis client per connection pool: Django's builds one for
each operation, which cost more than the round trip it made."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from portal_lib.redis_cache import RedisCache


def backend(location):
    return RedisCache(location, {"KEY_PREFIX": "redis-cache-test"})


def test_each_operation_takes_the_same_client_from_one_pool():
    # Nothing connects before a command is sent: no server needed.
    cache = backend("redis://127.0.0.1:6399/0")._cache

    client = cache.get_client("a")

    assert cache.get_client("b") is client
    assert cache.get_client("c", write=True) is client
    assert client.connection_pool is cache._get_connection_pool(write=False)
    # Django's own, for comparison: a new client for each operation.
    django_cache = DjangoRedisCache("redis://127.0.0.1:6399/0", {})._cache
    assert django_cache.get_client("a") is not django_cache.get_client("a")


def test_a_replica_is_read_through_its_own_client():
    cache = backend("redis://127.0.0.1:6399/0,redis://127.0.0.1:6398/0")._cache

    writer = cache.get_client(write=True)
    reader = cache.get_client(write=False)

    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 6399
    assert reader.connection_pool.connection_kwargs["port"] == 6398
    assert cache.get_client(write=False) is reader


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL): the tests run without it"
)
def test_values_are_written_and_read_as_with_djangos_backend(settings):
    cache = backend(settings.CACHES["default"]["LOCATION"])

    cache.set("answer", {"years": [2018, 2019]}, 30)
    cache.set_many({"a": 1, "b": 2}, 30)

    assert cache.get("answer") == {"years": [2018, 2019]}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert cache.add("a", 3, 30) is False
    cache.delete_many(["answer", "a", "b"])
    assert cache.get("answer") is None
