"""Copy generation on real models: the embedded SmolLM2 (English and Chinese channels) and the same
weights behind a real OpenAI-compatible server (`transformers serve`) on loopback.

The model is tiny and its wording is not tested; structure, channel limits, language and
provenance are. Best-of-N is tested once with N=3; the other tests use N=1 to stay fast on 2 cores.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pytest

from studio.channels import get_channel, message_length
from studio.config import get_settings
from studio.domain import Brief
from studio.generate import GenerationError, generate_copy
from studio.language import is_language
from studio.generate.prompts import load_template
from studio.generate.scoring import fits_channel, prose
from studio.kits import load_kit
from studio.voice import get_voice_store

from .conftest import REPO

pytestmark = pytest.mark.slow

CASES = {
    "northpeak": ("trail-regulars", "instagram", "Autumn layering: the Cirque Base Layer is back in two new colours"),
    "chayuan": ("office-cold-brew", "xiaohongshu", "新品冷泡茶上市：办公室里三分钟泡好一杯"),
}


def _prepare(kit_id: str, channel_id: str | None = None):
    settings = get_settings()
    segment_id, default_channel, text = CASES[kit_id]
    loaded = load_kit(kit_id, settings.kits_dir)
    segment = loaded.kit.segment(segment_id)
    channel = get_channel(channel_id or default_channel)
    brief = Brief(text=text)
    store = get_voice_store(settings)
    store.ingest(loaded)
    passages = store.retrieve(kit_id, f"{brief.summary()}\n{segment.description}", channel=channel.id, language=segment.language, k=4)
    return settings, loaded, segment, channel, brief, passages


def _assert_provenance(prov: dict, *, backend: str, passages, language: str, candidates: int, template: str = "copy_field"):
    assert prov["backend"] == backend and prov["model"]
    assert {"temperature", "max_tokens"} <= set(prov["params"]) and prov["params"]["candidates"] == candidates
    path = REPO / "prompts" / f"{template}.yaml"
    assert prov["prompt_template"]["id"] == template
    assert prov["prompt_template"]["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert prov["retrieved_passages"] == [p.id for p in passages]
    assert prov["language"] == language
    started, finished = datetime.fromisoformat(prov["started_at"]), datetime.fromisoformat(prov["finished_at"])
    assert started.tzinfo is not None and started <= finished


def _assert_fits(copy: dict, channel):
    names = [f.name for f in channel.fields]
    assert set(copy) <= set(names)
    for f in channel.fields:
        if f.required:
            assert copy.get(f.name), f"required field {f.name} is empty"
        if copy.get(f.name) and f.max_chars:
            assert message_length(f, copy[f.name])[0] <= f.max_chars
    ok, problems = fits_channel(copy, channel)
    assert ok, problems


def test_embedded_english_instagram_best_of_3():
    settings, loaded, segment, channel, brief, passages = _prepare("northpeak")
    settings = settings.model_copy(update={"candidates": 3})
    result = generate_copy(loaded, segment, channel, brief, market="US", passages=passages, settings=settings, seed=11)

    _assert_fits(result.copy, channel)
    assert is_language(prose(result.copy), "en")
    assert "\n\n\n" not in result.copy["caption"] and not result.copy["caption"].startswith(("Caption:", '"'))
    tags = re.findall(r"#\w+", result.copy.get("hashtags", ""))
    assert len(tags) <= (channel.max_hashtags or 30)

    assert len(result.candidates) == 3
    chosen = [c for c in result.candidates if c["selected"]]
    assert len(chosen) == 1
    eligible = [c for c in result.candidates if not c["rejected"]]
    assert chosen[0]["total"] == max(c["total"] for c in eligible)
    assert {k: v for k, v in chosen[0]["copy"].items() if v} == result.copy
    for c in result.candidates:
        assert {"fits_limits", "language_ok", "banned_terms", "voice_similarity", "total"} <= set(c)
        assert -1.0 <= c["voice_similarity"] <= 1.0

    _assert_provenance(result.provenance, backend="embedded", passages=passages, language="en", candidates=3)
    assert result.provenance["model"] == "SmolLM2-135M-Instruct"


def test_embedded_chinese_xiaohongshu_is_chinese_and_within_limits():
    settings, loaded, segment, channel, brief, passages = _prepare("chayuan")
    settings = settings.model_copy(update={"candidates": 1})
    result = generate_copy(loaded, segment, channel, brief, market="CN", passages=passages, settings=settings, seed=5)

    _assert_fits(result.copy, channel)
    assert len(result.copy["title"]) <= 20 and len(result.copy["body"]) <= 1000
    for name in ("title", "body"):
        assert is_language(result.copy[name], "zh"), (name, result.copy[name])
    assert len(re.findall(r"#[\w\u3400-\u9fff]+", result.copy.get("hashtags", ""))) <= 10
    _assert_provenance(result.provenance, backend="embedded", passages=passages, language="zh", candidates=1)


def test_baseline_template_records_no_retrieval():
    """The eval's baseline: same wording, no retrieved examples; provenance says so (N=1, SMS: short)."""
    settings, loaded, segment, channel, brief, passages = _prepare("northpeak", "sms")
    settings = settings.model_copy(update={"candidates": 1})
    result = generate_copy(loaded, segment, channel, brief, market="US", passages=passages, settings=settings,
                           template_id="copy_field_baseline", use_examples=False, seed=3)
    _assert_fits(result.copy, channel)
    assert result.provenance["prompt_template"]["id"] == "copy_field_baseline"
    assert result.provenance["retrieved_passages"] == []


def test_every_prompt_template_loads_and_renders_both_languages():
    from studio.generate.copy import _context, build_messages

    settings = get_settings()
    for path in sorted((REPO / "prompts").glob("*.yaml")):
        template = load_template(path.stem, settings.prompts_dir)
        assert template.id == path.stem and len(template.hash) == 16
        for kit_id in CASES:
            loaded, segment, channel, brief = _kit_only(kit_id)
            systems = set()
            for f in channel.fields:
                ctx = _context(loaded.kit, segment, channel, f, brief, None, segment.language, ["too long"])
                messages = build_messages(template, ctx, [("Example", "Example text")], segment.language, True)
                assert all(str(m.content).strip() for m in messages[:-1])
                assert "{{" not in "".join(str(m.content) for m in messages)
                systems.add(messages[0].content)
            # The system prompt does not depend on the field: the embedded backend reuses its cache.
            assert len(systems) == 1


def _kit_only(kit_id: str):
    segment_id, channel_id, text = CASES[kit_id]
    loaded = load_kit(kit_id, get_settings().kits_dir)
    return loaded, loaded.kit.segment(segment_id), get_channel(channel_id), Brief(text=text)


# --------------------------------------------------------------------------- OpenAI-compatible


API_KEY = "sk-studio-test-key"


@pytest.fixture(scope="module")
def openai_server(tmp_path_factory):
    """`transformers serve` with the converted SmolLM2 weights, behind an API-key gate."""
    from studio.generate.model_cache import load_embedded_model

    from .openai_server import KeyGate, TransformersServer

    model_dir = load_embedded_model().path  # converts the packaged GGUF once if needed
    server = TransformersServer(model_dir, tmp_path_factory.mktemp("llm-server") / "serve.log")
    upstream = server.start()
    gate = KeyGate(upstream, API_KEY)
    url = gate.start()
    yield {"url": f"{url}/v1", "model": str(model_dir), "gate": gate}
    gate.stop()
    server.stop()


def _openai_settings(base_url: str, model: str, key: str | None = API_KEY, **extra):
    return get_settings().model_copy(update={
        "llm_backend": "openai", "llm_base_url": base_url, "llm_model": model, "llm_api_key": key,
        "llm_timeout": 300.0, "llm_max_retries": 0, "candidates": 1, **extra,
    })


def test_openai_compatible_server_generates_copy(openai_server):
    _, loaded, segment, channel, brief, passages = _prepare("northpeak", "sms")
    settings = _openai_settings(openai_server["url"], openai_server["model"])
    before = openai_server["gate"].forwarded
    result = generate_copy(loaded, segment, channel, brief, market="US", passages=passages, settings=settings)

    _assert_fits(result.copy, channel)
    assert is_language(prose(result.copy), "en")
    assert openai_server["gate"].forwarded > before  # the real server wrote it
    _assert_provenance(result.provenance, backend="openai", passages=passages, language="en", candidates=1)
    assert result.provenance["model"] == openai_server["model"]
    assert result.provenance["base_url"] == openai_server["url"]


def _one_line_error(settings, match: str) -> str:
    _, loaded, segment, channel, brief, passages = _prepare("northpeak", "sms")
    with pytest.raises(GenerationError, match=match) as info:
        generate_copy(loaded, segment, channel, brief, market="US", passages=passages, settings=settings)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300
    return message


def test_unreachable_endpoint_is_one_clear_line():
    from .openai_server import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    message = _one_line_error(_openai_settings(url, "any-model", llm_timeout=5.0), "cannot reach")
    assert url in message


def test_wrong_api_key_is_one_clear_line(openai_server):
    settings = _openai_settings(openai_server["url"], openai_server["model"], key="sk-wrong")
    message = _one_line_error(settings, r"rejected the API key \(HTTP 401\)")
    assert "STUDIO_LLM_API_KEY" in message


def test_garbage_response_is_one_clear_line():
    from .openai_server import GarbageServer

    server = GarbageServer()
    url = server.start()
    try:
        message = _one_line_error(_openai_settings(f"{url}/v1", "any-model"), "malformed response")
        assert url in message
    finally:
        server.stop()


def test_inline_hashtags_never_push_a_variant_over_the_channel_limit():
    """The model scatters tags in prose; the hashtag limit counts every field (found by the workflow test)."""
    from studio.generate.cleanup import fit_hashtags

    channel = get_channel("xiaohongshu")
    copy = {"title": "新品#冷泡", "body": "好喝 " + " ".join(f"#标签{i}" for i in range(12)) + " 结束",
            "hashtags": "#茶园里 #冷泡茶 #节气"}
    assert not fits_channel(copy, channel)[0]
    fixed = fit_hashtags(copy, channel.max_hashtags)
    assert fits_channel(fixed, channel)[0]
    assert "标签11" in fixed["body"] and "#标签11" not in fixed["body"]  # the words stay, the extra '#' go
    assert fit_hashtags({"caption": "Trail day", "hashtags": "#a #b"}, 30) == {"caption": "Trail day", "hashtags": "#a #b"}
