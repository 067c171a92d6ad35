# Studio, installed and started the same way as the README's quick start.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
ENV PYTHON=python3.11 STUDIO_DATA_DIR=/data STUDIO_HOST=0.0.0.0 STUDIO_PORT=7860 \
    TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN bash scripts/setup.sh
VOLUME /data
EXPOSE 7860
CMD ["bash", "scripts/run.sh"]
