"""The quality gate's fast paths give exactly what their plain definitions give (issue 13/15 speed work).

Each fast path is compared with the definition it replaces on the labelled texts of evals/quality and
evals/checks, the benchmark's sentences and hand-made edge cases (case folds, digits of other scripts,
prefixes, runs that start mid-word)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from studio.checks.quality import claims, garbled_any, garbled_zh, off_brief
from studio.checks.quality.config import quality_config
from studio.checks.quality.vocab import EN_WORD, KnownText
from studio.language import HAN_RUN

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

EDGE_CASES = [
    "Since 1975, est. 1990 and established 2001; yearsestablished 1975; in $20, from ￥30, in 3 days, In 2020.",
    "since\u00a01999 in\t$5 from  2030 est.1980 ESTABLISHED 1910 rain 2021 in2020 in 19",
    "1977/2/12, 11:25(+) [+] 10% six hundred + ten thousand plus two thirds; Twenty-one minus ſix times 3",
    "٣ + ٤ = ٧ and ３ × ４ ÷ ２; (+) [ = ] twelve-thirty per 4 and 5 or 6 kg; +1 206 555 0147",
    "RECYCLED NYLON, ſilk and Kashmir wool; İnsulated organic cotton; eco-friendly, PFAS-free; 100% recycled",
    "Our best-selling, award-winning, highest-rated shell; clinically proven; certified organic; made in Portugal",
    "春山绿有机产品认证，明前采摘，冷泡四小时。全网最好喝！3 月 22 日上新，买二送一，百分之九十，十二年老茶园",
    "涩炒鸭悬檩冷泡茶包冷泡茶包哈哈哈哈日日日日，春山绿春山绿春山绿",
    "sİx hours, ſeven days, nıne weeks, İN 2020", "Seventeen days, SEVEN weeks; est.\t\t$5; rain \u00a0 2020; in\n1999",
    "in$5 in 1 in  ￥9 from 19 establishedx 2001 Established   2001", "", "a", "1", "in", "K", "ſ", "onetwo three3 3three four-five 7 8 9 10 11 12 13",
]


def _texts() -> list[str]:
    import checks as bench  # bench/checks.py: the benchmark's sentences

    texts = list(EDGE_CASES) + bench.SENTENCES_EN + bench.SENTENCES_ZH
    for path in sorted((ROOT / "evals" / "quality").glob("*.jsonl")) + sorted((ROOT / "evals" / "checks").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


TEXTS = _texts()


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(TEXTS) > 500
    assert sum(1 for t in TEXTS if HAN_RUN.search(t)) > 100


def test_odd_case_folds_are_all_the_characters_ignorecase_equates_with_an_ascii_letter():
    odd = {chr(c) for c in range(128, 0x110000) if re.fullmatch("[a-z]", chr(c), re.IGNORECASE)}
    assert odd == set(claims._ODD_FOLDS.pattern.strip("[]"))


def test_claim_numbers_matches_the_full_scan():
    for text in TEXTS:
        assert _spans(claims.claim_numbers(text)) == _spans(claims.CLAIM_NUMBER.finditer(text)), text


@pytest.mark.parametrize("key", [k for k, v in quality_config()["unsupported_claim"].items()
                                 if isinstance(v, list) and v and isinstance(v[0], str)
                                 and k.rsplit("_", 1)[-1] in ("en", "zh") and not k.startswith(("comparisons", "provenance_patterns"))])
def test_lexicon_matches_equal_the_regex_scan(key):
    words = tuple(quality_config()["unsupported_claim"][key])
    latin = key.endswith("_en")
    rx = claims._lexicon(words, latin)
    for text in TEXTS + [w.upper() + " " + w for w in words]:
        lower = text.lower()
        assert _spans(claims.lexicon_matches(words, latin, lower)) == _spans(rx.finditer(lower)), text
        assert claims.lexicon_found(words, latin, lower) == (rx.search(lower) is not None), text
        for start in range(0, len(lower), 40):  # the windows sensitive() reads
            window = lower[start:start + 85]
            assert claims.lexicon_found(words, latin, window) == (rx.search(window) is not None), window


def test_lexicon_with_an_entry_outside_ascii_and_han_falls_back_to_the_scan():
    words = ("café crème", "naïve")
    assert claims._entry_literals(words) is None
    lower = "a café crème, très naïve"
    assert _spans(claims.lexicon_matches(words, True, lower)) == _spans(claims._lexicon(words, True).finditer(lower))
    assert claims.lexicon_found(words, True, lower) and not claims.lexicon_found(words, True, "plain text")


def test_cached_kinds_and_values_equal_the_plain_functions():
    for text in TEXTS:
        for m in claims.CLAIM_NUMBER.finditer(text):
            s = m.group()
            assert claims.kind_of(s) == claims.kind_of.__wrapped__(s)
            assert claims._values(s) == list(claims._values_of.__wrapped__(s))


def test_number_runs_match_the_full_scan():
    for text in TEXTS:
        assert _spans(garbled_any.run_matches(text)) == _spans(garbled_any._RUN.finditer(text)), text


@pytest.fixture(scope="module")
def known() -> tuple[KnownText, ...]:
    return (KnownText(["春山绿冷泡茶包，明前采摘的安吉白茶。", "Northpeak Ridgeback Shell"]), KnownText(["首单包邮，冷泡四小时"]))


def test_covered_fast_equals_covered(known):
    runs = {r for t in TEXTS for r in HAN_RUN.findall(t)}
    assert len(runs) > 300
    for run in runs:
        assert garbled_zh._covered_fast(run, known) == garbled_zh._covered(run, known), run
        assert garbled_zh._covered_fast(run, known[:1]) == garbled_zh._covered(run, known[:1]), run


def test_stray_cached_equals_stray_recomputed(known):
    cfg = quality_config()["garbled"]["zh"]
    model, singles = garbled_zh.get_model(), garbled_zh._single_zipf()
    for run in sorted({r for t in TEXTS for r in HAN_RUN.findall(t)})[:400]:
        cov = garbled_zh._covered(run, known)
        plain = [i for i, c in enumerate(run) if len(run) >= 2 and not cov[i] and singles.get(c, 0.0) < cfg["single_zipf"]
                 and (i == 0 or model.logprob(run[i - 1], c) < cfg["unlikely_logprob"])
                 and (i == len(run) - 1 or model.logprob(c, run[i + 1]) < cfg["unlikely_logprob"])]
        assert garbled_zh.stray(run, known, cfg) == plain, run
        assert garbled_zh.stray(run, known, cfg) == plain, run  # the second call comes from the cache


def test_copy_index_equals_the_plain_stems():
    for text in TEXTS[:400]:
        stems, numbers = off_brief._copy_index.__wrapped__(text)
        assert stems == frozenset(off_brief._stem.__wrapped__(m.group()) for m in EN_WORD.finditer(text))
        assert numbers == frozenset(re.findall(r"\d+", text))


def test_cached_plain_word_equals_the_plain_definition(known):
    from studio.checks.quality import garbled_en

    zipf = quality_config()["garbled"]["en"]["known_zipf"]
    for word in sorted({m.group().lower() for t in TEXTS for m in EN_WORD.finditer(t)}):
        assert garbled_en._plain_word(word, known, zipf) == garbled_en.plain_word(word, known, zipf), word


def test_required_literals_are_in_every_match_and_skipping_texts_without_them_finds_the_same():
    assert claims.required_literals(r"\b(?:\w+er|more \w+) than (?:any|other)\b") == (" than ",)
    assert claims.required_literals(r"(?i)lighter than") == ()
    assert claims.required_literals(r"ab(c|d)e+f") == ("ab", "f")
    cfg = quality_config()["unsupported_claim"]
    extra = ["Lighter than any shell, warmer than others, twice as warm, 3x faster", "比普通茶包更香，提升了 30%"]
    for pattern in cfg["comparisons_en"] + cfg["comparisons_zh"]:
        for text in TEXTS + extra:
            lower = text.lower()
            matches = _spans(re.finditer(pattern, lower))
            skipped = not all(lit in lower for lit in claims.required_literals(pattern))
            assert matches == ([] if skipped else matches), (pattern, text)
            assert all(lit in g for _, _, g in matches for lit in claims.required_literals(pattern))


def test_doubled_phrases_equal_the_plain_scan():
    from studio.checks.quality import garbled_en

    cfg = {**quality_config()["garbled"]["en"], "allowed_doubles": []}
    extra = ["for your ride for your ride for your ride", "a b a b", "one two three one two three, one two three",
             "Once they're gone, they're gone", "go go", "x y z x y z x y z x y z"]
    for text in TEXTS + extra:
        words = list(EN_WORD.finditer(text))
        keys = [m.group().lower() for m in words]
        hits = garbled_en._doubled(text, words, keys, cfg)
        single = [(h.start, h.end) for h in hits if h.message.endswith("in a row.")]  # the single-word rule, first
        phrases = [(h.start, h.end) for h in hits if not h.message.endswith("in a row.")]
        assert phrases == _doubled_plain_after(text, words, keys, single), text
    assert _doubled_plain_after(extra[0], list(EN_WORD.finditer(extra[0])), extra[0].split(), [])  # the plain scan finds some


def _doubled_plain_after(text, words, keys, single):
    """The plain phrase scan, starting from the single-word hits as _doubled does."""
    hits = list(single)
    for n in range(2, 7):
        for s, (a, b) in enumerate(zip(keys, keys[n : len(keys) - n + 1])):
            if (a == b and keys[s : s + n] == keys[s + n : s + 2 * n] and not any(h0 <= words[s].start() < h1 for h0, h1 in hits)
                    and not re.search(r"[\n,;:—–]", text[words[s + n - 1].end() : words[s + n].start()])):
                hits.append((words[s].start(), words[s + 2 * n - 1].end()))
    return hits[len(single):]


def test_garble_scans_that_skip_texts_find_what_the_plain_scans_find():
    """stem_salad, run_together and the Chinese connective clauses first test whether a text can match at all;
    the plain scans (every run of words, every token, every clause) find the same."""
    from studio.checks.quality import garbled_en

    cfg = quality_config()["garbled"]
    stem, parts = cfg["en"]["stem_run"], cfg["en"]["run_together_parts"]
    conn, conn_min = cfg["zh"]["connectives"], cfg["zh"]["clause_connectives_min"]
    extra = ["guides guiding guided guidance", "Plan planning planned, planner", "The 28DayPackForLongAnimal is here",
             "#GetOutsideThisWeekend NP2026XMAS15 PackAwesome", "立冬因为红茶所以蜜香但是日光然后包邮", "虽然后来因为所以，但是"]
    for text in TEXTS + extra:
        words = list(EN_WORD.finditer(text))
        keys = [m.group().lower() for m in words]
        plain_stem = []
        i = 0
        while i < len(words):  # every maximal run of neighbours sharing the prefix
            j = i
            while (j + 1 < len(words) and len(keys[j + 1]) >= stem["prefix"] and keys[j + 1][:stem["prefix"]] == keys[i][:stem["prefix"]]
                   and text[words[j].end() : words[j + 1].start()] == " "):
                j += 1
            if j - i + 1 >= stem["min_words"] and len(set(keys[i : j + 1])) == j - i + 1:
                plain_stem.append((words[i].start(), words[j].end()))
            i = j + 1
        assert [(h.start, h.end) for h in garbled_en._stem_runs(text, words, keys, stem)] == plain_stem, text
        plain_run = [(m.start(), m.end()) for m in re.finditer(r"(?<![#@\w/.])[\w'’]*[A-Z0-9][\w'’]*", text)
                     if sum(1 for q in garbled_en._CAMEL_PART.findall(m.group()) if q[0].isupper() and q[1:2].islower()) >= parts]
        assert [(h.start, h.end) for h in garbled_en._run_together(text, words, parts)] == plain_run, text
        plain_conn = [(m.start(), m.end()) for m in garbled_zh._CLAUSE.finditer(text) if sum(m.group().count(c) for c in conn) >= conn_min]
        assert [(h.start, h.end) for h in garbled_zh._connective_clauses(text, conn, conn_min)] == plain_conn, text
    assert garbled_en._stem_runs(extra[0], list(EN_WORD.finditer(extra[0])), extra[0].split(), stem)  # the scans find some
    assert garbled_en._run_together(extra[2], [], parts) and garbled_zh._connective_clauses(extra[4], conn, conn_min)
