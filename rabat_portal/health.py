"""What the load balancer and the container runtime ask: do this process's services answer?

Each check returns ``"ok"``, ``"not configured"`` or a short error naming the kind of failure
(the exception's class, never its message: messages may carry host names or credentials).
"""

from django.conf import settings
from django.db import connection

OK = "ok"
NOT_CONFIGURED = "not configured"
# Short, so that a hung service fails the check instead of piling up waiting requests.
TIMEOUT_SECONDS = 1.0


def _error(exception):
    return f"error: {type(exception).__name__}"


def check_database():
    """``"ok"`` when the default database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exception:  # any failure means "not healthy", whatever the driver raises
        return _error(exception)
    return OK


def check_redis():
    """``"ok"`` when Redis (cache and Celery broker) answers a PING; ``"not configured"``
    without ``REDIS_URL``, where the cache is per process and Celery runs tasks in-process."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    from redis import Redis

    client = Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except Exception as exception:
        return _error(exception)
    finally:
        client.close()
    return OK


def check_worker():
    """``"ok"`` when at least one Celery worker answers a ping within a second.

    ``"not configured"`` when tasks run in-process (no Redis, or ``CELERY_TASK_ALWAYS_EAGER``).
    """
    if not settings.REDIS_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return NOT_CONFIGURED
    from rabat_portal.celery import app

    try:
        # The first reply is enough: no need to wait out the timeout for every worker.
        replies = app.control.ping(timeout=TIMEOUT_SECONDS, limit=1)
    except Exception as exception:
        return _error(exception)
    return OK if replies else "error: no worker answered"


def health(*, worker_required=False):
    """The status of each service, and whether this web process should receive traffic.

    Database and Redis are needed to serve pages, so either one failing makes the process
    unhealthy. The worker alone does not: pages still work without it and tasks wait in Redis
    until a worker is back, so taking every web process out of the load balancer because the
    workers are down would turn a delay in e-mails into an outage. A monitor that does want to
    know about the workers asks with ``worker_required``.
    """
    statuses = {"database": check_database(), "redis": check_redis()}
    if statuses["redis"] in (OK, NOT_CONFIGURED):
        statuses["worker"] = check_worker()
    else:
        # Pinging workers goes through Redis: with Redis down it could only hang and fail.
        statuses["worker"] = "error: Redis unavailable"
    needed = ["database", "redis", *(["worker"] if worker_required else [])]
    healthy = all(statuses[name] in (OK, NOT_CONFIGURED) for name in needed)
    return healthy, statuses
