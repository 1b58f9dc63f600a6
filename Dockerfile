# Access Portal image: one image for web, worker and beat (docker-compose.yml).
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ACCESS_PORTAL_VAR_DIR=/data
# Pango is what WeasyPrint draws the board pack PDF with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY . .
COPY --from=frontend /build/node_modules ./node_modules
RUN pip install --no-cache-dir -c requirements.lock -e . \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only-not-used-at-runtime-0123456789abcdef \
       python manage.py collectstatic --no-input \
    && useradd --create-home portal && mkdir -p /data && chown portal /data
USER portal
EXPOSE 8000
CMD ["gunicorn", "access_portal.wsgi", "--bind", "0.0.0.0:8000"]
