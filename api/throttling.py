"""The API's rate limit: so many requests per client address and period (``API_RATE_LIMIT``)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from portal_lib.client_ip import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts requests per client address, the address read as the rest of the portal reads it
    (``X-Forwarded-For`` only from a trusted proxy), in the default cache (Redis in production,
    so that every worker counts together)."""

    scope = "api"

    def get_rate(self):
        # Read at each request rather than once at import: the setting is the deployment's.
        return settings.API_RATE_LIMIT or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
