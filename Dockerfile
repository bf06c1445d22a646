FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && DEBUG=false SECRET_KEY=build-only SIGNING_KEY_PASSPHRASE=build-only ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput
# The volumes of docker-compose mount here; created now so they start owned by the app user.
RUN useradd --system --home /app app && mkdir -p /app/var/media /app/var/signing && chown -R app /app/var
USER app
EXPOSE 8000
# Workers × threads: deploy/gunicorn.conf.py (chosen with `manage.py bench_load`, see README).
CMD ["gunicorn", "config.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
