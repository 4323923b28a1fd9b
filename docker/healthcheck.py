"""The web container's HEALTHCHECK: exit 0 when /health/ answers 200, 1 otherwise.

Standard library only, and no Django: it runs every 30 seconds and must stay cheap. The Host
header is the first of ALLOWED_HOSTS, so the check passes Django's host validation whatever
name the portal is served under.
"""

import os
import sys
import urllib.error
import urllib.request

PORT = os.environ.get("PORT", "8000")


def host():
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main():
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/health/", headers={"Host": host()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
