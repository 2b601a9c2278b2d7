# syntax=docker/dockerfile:1
# Build stage: a virtualenv with the pinned runtime requirements.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

# Runtime stage: Chromium and fonts for browser steps, bubblewrap for Python steps, the app,
# a non-root user.
FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core \
        bubblewrap \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 toolkit && mkdir -p /data && chown toolkit /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=toolkit_project.settings.base \
    IGNITION_TOOLKIT_DATA=/data \
    PLAYWRIGHT_CHROMIUM_EXECUTABLE=/usr/bin/chromium
WORKDIR /app
COPY --chown=toolkit . /app
# collectstatic needs settings, not real secrets: throwaway values for this one command.
RUN DJANGO_SECRET_KEY=collectstatic DJANGO_ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEY=$(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
    python manage.py collectstatic --noinput -v 0
USER toolkit
VOLUME ["/data"]
EXPOSE 8000 8088
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
