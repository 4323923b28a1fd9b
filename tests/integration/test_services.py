"""The real services CI runs on: PostgreSQL as the database, Redis as cache and broker."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_the_tests_run_on_postgresql_when_database_url_names_it():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL does not name a PostgreSQL database; the suite ran on SQLite")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert int(version) >= 150000


def test_the_cache_and_the_celery_broker_are_redis_when_redis_url_is_set():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set; the cache is in-process")
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        Redis.from_url(settings.REDIS_URL).ping()
    except RedisConnectionError as error:
        pytest.skip(f"Redis does not answer at {settings.REDIS_URL}: {error}")
    key = f"integration-{uuid.uuid4()}"

    cache.set(key, {"domain": 4}, timeout=30)

    assert cache.get(key) == {"domain": 4}
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    cache.delete(key)
