"""Brand kits: the samples load, and every kind of broken kit fails with file, line and field (exit 2)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studio.channels import get_channel
from studio.kits import KitError, list_kits, load_kit_dir

from .conftest import KITS_DIR, SAMPLE_KITS


def studio(*args: str, env_kits: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kit_id", SAMPLE_KITS)
def test_sample_kit_loads_with_segments_voice_and_logo(kit_id):
    loaded = load_kit_dir(KITS_DIR / kit_id)
    kit = loaded.kit
    assert kit.id == kit_id
    assert len(kit.segments) >= 3
    assert len(loaded.voice_files) >= 20
    assert loaded.logo_path.is_file()
    for channel_id in kit.default_channels:
        get_channel(channel_id)
    for segment in kit.segments:
        assert segment.language in kit.languages
        for channel_id in segment.preferred_channels:
            get_channel(channel_id)


def test_chinese_kit_is_written_in_chinese():
    loaded = load_kit_dir(KITS_DIR / "chayuan")
    assert loaded.kit.language.startswith("zh") and "CN" in [m.value for m in loaded.kit.markets]
    for path in loaded.voice_files:
        text = path.read_text(encoding="utf-8")
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        assert cjk > 40, f"{path.name} is not Chinese copy"


def test_kit_list_json_lists_both_kits_with_segments():
    result = studio("kit", "list", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    kits = {k["id"]: k for k in data["kits"]}
    assert set(SAMPLE_KITS) <= set(kits)
    for kit_id in SAMPLE_KITS:
        assert len(kits[kit_id]["segments"]) >= 3


def test_kit_show_json_prints_the_whole_kit():
    result = studio("kit", "show", "chayuan", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "chayuan" and data["visual"]["palette"]["primary"].startswith("#")


def _edit(kit_dir: Path, mutate) -> None:
    path = kit_dir / "kit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _line_of(kit_dir: Path, needle: str) -> int:
    for number, line in enumerate((kit_dir / "kit.yaml").read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in kit.yaml")


BROKEN_KITS = {
    "missing field": (lambda d: d.pop("voice"), "voice", "Field required"),
    "wrong type": (lambda d: d.update(markets="US"), "markets", "valid list"),
    "bad colour": (lambda d: d["visual"]["palette"].update(primary="blue-ish"), "visual.palette.primary", "hex colour"),
    "logo missing": (lambda d: d["visual"].update(logo="assets/nope.png"), "visual.logo", "does not exist"),
    "logo escapes": (lambda d: d["visual"].update(logo="../../../etc/passwd"), "visual.logo", "escapes the kit folder"),
    "duplicate segment": (lambda d: d["segments"].append(dict(d["segments"][0])), "segments", "duplicate segment id"),
    "unknown key": (lambda d: d.update(colour_scheme="dark"), "colour_scheme", "unknown field"),
    "unknown channel": (lambda d: d["default_channels"].append("fax"), "default_channels", "unknown channel 'fax'"),
    "sensitive segment": (
        lambda d: d["segments"][0].update(targeting=[{"attribute": "religion", "value": "any"}]),
        "segments.0",
        "religio",
    ),
    "minors": (
        lambda d: d["segments"][1].update(targeting=[{"attribute": "age_range", "value": "13-17"}]),
        "segments.1",
        "minors",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_KITS))
def test_broken_kit_fails_with_file_line_and_field(case, kit_copy):
    mutate, field, message = BROKEN_KITS[case]
    kit_dir = kit_copy()
    _edit(kit_dir, mutate)
    with pytest.raises(KitError) as info:
        load_kit_dir(kit_dir)
    error = str(info.value)
    assert error.startswith(f"{kit_dir / 'kit.yaml'}:"), error
    assert re.match(r".*kit\.yaml:\d+: field '", error), error
    assert f"field '{field}" in error and message in error, error
    assert "\n" not in error

    result = studio("kit", "validate", str(kit_dir))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and field in result.stderr


def test_error_line_points_at_the_offending_line(kit_copy):
    kit_dir = kit_copy()
    _edit(kit_dir, lambda d: d["visual"]["palette"].update(accent="not-a-colour"))
    with pytest.raises(KitError) as info:
        load_kit_dir(kit_dir)
    assert f"kit.yaml:{_line_of(kit_dir, 'not-a-colour')}:" in str(info.value)


def test_invalid_yaml_names_the_line(kit_copy):
    kit_dir = kit_copy()
    path = kit_dir / "kit.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "name: [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = studio("kit", "validate", str(kit_dir))
    assert result.returncode == 2
    assert re.search(r"kit\.yaml:\d+: invalid YAML", result.stderr), result.stderr


def test_valid_kit_validates(kit_copy):
    result = studio("kit", "validate", str(kit_copy("chayuan")), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True


def test_list_kits_finds_the_samples():
    assert {k.kit.id for k in list_kits(KITS_DIR)} >= set(SAMPLE_KITS)


def test_help_lists_every_contract_command():
    result = studio("--help")
    for command in ("serve", "kit", "generate", "batch", "check", "review", "export", "verify", "eval"):
        assert command in result.stdout


@pytest.mark.parametrize("targeting", [
    {"attribute": "max_age", "value": 17},
    {"attribute": "age_group", "value": "under 18"},
    {"attribute": "health_condition", "value": "diabetes"},
    {"attribute": "zip_code", "value": "97209"},
])
def test_sensitive_targeting_variants_are_rejected(targeting, kit_copy):
    kit_dir = kit_copy()
    _edit(kit_dir, lambda d: d["segments"][0].update(targeting=[targeting]))
    with pytest.raises(KitError, match="segments.0"):
        load_kit_dir(kit_dir)


def test_segment_channel_and_language_must_fit_the_kit(kit_copy):
    kit_dir = kit_copy()
    _edit(kit_dir, lambda d: d["segments"][0].update(preferred_channels=["myspace"]))
    with pytest.raises(KitError, match=r"segments\.0\.preferred_channels.*unknown channel 'myspace'"):
        load_kit_dir(kit_dir)
    kit_dir = kit_copy("chayuan")
    _edit(kit_dir, lambda d: d["segments"][0].update(language="en"))
    with pytest.raises(KitError, match="not one of the kit's languages"):
        load_kit_dir(kit_dir)


def test_the_kit_cache_loads_once_for_threads_that_miss_together_and_again_when_modules_change(kit_copy, monkeypatch):
    import threading

    from studio.kits import cache

    root = kit_copy("northpeak")
    loads = []
    real_load = cache.load_kit
    monkeypatch.setattr(cache, "load_kit", lambda *a, **kw: loads.append(a) or real_load(*a, **kw))
    start = threading.Barrier(8)
    got = []

    def row():
        start.wait()
        got.append(cache.cached_kit("northpeak", root.parent))

    threads = [threading.Thread(target=row) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and len({id(k) for k in got}) == 1, "one parse for eight rows that started together"
    (root / "modules" / "extra.yaml").write_text(
        "modules:\n  - {id: np-hl-extra-test, role: headline, text: \"Dry at both ends of the commute\"}\n", encoding="utf-8")
    reloaded = cache.cached_kit("northpeak", root.parent)
    assert len(loads) == 2 and "np-hl-extra-test" in {m.id for m in reloaded.modules}
