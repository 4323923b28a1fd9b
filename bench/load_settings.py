"""The portal's production settings, with the static files collected into a folder the load
benchmark chooses (BENCH_STATIC_ROOT), so it never writes into the checkout's staticfiles/."""

import os

from rabat_portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
