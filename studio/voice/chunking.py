"""Split a kit's voice documents into passages with metadata (kit, document, channel/kind, language)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from studio.channels import all_channels

KINDS = ("guide", "tagline", "story", "faq")
MAX_CHUNK_CHARS = 700  # one example post or a few guideline paragraphs: enough context for a few-shot


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    metadata: dict


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def classify(stem: str) -> tuple[str, str]:
    """(channel, kind) from `<channel-or-kind>--<slug>`; channel is "" for guides, stories..."""
    prefix = stem.split("--", 1)[0].strip().lower()
    channels = {c.id for c in all_channels()}
    if prefix in channels:
        return prefix, "example"
    if prefix in KINDS:
        return "", prefix
    return "", "other"


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def split_text(body: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Greedy merge of paragraphs up to `limit` characters; a long paragraph stays whole."""
    chunks: list[str] = []
    current = ""
    for para in _paragraphs(body):
        if current and len(current) + len(para) + 2 > limit:
            chunks.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        chunks.append(current)
    return chunks


def chunk_document(kit_id: str, language: str, path: Path) -> list[Chunk]:
    text = path.read_text(encoding="utf-8").strip()
    lines = text.splitlines()
    title = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else path.stem
    body = "\n".join(lines[1:]) if lines and lines[0].startswith("#") else text
    doc_hash = content_hash(text)
    channel, kind = classify(path.stem)
    parts = split_text(body) or [title]
    out = []
    for i, part in enumerate(parts):
        # The file's hash is in every chunk id: an edited file gets all-new ids, so stale
        # chunks are found by id difference alone.
        out.append(
            Chunk(
                id=f"{kit_id}:{path.stem}:{i}:{doc_hash}",
                text=part,
                metadata={
                    "kit": kit_id,
                    "document": path.stem,
                    "title": title,
                    "channel": channel,
                    "kind": kind,
                    "language": language,
                    "chunk": i,
                    "doc_hash": doc_hash,
                    "source": "file",
                    "approved": False,
                },
            )
        )
    return out
