"""Brand-voice store: ingest a kit's voice documents into Chroma and retrieve passages for prompts."""

from __future__ import annotations

import threading

from studio import cpu as _cpu

_cpu.prepare()  # before torch loads (sentence-transformers): see studio/cpu.py

from studio.voice.store import IngestResult, Passage, VoiceStore

__all__ = ["IngestResult", "Passage", "VoiceStore", "add_approved_example", "get_voice_store"]

_stores: dict[tuple, VoiceStore] = {}
_lock = threading.Lock()


def get_voice_store(settings=None) -> VoiceStore:
    """One store per (data dir, chroma url, embedding model) in this process."""
    from studio.config import get_settings

    settings = settings or get_settings()
    key = (str(settings.data_dir.resolve()), settings.chroma_url, settings.embedding_model)
    with _lock:
        if key not in _stores:
            _stores[key] = VoiceStore.from_settings(settings)
        return _stores[key]


def add_approved_example(kit_id: str, variant_id: str, channel: str, text: str, language: str) -> str:
    """Add an approved variant's copy back to the kit's voice store, flagged approved."""
    return get_voice_store().add_approved_example(kit_id, variant_id, channel, text, language)
