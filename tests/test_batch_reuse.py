"""What a batch reuses from one row to the next (issue 17: a row's own CPU): the embedding cache and the
vectors the voice store already holds. Reuse must never change what a row gets: the same retrieved
passages, the same voice similarity as embedding everything afresh, and no vector of another model."""

from __future__ import annotations

import numpy as np
import pytest

from studio.channels import get_channel
from studio.config import get_settings
from studio.generate.scoring import score_candidates, voice_centroid
from studio.kits import load_kit
from studio.voice import embedding
from studio.voice.chunking import chunk_document
from studio.voice.store import VoiceStore, make_client

QUERY = "Rain shell for wet commutes, 20% off this week\nPeople who ride or take transit to work every day"
CANDIDATE = {"body": "Stay dry on the ride in: the Ridgeback shell packs into its own pocket."}
RIVAL = {"body": "Rain on the way to work? The Ridgeback shell seals at the cuffs and hood."}


@pytest.fixture(scope="module")
def northpeak():
    return load_kit("northpeak", get_settings().kits_dir)


def fresh_process() -> None:
    """What a new worker process starts with: nothing cached."""
    embedding.clear_cache()
    voice_centroid.cache_clear()


def misses() -> int:
    return embedding.cache_info()["misses"]


def score(northpeak, passages) -> dict:
    """The first of two candidates (voice similarity ranks candidates, so it is measured when there are two)."""
    return score_candidates([CANDIDATE, RIVAL], kit=northpeak.kit, channel=get_channel("sms"), language="en",
                            voice_texts=[p.text for p in passages])[0]


def test_a_repeated_query_is_not_embedded_again_and_retrieves_the_same_passages(tmp_path, northpeak):
    store = VoiceStore(make_client(tmp_path, None))
    store.ingest(northpeak)
    fresh_process()
    first = store.retrieve("northpeak", QUERY, channel="sms", language="en", k=4)
    before = misses()
    again = store.retrieve("northpeak", QUERY, channel="sms", language="en", k=4)  # the row's next channel
    assert misses() == before
    assert [(p.id, p.score) for p in again] == [(p.id, p.score) for p in first]
    assert len(first) == 4


def test_a_new_process_scores_with_the_stores_vectors_and_gets_the_fresh_similarity(tmp_path, northpeak):
    VoiceStore(make_client(tmp_path, None)).ingest(northpeak)
    fresh_process()
    worker = VoiceStore(make_client(tmp_path, None))  # a Ray worker joining a store someone else indexed
    assert worker.ingest(northpeak).added == 0
    passages = worker.retrieve("northpeak", QUERY, channel="sms", language="en", k=4)
    before = misses()
    primed = score(northpeak, passages)
    assert misses() == before + 2  # only the candidates: the passages' vectors came from the store

    fresh_process()  # everything embedded afresh by the model
    afresh = score(northpeak, passages)
    assert abs(primed["voice_similarity"] - afresh["voice_similarity"]) <= 1e-4
    assert primed["total"] == pytest.approx(afresh["total"], abs=1e-4)


def test_vectors_of_another_model_in_the_store_are_not_trusted(tmp_path, northpeak):
    kit = northpeak.kit
    chunks = [c for path in northpeak.voice_files for c in chunk_document(kit.id, kit.language, path)]
    rng = np.random.default_rng(7)
    alien = rng.normal(size=(len(chunks), 384)).astype(np.float32)
    alien /= np.linalg.norm(alien, axis=1, keepdims=True)
    VoiceStore(make_client(tmp_path, None)).add_chunks(chunks, embeddings=alien)
    fresh_process()
    worker = VoiceStore(make_client(tmp_path, None))
    assert worker.ingest(northpeak).added == 0  # the same chunk ids: nothing re-indexed
    assert embedding.cache_info()["entries"] <= 1  # only the probe that found the vectors foreign

    vector = embedding.embed([chunks[0].text])[0]
    fresh_process()
    assert np.allclose(vector, embedding.embed([chunks[0].text])[0], atol=1e-5)
    assert float(np.dot(vector, alien[0])) < 0.5


def test_a_lone_candidate_is_not_embedded(northpeak):
    """Nothing to rank it against: a batch row's single candidate costs no MiniLM pass, and says so."""
    fresh_process()
    before = misses()
    [lone] = score_candidates([CANDIDATE], kit=northpeak.kit, channel=get_channel("sms"), language="en",
                              voice_texts=["Out in it, back again."])
    assert misses() == before
    assert lone["voice_similarity"] is None and lone["rejected"] is None and lone["fits_limits"]


def test_the_next_rows_query_is_embedded_while_this_row_waits_on_the_model(northpeak):
    """A batch worker is idle while its row waits on the model: the row it runs next has its retrieval query
    embedded then, and that row's retrieval finds the vector in the cache (the same passages as without)."""
    import time
    from uuid import uuid4

    from studio.batch.input import Task
    from studio.batch.runner import ModelHooks, _ahead_var
    from studio.workflow import nodes

    spec = {"kit": "northpeak", "segment": "city-commuters", "channels": ["sms"], "market": "US",
            "brief": {"text": "Rain shell for wet commutes, 20% off this week (prepared ahead)"}}
    upcoming = Task(task_id="t-2", row_id="r-2", line=3, position=1, segment="city-commuters", spec=spec)
    state = {"kit_id": "northpeak", "segment_id": "city-commuters", "channel_id": "sms", "brief": spec["brief"]}
    nodes.ensure_ingested(northpeak)
    fresh_process()
    without = nodes.retrieve(state)["passages"]  # the reference: embedded by retrieve itself
    fresh_process()
    before = misses()
    token = _ahead_var.set([upcoming])
    try:
        ModelHooks().on_chat_model_start({}, [], run_id=uuid4())  # this row's model request starts
    finally:
        _ahead_var.reset(token)
    deadline = time.monotonic() + 60
    while misses() == before and time.monotonic() < deadline:  # the preparing thread embeds the query
        time.sleep(0.05)
    assert misses() == before + 1
    prepared = nodes.retrieve(state)["passages"]
    assert misses() == before + 1  # the next row's retrieval embedded nothing
    assert [(p["id"], p["score"]) for p in prepared] == [(p["id"], p["score"]) for p in without]
