# A first production-like image: the locked dependencies, compiled translations, collected static files.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint renders with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN pybabel compile --domain django --directory locale \
    && DEBUG=true python manage.py collectstatic --no-input \
    && useradd --create-home --uid 1000 portal \
    && mkdir -p /app/media && chown portal /app/media
USER portal

EXPOSE 8000
CMD ["gunicorn", "rabat_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
