"""The portal's own deployment checks, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches that every web process shares; any other keeps its counts inside one process.
SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "portal_lib.redis_cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
}


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Warn (rabat_portal.W001) when the cache is not shared between processes: allauth
    counts failed logins and password resets there, so each worker would keep its own count
    and an attacker would get as many tries as there are workers."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in SHARED_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: the "
            "limits on failed logins and password resets are counted per worker.",
            hint="Set REDIS_URL so that every web process counts in the same Redis.",
            id="rabat_portal.W001",
        )
    ]
