# openip-bot in a container: `docker build -t openip-bot .` (README « Deployment »).
# Stage 1 installs the locked dependencies (requirements.lock, hashes checked) and the project
# into a virtual environment; stage 2 copies that environment alone into a slim image, run by a
# user without privileges.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/openip-bot
WORKDIR /src
COPY requirements.lock ./
RUN /opt/openip-bot/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY domain ./domain
RUN /opt/openip-bot/bin/pip install --no-deps . \
    && /opt/openip-bot/bin/openip-bot --version

FROM python:${PYTHON_VERSION}-slim AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/openip-bot --create-home openip
COPY --from=build /opt/openip-bot /opt/openip-bot
ENV PATH=/opt/openip-bot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    OPENIP_BOT_WEBHOOK_LISTEN=0.0.0.0 \
    OPENIP_BOT_HEALTH_PORT=8444 \
    OPENIP_BOT_LOG_JSON=1
USER openip
WORKDIR /var/lib/openip-bot
# Liveness of the running bot: its /health/live (the process and its database answer; the
# schema and Telegram are reported, not fatal). A one-shot command (db upgrade, import…) ends
# before the first check.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8444/health/live', timeout=10)"]
ENTRYPOINT ["openip-bot"]
CMD ["run"]
