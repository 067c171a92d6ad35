"""The learned Chinese garble signal (studio/checks/quality/garble_model.py, garble_model_zh_v1.json): it ranks
salad of real words above well-formed copy, reports a sentence of the 135M model's kind of salad that the rules let
through at that sentence,
never flags a sentence of the chayuan voice examples, and its fast sentence split is the plain one. Salad and copy
written for these tests (in the manner of the 135M model's output), not taken from any eval or training file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from studio.checks import get_checker
from studio.checks.quality import garble_model, garbled_zh
from studio.checks.quality.config import quality_config
from studio.checks.quality.gate import QualityGate
from studio.config import get_settings
from studio.kits import load_kit
from studio.language import HAN_RUN

ROOT = Path(__file__).resolve().parents[1]

SALAD = [
    "都成为更加精选的第一个茶值收入，请提供。",
    "这个好值最前的更新系列，表示为更加的第一手。",
    "最近分类都是一个更加的重要提取，保持所有名称。",
    "电子茶品最接进行性质量转换，老式化。",
]
COPY = [
    "周末带一壶冷泡茶去公园，找块树荫慢慢喝。",
    "新茶到了，今年雨水多，香气比往年更清一些。",
    "下单满两罐送一只玻璃杯，数量有限，送完即止。",
    "热水冲开，三十秒出汤，第一泡先别急着喝。",
    "办公室午后犯困，来一杯茉莉绿，清清爽爽。",
    "妈妈说这款茶不苦，她每天早上都要泡一杯。",
]


@pytest.fixture(scope="module")
def model():
    m = garble_model.get_garble_model()
    assert m is not None, "the shipped garble model file is missing"
    return m


def sentence_scores(model, text: str, known: tuple = ()) -> list[tuple[str, float]]:
    """Every sentence of the text with its score, stray characters or not (the gate scores only those with one)."""
    cfg = quality_config()["garbled"]["zh"]
    runs = [(m.start(), m.group(), len(garbled_zh.stray(m.group(), known, cfg))) for m in HAN_RUN.finditer(text)]
    units = garble_model.sentences(text, runs)
    if not units:
        return []
    import numpy as np

    dense = np.asarray([garble_model.dense_features(inside, known, stray) for _, _, inside, stray in units])
    probs = model.scores([" ".join(inside) for _, _, inside, _ in units], dense)
    return [(text[s:e], float(p)) for (s, e, _, _), p in zip(units, probs)]


def test_written_salad_scores_above_every_written_copy_sentence(model):
    salad = [score for t in SALAD for _, score in sentence_scores(model, t)]
    copy = [score for t in COPY for _, score in sentence_scores(model, t)]
    assert min(salad) > max(copy), (salad, copy)


def test_salad_the_rules_let_through_is_reported_at_its_sentence(model):
    checker = get_checker(None)
    # the 135M model's habits (彩, 最富, 知名, 拿杯) strung into a sentence whose characters all sit in words
    salad = "知名彩架最富性，回转持修拿杯。"
    text = "新茶到了，今年雨水多，香气比往年更清一些。" + salad + "下单满两罐送一只玻璃杯。"
    found = [f for f in checker.check_text(text).findings if f.category == "garbled"]
    assert [(f.text, f.source) for f in found] == [(salad, "model")]
    assert found[0].score >= model.threshold and "learned model" in found[0].message
    # the same sentence alone, without the salad: nothing
    assert [f for f in checker.check_text(text.replace(salad, "")).findings if f.category == "garbled"] == []


def test_no_sentence_of_the_chayuan_voice_examples_reaches_the_threshold(model):
    known = (QualityGate(load_kit("chayuan", get_settings().kits_dir)).known,)
    voice = [p for path in sorted((ROOT / "brand_kits" / "chayuan" / "voice").glob("*.md"))
             for p in path.read_text(encoding="utf-8").split("\n\n") if HAN_RUN.search(p)]
    scored = [(s, score) for p in voice for s, score in sentence_scores(model, p, known)]
    assert len(scored) > 300
    assert [(s, round(score, 3)) for s, score in scored if score >= model.threshold] == []


_PLAIN_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")


def _plain_sentences(text, runs, min_stray):
    out = []
    for m in _PLAIN_SENTENCE.finditer(text):
        inside = [(r, k) for start, r, k in runs if m.start() <= start < m.end()]
        if sum(len(r) for r, _ in inside) >= garble_model.MIN_HAN and sum(k for _, k in inside) >= min_stray:
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append((s, e, tuple(r for r, _ in inside), sum(k for _, k in inside)))
    return out


def test_the_stray_driven_sentence_split_is_the_plain_split():
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "evals" / "checks").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["。。abc茶茶茶茶茶茶！！\n\n  冷泡茶包好喝吗？？是的;;的的的的的的", "春山绿冷泡茶包\n上新啦！！！首单包邮。。。", "", "茶"]
    for i, text in enumerate(texts):
        # stray counts that vary from run to run, so both skipped and kept runs meet at sentence edges
        runs = [(m.start(), m.group(), (i + k) % 2) for k, m in enumerate(HAN_RUN.finditer(text))]
        for min_stray in (0, 1):
            assert garble_model.sentences(text, runs, min_stray) == _plain_sentences(text, runs, min_stray), text
