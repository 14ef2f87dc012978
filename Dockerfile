# syntax=docker/dockerfile:1
# KOLHub production image: one image for every role (web, worker, beat, migrate).
# The default command serves the web app; docker-compose.yml runs the other roles.

# --- Stage 1: resolve the locked dependencies into /app/.venv with uv ---------
FROM python:3.12-slim AS deps

ENV UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.12 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

# Same uv version as the Makefile.
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.9

WORKDIR /app
# Only the lock inputs: this layer is rebuilt when the dependencies change, not the code.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# --- Stage 2: the runtime image (no uv, no build caches) -------------------------
FROM python:3.12-slim

ENV PATH="/app/.venv/bin:$PATH" \
    UV_PYTHON_DOWNLOADS=never \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=0 \
    HOST=0.0.0.0 \
    WEB_CONCURRENCY=2 \
    KOLHUB_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

RUN groupadd --system --gid 10001 kolhub \
 && useradd --system --uid 10001 --gid kolhub --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kolhub

WORKDIR /app
COPY --from=deps /app/.venv /app/.venv
COPY . .

# Translations and hashed static files are baked into the image (read-only, owned by root).
# DEBUG=0 needs a SECRET_KEY and ALLOWED_HOSTS to import the settings: dummies, for this
# step only. Settings also create their var/ folders: keep those out of the image.
RUN export SECRET_KEY=build-time-only-dummy-secret-key-not-used-at-runtime \
        ALLOWED_HOSTS=localhost \
        KOLHUB_VAR_DIR=/tmp/kolhub-build \
 && python manage.py compile_catalogs \
 && python manage.py collectstatic --noinput \
 && rm -rf /tmp/kolhub-build \
 && mkdir -p /app/var/media \
 && chown -R kolhub:kolhub /app/var

# /app/var is the only writable place: uploads in var/media (a named volume in
# docker-compose.yml, which takes this folder's owner on first use) and the SQLite
# fallback when DATABASE_URL is unset.
USER kolhub
EXPOSE 8000

# Checks the whole app (database, broker, worker heartbeat), as /healthz reports it.
# The Host header is the first ALLOWED_HOSTS entry, so a production host list still passes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

# gunicorn reads WEB_CONCURRENCY (workers) and FORWARDED_ALLOW_IPS from the environment.
CMD ["gunicorn", "kolhub.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
