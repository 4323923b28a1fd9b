# syntax=docker/dockerfile:1
# The portal's production image: runtime dependencies only (requirements-prod.lock), compiled
# translations and collected static files baked in, run as an unprivileged user.
# Build with `docker compose build`; see the README, "Running the full stack".

# --- builder: wheels for exactly the locked versions, checked against their hashes ----------
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# A compiler in case a locked package has no wheel for this platform; it stays in this stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY requirements-prod.lock /tmp/
RUN pip wheel --require-hashes --wheel-dir /wheels -r /tmp/requirements-prod.lock

# --- final: python:3.11-slim with the libraries WeasyPrint loads at run time ----------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
# Pango (and HarfBuzz's subsetter) render the stocktaking report; its fonts are in static/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# The builder checked the hashes; here only its wheels are installed, nothing from an index.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-index --no-deps /wheels/*.whl

WORKDIR /app
COPY . .
# Translations compiled and static files collected (hashed names, for STATIC_MANIFEST) at
# build time, so that every container starts from the same files. The key below is only for
# this build step; a container without SECRET_KEY in its environment refuses to start.
RUN pybabel compile --domain django --directory locale \
    && SECRET_KEY=collectstatic-only DEBUG=false STATIC_MANIFEST=true \
        python manage.py collectstatic --no-input --verbosity 0 \
    && useradd --create-home --uid 1000 portal \
    && mkdir -p /app/media /app/private_media \
    && chown portal:portal /app/media /app/private_media
USER portal

ENV MEDIA_ROOT=/app/media PRIVATE_MEDIA_ROOT=/app/private_media
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]
# Workers: gunicorn reads WEB_CONCURRENCY (default 1); the stack sets it from .env.
CMD ["gunicorn", "rabat_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
