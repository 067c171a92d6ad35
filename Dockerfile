# Studio, installed and started the same way as the README's quick start. compose.yaml runs this image
# as the app and as the Chroma server; docs/deploy.md has the whole set-up.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
ENV PYTHON=python3.11 STUDIO_DATA_DIR=/data STUDIO_HOST=0.0.0.0 STUDIO_PORT=7860 \
    TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
# The ray extra: `studio batch FILE --ray ADDRESS` from this image joins a Ray cluster (docs/deploy.md).
RUN bash scripts/setup.sh && .venv/bin/python -m pip install --disable-pip-version-check -q -e ".[ray]"
VOLUME /data
EXPOSE 7860
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=8 \
    CMD .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:7860/', timeout=5)"
CMD ["bash", "scripts/run.sh"]
