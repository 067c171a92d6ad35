"""The brand-voice store: one Chroma collection, every chunk tagged with its kit.

Retrieval is always filtered by kit (a kit never sees another kit's voice) and is hybrid:
dense (local MiniLM via Chroma) and BM25 fused with reciprocal rank fusion, then nudged towards
the target channel and language.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from studio.voice.chunking import Chunk, chunk_document, content_hash
from studio.voice.embedding import LocalMiniLM
from studio.voice.lexical import BM25Index, has_cjk, rrf

COLLECTION = "studio_voice"
RRF_K = 60
# Preference, not a filter: a matching channel is worth about half a first-place vote.
CHANNEL_BONUS = 0.5 / (RRF_K + 1)
LANGUAGE_PENALTY = 1.0 / (RRF_K + 1)

# Fusion weights. The packaged MiniLM is English-only: on Chinese text its ranking is close to
# noise (on the chayuan kit dense alone finds the right passage in the top 3 for half of the
# test queries, BM25 over jieba words + bigrams for nearly all), so its vote counts less there.
# A multilingual embedding model (settings.embedding_model) gets full weight in every language.
# In English the dense model is the better ranker and BM25 a tie-breaker for names and terms.
DENSE_WEIGHT = 1.0
DENSE_WEIGHT_CJK_ENGLISH_MODEL = 0.3
LEXICAL_WEIGHT = 1.0
LEXICAL_WEIGHT_LATIN = 0.5

INDEX_RECHECK_S = 30.0
PRIME_LIMIT = 4000  # passages whose stored vectors seed the embedding cache (about 6 MB)

Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    document: str
    channel: str
    score: float
    kind: str = "example"
    language: str = ""
    title: str = ""
    approved: bool = False


@dataclass(frozen=True)
class IngestResult:
    added: int
    updated: int
    removed: int
    unchanged: int
    chunks: int = 0

    def to_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed, "unchanged": self.unchanged, "chunks": self.chunks}


def collection_name(prefix: str, kit_id: str) -> str:
    """Chroma names: 3-512 of [a-zA-Z0-9._-], alphanumeric at both ends; a short hash keeps them unique."""
    safe = re.sub(r"[^a-zA-Z0-9._-]", "_", kit_id).strip("._-") or "kit"
    return f"{prefix}-{safe[:200]}-{hashlib.sha1(kit_id.encode()).hexdigest()[:8]}"


def make_client(data_dir: Path, chroma_url: str | None):
    """Embedded PersistentClient under data_dir/chroma, or HttpClient for a Chroma server."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(
            host=url.hostname or "localhost",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@dataclass
class VoiceStore:
    client: object
    embedding_model: str | None = None
    collection_name: str = COLLECTION
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _snapshots: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_settings(cls, settings=None) -> "VoiceStore":
        from studio.config import get_settings

        settings = settings or get_settings()
        return cls(make_client(settings.data_dir, settings.chroma_url), settings.embedding_model)

    def __post_init__(self) -> None:
        self.embedder = LocalMiniLM(self.embedding_model)
        self._collections: dict[str, object] = {}

    def collection_for(self, kit_id: str):
        """One Chroma collection per kit. Isolation by construction (a query cannot see another
        kit), and no metadata filter on the dense query: with a `where` filter Chroma's query over
        10,000 chunks took ~45 ms, without it ~1 ms."""
        col = self._collections.get(kit_id)
        if col is None:
            col = self.client.get_or_create_collection(
                collection_name(self.collection_name, kit_id),
                embedding_function=self.embedder,  # never Chroma's default (it downloads)
                metadata={"hnsw:space": "cosine", "kit": kit_id},
            )
            self._collections[kit_id] = col
        return col

    # ------------------------------------------------------------------ writing

    def ingest(self, loaded_kit) -> IngestResult:
        """Index a kit's voice files; idempotent (ids carry content hashes)."""
        kit = loaded_kit.kit
        chunks: list[Chunk] = []
        for path in loaded_kit.voice_files:
            language = kit.language if len(kit.languages) == 1 else _detect(path.read_text(encoding="utf-8"), kit.languages)
            chunks.extend(chunk_document(kit.id, language, path))
        wanted: dict[str, set[str]] = {}
        for c in chunks:
            wanted.setdefault(c.metadata["document"], set()).add(c.id)
        with self._lock:
            col = self.collection_for(kit.id)
            existing = col.get(where={"source": "file"}, include=["metadatas"])
            have: dict[str, set[str]] = {}
            for cid, meta in zip(existing["ids"], existing["metadatas"]):
                have.setdefault(meta["document"], set()).add(cid)
            added = sum(1 for d in wanted if d not in have)
            updated = sum(1 for d in wanted if d in have and have[d] != wanted[d])
            unchanged = sum(1 for d in wanted if d in have and have[d] == wanted[d])
            removed = sum(1 for d in have if d not in wanted)
            stale = [i for ids in have.values() for i in ids if not any(i in w for w in wanted.values())]
            have_ids = {i for ids in have.values() for i in ids}
            fresh = [c for c in chunks if c.id not in have_ids]
            if stale:
                col.delete(ids=stale)
            for start in range(0, len(fresh), 256):
                batch = fresh[start : start + 256]
                col.upsert(
                    ids=[c.id for c in batch],
                    documents=[c.text for c in batch],
                    metadatas=[c.metadata for c in batch],
                )
            self._snapshots.pop(kit.id, None)
            self._prime_embeddings(col)
        return IngestResult(added, updated, removed, unchanged, len(chunks))

    def _prime_embeddings(self, col) -> None:
        """Seed this process's embedding cache with the vectors the store already holds, so that scoring a
        variant against its retrieved passages does not embed them again in every fresh process (a Ray
        worker, a rerun on an existing store). Only when the store's vectors are this model's: the first
        passage is embedded again and must match."""
        from studio.voice.embedding import embed, remember

        data = col.get(include=["documents", "embeddings"], limit=PRIME_LIMIT)
        documents, vectors = data.get("documents") or [], data.get("embeddings")
        if not documents or vectors is None or len(vectors) != len(documents):
            return
        import numpy as np

        fresh = embed([documents[0]], self.embedding_model)[0]
        stored = np.asarray(vectors[0], dtype=np.float32)
        if stored.shape != fresh.shape or float(np.dot(stored, fresh)) < 0.9999:
            return  # indexed with another model (or another version of it): embed afresh as before
        remember(documents, vectors, self.embedding_model, limit=PRIME_LIMIT)

    def add_chunks(self, chunks: list[Chunk], embeddings=None) -> None:
        """Bulk insert of prepared chunks (benchmarks, imports); embeddings are computed unless given."""
        with self._lock:
            for kit in dict.fromkeys(c.metadata["kit"] for c in chunks):
                picked = [i for i, c in enumerate(chunks) if c.metadata["kit"] == kit]
                col = self.collection_for(kit)
                for start in range(0, len(picked), 512):
                    batch = [chunks[i] for i in picked[start : start + 512]]
                    extra = {}
                    if embeddings is not None:
                        extra["embeddings"] = [list(map(float, embeddings[i])) for i in picked[start : start + 512]]
                    col.upsert(ids=[c.id for c in batch], documents=[c.text for c in batch], metadatas=[c.metadata for c in batch], **extra)
                self._snapshots.pop(kit, None)

    def add_approved_example(self, kit_id: str, variant_id: str, channel: str, text: str, language: str) -> str:
        """Store an approved variant as a voice example; re-approving a variant replaces its text."""
        doc = f"approved--{variant_id}"
        cid = f"{kit_id}:{doc}:0:{content_hash(text)}"
        with self._lock:
            col = self.collection_for(kit_id)
            old = col.get(where={"document": doc}, include=[])
            stale = [i for i in old["ids"] if i != cid]
            if stale:
                col.delete(ids=stale)
            col.upsert(
                ids=[cid],
                documents=[text],
                metadatas=[{
                    "kit": kit_id, "document": doc, "title": f"Approved variant {variant_id}", "channel": channel or "",
                    "kind": "approved", "language": language, "chunk": 0, "doc_hash": content_hash(text),
                    "source": "approved", "approved": True, "variant_id": variant_id,
                }],
            )
            self._snapshots.pop(kit_id, None)
        return cid

    def delete_kit(self, kit_id: str) -> None:
        with self._lock:
            try:
                self.client.delete_collection(collection_name(self.collection_name, kit_id))
            except Exception:  # noqa: BLE001 - nothing stored for that kit
                pass
            self._collections.pop(kit_id, None)
            self._snapshots.pop(kit_id, None)

    def count(self, kit_id: str | None = None) -> int:
        if kit_id is not None:
            return self.collection_for(kit_id).count()
        prefix = f"{self.collection_name}-"
        total = 0
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix):
                total += self.client.get_collection(name, embedding_function=self.embedder).count()
        return total

    # ------------------------------------------------------------------ reading

    def passages(self, kit_id: str, ids: list[str]) -> list[dict]:
        """The stored text of passages by id, in the given order (ids no longer stored are skipped):
        shows a reviewer what a variant was grounded on."""
        if not ids:
            return []
        data = self.collection_for(kit_id).get(ids=list(ids), include=["documents", "metadatas"])
        found = {i: {"id": i, "text": d, **(m or {})} for i, d, m in zip(data["ids"], data["documents"], data["metadatas"])}
        return [found[i] for i in ids if i in found]

    def _snapshot(self, kit_id: str) -> dict:
        """This process's copy of the kit's chunks: texts and metadata, their BM25 index and their stored
        vectors (dense ranking is a dot product here, not a query to the store: one round trip less per
        retrieval, and a ranking can never name a chunk the copy lacks). Rebuilt when the kit's chunk ids
        change (ids carry content hashes).

        Writes through this store drop the copy at once; writes by another process (a shared Chroma
        server) are noticed by the chunk count at every query, and by the full id set every
        INDEX_RECHECK_S seconds (an edit replaces ids without changing the count). The lock is held
        only to read or replace the copy, never while a query is ranked."""
        col = self.collection_for(kit_id)
        count = col.count()
        with self._lock:
            cached = self._snapshots.get(kit_id)
            now = time.monotonic()
            if cached and cached["count"] == count and now - cached["checked"] < INDEX_RECHECK_S:
                return cached
            ids = col.get(include=[])["ids"]
            signature = hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()
            if cached and cached["signature"] == signature:
                cached.update(count=count, checked=now)
                return cached
            data = col.get(include=["documents", "metadatas", "embeddings"])
            rows = {i: (d, m) for i, d, m in zip(data["ids"], data["documents"], data["metadatas"])}
            snapshot = {"signature": signature, "count": len(rows), "checked": now, "rows": rows,
                        "index": BM25Index(list(rows), [_index_text(d, m) for d, m in rows.values()]),
                        "ids": list(data["ids"]), "vectors": _unit_rows(data.get("embeddings"), len(rows))}
            self._snapshots[kit_id] = snapshot
            return snapshot

    def _dense_rank(self, snapshot: dict, query: str, depth: int) -> list[str]:
        """The chunks nearest the query by cosine similarity (what the store's cosine index answers)."""
        import numpy as np

        from studio.voice.embedding import embed

        vectors = snapshot["vectors"]
        if not len(vectors):
            return []
        similarity = vectors @ embed([query], self.embedding_model)[0]
        top = np.argsort(-similarity, kind="stable")[:depth]
        return [snapshot["ids"][i] for i in top]

    def dense_weight(self, query: str) -> float:
        if has_cjk(query) and not self.embedding_model:
            return DENSE_WEIGHT_CJK_ENGLISH_MODEL
        return DENSE_WEIGHT

    def retrieve(
        self,
        kit_id: str,
        query: str,
        *,
        channel: str | None = None,
        language: str | None = None,
        k: int = 4,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        snapshot = self._snapshot(kit_id)
        rows = snapshot["rows"]
        if not rows:
            return []
        depth = min(len(rows), max(20, 5 * k))
        rankings: list[list[str]] = []
        weights: list[float] = []
        if mode in ("hybrid", "dense"):
            rankings.append(self._dense_rank(snapshot, query, depth))
            weights.append(self.dense_weight(query))
        if mode in ("hybrid", "lexical"):
            rankings.append(snapshot["index"].rank(query, depth))
            weights.append(LEXICAL_WEIGHT if has_cjk(query) else LEXICAL_WEIGHT_LATIN)
        fused = rrf(rankings, RRF_K, weights if mode == "hybrid" else None)
        scored = []
        for cid, score in fused.items():
            doc, meta = rows[cid]
            if channel and meta.get("channel") == channel:
                score += CHANNEL_BONUS
            if language and meta.get("language") and meta["language"] != language:
                score -= LANGUAGE_PENALTY
            scored.append((score, cid))
        scored.sort(key=lambda t: -t[0])
        out = []
        for score, cid in scored[:k]:
            doc, meta = rows[cid]
            out.append(
                Passage(
                    id=cid, text=doc, document=meta.get("document", ""), channel=meta.get("channel", ""),
                    score=round(score, 6), kind=meta.get("kind", ""), language=meta.get("language", ""),
                    title=meta.get("title", ""), approved=bool(meta.get("approved")),
                )
            )
        return out


def _index_text(doc: str, meta: dict) -> str:
    # Titles are the best lexical signal in short marketing documents.
    return f"{meta.get('title', '')}\n{doc}"


def _unit_rows(vectors, n: int):
    """The stored vectors as one float32 matrix of unit rows (cosine similarity = dot product)."""
    import numpy as np

    if vectors is None or n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    matrix = np.asarray(vectors, dtype=np.float32).reshape(n, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _detect(text: str, languages: list[str]) -> str:
    if "zh" in languages and has_cjk(text):
        return "zh"
    return next((lang for lang in languages if lang != "zh"), languages[0])
