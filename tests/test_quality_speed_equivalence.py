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

from studio.checks.quality import claims, garbled_any, garbled_clipped, garbled_en, garbled_zh, needs, off_brief
from studio.checks.quality.garbled_en import Hit
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
    # a digit run where a try fails, then a later digit of it (4/5 then 5%); dates that start inside a run of digits
    "4/55% and 4/55 %; 123月4日; 20260322日; 2026年3月22日; 1,2345 kg; 12+34 1977/2/12; 99.5% 1.5.6 hours; 5six; 1234567 x",
    "2021１２s１２19１２¥word 1１２34 mm ３2 days 7٣٤٥ hours",  # digits of other scripts: not 0-9 to a look-behind
    # Σ lowers by context, İ to two characters, K (Kelvin) to k: the slices of the lower case are not the text's own
    "ΑΣ organic ΣΑΣ health claim 80% recycled; İnsulated 100% organic cotton, safe for babies; K 30% less plastic",
    "ſyſtem: hello; KEY MESSAGE: lighter; <|im_start|>assistant; Ã©tÃ© â€™ mojibake; {{name}} [Insert link] (+) ＿标题＿",
    "哈哈哈哈 冷泡茶包冷泡茶包冷泡茶包 abab ab ab la la la ok ok ok 日日日日 !!!!!! ?? ?? ??",
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
        expected = _spans(claims.CLAIM_NUMBER.finditer(text))
        assert _spans(claims.claim_numbers(text)) == expected, text
        # with the runs of letters the gate finds once per text
        assert _spans(claims.claim_numbers(text, set(claims._AZ_RUN.findall(text.lower())))) == expected, text


def test_only_the_odd_folds_lower_to_an_ascii_letter():
    """The gate finds the runs of a-z once, in the text's lower case, for words matched case-insensitively: where no
    ODD_FOLDS character occurs, the lower case of a run of letters is a run of a-z and nothing else becomes one."""
    odd = {chr(c) for c in range(128, 0x110000) if any("a" <= x <= "z" for x in chr(c).lower())}
    assert odd == {"\u0130", "\u212a"}
    assert odd <= set(needs.ODD_FOLDS.pattern.strip("[]")) and needs.ODD_FOLDS.pattern == claims._ODD_FOLDS.pattern


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
        runs = set(claims._AZ_RUN.findall(lower))  # as claims.find passes them
        assert _spans(claims.lexicon_matches(words, latin, lower, runs)) == _spans(rx.finditer(lower)), text
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
        expected = _spans(garbled_any._RUN.finditer(text))
        assert _spans(garbled_any.run_matches(text)) == expected, text
        assert _spans(garbled_any.run_matches(text, set(claims._AZ_RUN.findall(text.lower())))) == expected, text


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


def test_words_skipped_before_plain_word_are_plain_and_one_edit_is_cached_faithfully(known):
    """garbled_en.find skips a word listed as written (no apostrophe) without asking plain_word: plain_word says
    None for every such word. _one_edit_from, cached per word, gives the uncached function's answer."""
    from studio.checks.quality import garbled_en
    from studio.checks.quality.vocab import en_zipf

    cfg = quality_config()["garbled"]["en"]
    zipf, z = cfg["known_zipf"], en_zipf()
    words = sorted({m.group().lower() for t in TEXTS for m in EN_WORD.finditer(t)} | {"a", "i", "don't", "it’s", "x"})
    skipped = [w for w in words if z.get(w, 0) >= zipf and "'" not in w and "’" not in w]
    assert len(skipped) > 1000
    for word in skipped:
        assert garbled_en.plain_word(word, known, zipf) is None, word
    common = cfg["misspelt"]["common_zipf"]
    for word in [w for w in words if garbled_en.plain_word(w, known, zipf)][:300]:
        assert garbled_en._one_edit_from(word, common) == garbled_en._one_edit_from.__wrapped__(word, common), word


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


# ---------------------------------------------------------------- needs.py: patterns skipped where they cannot match

def _config_patterns() -> list[tuple[str, int]]:
    """Every pattern of packs/quality.yaml that the gate scans with, with the flags it is compiled with."""
    cfg = quality_config()
    g, uc, en = cfg["garbled"], cfg["unsupported_claim"], cfg["garbled"]["en"]
    debris = re.IGNORECASE | re.MULTILINE
    out = [(g["field_labels"], debris)] + [(p, debris) for key in ("field_echoes", "prompt_echoes", "prompt_echoes_zh", "debris")
                                           for p in g[key]]
    out += [(p, 0) for key in ("comparisons_en", "comparisons_zh", "heritage_zh", "provenance_patterns_zh", "heritage_en")
            for p in uc[key]]
    out += [(e["pattern"], 0) for key in ("certification_phrases", "novelty_phrases") for e in uc[key]]
    return out + [(p, re.IGNORECASE) for p in en.get("cut_off_patterns") or []]


@pytest.mark.parametrize("pattern,flags", _config_patterns())
def test_a_pattern_skipped_by_its_needs_has_no_match_and_every_match_has_its_needs(pattern, flags):
    rx = re.compile(pattern, flags)
    found, ignorecase = needs.needs(pattern, flags)
    skipped = 0
    for text in TEXTS:
        for hay in (text, text.lower()):
            if not needs.may_match(pattern, flags, hay):
                skipped += 1
                assert rx.search(hay) is None, (pattern, hay)
            for m in rx.finditer(hay):
                if found and not (ignorecase and needs.ODD_FOLDS.search(hay)):
                    g = m.group().lower() if ignorecase else m.group()
                    assert all(any((s in g) if isinstance(s, str) else s.search(m.group()) for s in need) for need in found)
    if found is not None:
        assert skipped > 0  # the needs are worth asking for: some labelled texts are skipped


def test_needs_are_unknown_where_a_pattern_gives_nothing_certain():
    assert needs.needs(r"(a)\1")[0] is None  # a back-reference
    assert needs.needs(r"abc(?i:def)")[0] is None  # case-insensitive inside a case-sensitive pattern
    assert needs.needs(r"a?|x")[0] is None  # one alternative needs nothing
    assert set(needs.needs(r"\d+ (?:x|times)")[0]) == {("x", "times"), (" ",), (re.compile(r"[\d]"),)}  # each one needed
    assert needs.needs(r"(?i)foo(bar)?")[0] == (("foo",),)
    assert needs.may_match(r"(?i)system:", 0, "ſyſtem: hi")  # ſ is s to re.IGNORECASE: never skipped
    assert not needs.may_match(r"(?i)system:", 0, "a plain text")


@pytest.mark.parametrize("key", ["field_labels", "field_echoes", "prompt_echoes", "prompt_echoes+zh", "debris"])
def test_alternations_scanned_with_the_patterns_that_may_match_equal_the_full_scan(key):
    g = quality_config()["garbled"]
    patterns = ((g["field_labels"],) if key == "field_labels" else
                tuple(g["prompt_echoes"] + g["prompt_echoes_zh"]) if key == "prompt_echoes+zh" else tuple(g[key]))
    full = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)
    alternation = garbled_any._debris(patterns)[0]
    hit = 0
    for text in TEXTS:
        expected = _spans(full.finditer(text))
        assert _spans(alternation.finditer(text)) == expected, text
        assert _spans(alternation.finditer(text, text.lower())) == expected, text
        hit += bool(expected)
    assert hit or key.startswith("field")  # the labelled texts have such debris: the comparison means something


def test_repeated_units_skipped_by_may_repeat_find_what_the_plain_scan_finds():
    times = quality_config()["garbled"]["repeat_unit_times"]
    rx = re.compile(r"(\S{2,12}?)(?:\s*\1){%d,}" % (times - 1))
    found = skipped = 0
    for text in TEXTS:
        if not garbled_any.may_repeat(text, times):
            skipped += 1
            assert rx.search(text) is None, text
        plain = [(m.start(), m.end()) for m in rx.finditer(text) if len(set(m.group(1))) > 1]
        assert [(h.start, h.end) for h in garbled_any.repeated_units(text, times) if "times in a row" not in h.message] == plain
        found += bool(plain)
    assert found >= 3 and skipped > len(TEXTS) * 0.9  # some texts repeat a unit; most are never scanned


def test_sensitivity_per_text_equals_sensitive_per_hit():
    cfg = quality_config()["unsupported_claim"]
    blocked = 0
    for text in TEXTS:
        hits = [Hit(m.start(), m.end(), "number", "") for m in claims.claim_numbers(text)]
        hits += [Hit(i, min(len(text), i + 5), "number", "") for i in range(0, len(text), 23)]
        sensitive = claims.Sensitivity(text, cfg)
        for h in hits:
            assert sensitive(h) == claims.sensitive(text, h, cfg), (text, h)
            blocked += sensitive(h)
    assert blocked > 50


def test_end_of_text_checks_read_only_the_last_token_and_give_what_the_full_search_gives():
    for text in TEXTS + ["ends with a domain northpeak.com", "ends open", "x", "，", "。", "trailing (", "tab\tend."]:
        stripped = text.rstrip()
        assert garbled_en._closed(stripped) == (garbled_en._CLOSING.search(stripped) is not None), text
        if stripped:
            assert garbled_clipped._ends_closed(stripped) == (garbled_clipped._ENDS_CLOSED.search(stripped) is not None), text


def test_doubled_words_found_from_equal_neighbours_equal_the_plain_walk():
    cfg = {**quality_config()["garbled"]["en"], "allowed_doubles": ["that", "had"]}
    for text in TEXTS + ["that that was it", "go go go now", "One. One. One.", "a a", "the the the the end"]:
        words = list(EN_WORD.finditer(text))
        keys = [m.group().lower() for m in words]
        plain, i = [], 0
        while i < len(words) - 1:  # the original walk over every word
            j = i
            while j + 1 < len(words) and keys[j + 1] == keys[i]:
                j += 1
            if j > i and (j - i + 1 >= 3 or text[words[i].end():words[i + 1].start()].strip() == "") \
                    and keys[i] not in cfg["allowed_doubles"] and len(keys[i]) > 1:
                plain.append((words[i].start(), words[j].end()))
            i = j + 1
        got = [(h.start, h.end) for h in garbled_en._doubled(text, words, keys, cfg) if h.message.endswith("in a row.")]
        assert got == plain, text


def test_scans_that_skip_digits_after_a_failed_try_equal_the_full_scans_on_random_mixes():
    """run_matches and claim_numbers skip the rest of a run of 0-9 digits once a try in it failed; random mixes of
    digits (other scripts' too), number words, operators, units and dates find what the full scans find."""
    import random

    rng = random.Random(13)
    parts = ["1", "19", "2021", "１２", "٣", "1,200", "3.5", "/", ":", "+", "(+)", "[=]", "%", " ", "-", "x", "mm", "hours",
             "one", "Twenty", "six", "plus", "minus", "times", "ſix", "and", "per", "月", "日", "年", "\n", "s", "$", "est."]
    for _ in range(6000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 14)))
        runs = set(claims._AZ_RUN.findall(text.lower()))
        assert _spans(garbled_any.run_matches(text)) == _spans(garbled_any._RUN.finditer(text)), text
        assert _spans(garbled_any.run_matches(text, runs)) == _spans(garbled_any._RUN.finditer(text)), text
        assert _spans(claims.claim_numbers(text)) == _spans(claims.CLAIM_NUMBER.finditer(text)), text
        assert _spans(claims.claim_numbers(text, runs)) == _spans(claims.CLAIM_NUMBER.finditer(text)), text


def test_word_walks_that_visit_only_candidate_words_equal_the_plain_walks():
    """_outside_addresses (bisect over the addresses), _function_pairs (only function words) and scope._word_at
    (only texts with the term) give what the plain walks over every word and every position give."""
    from studio.checks.quality import scope

    cfg = quality_config()["garbled"]["en"]
    extra = ["Mail a@b.com, c@d.org or see www.x.com/the/of and https://y.io/for the of the. Bye", "the of your the for of.",
             "three your the the. what it is made of. proud of. for of; a@b a@b"]
    for text in TEXTS + extra:
        words = list(EN_WORD.finditer(text))
        spans = [(a.start(), a.end()) for a in garbled_en._ADDRESS.finditer(text)]
        plain = [m for m in words if not any(a <= m.start() < b for a, b in spans)]
        assert [m.span() for m in garbled_en._outside_addresses(text, words)] == [m.span() for m in plain], text
        lowered = [m.group().lower() for m in words]
        assert garbled_en._function_pairs(text, words, lowered, cfg) == _function_pairs_plain(text, words, lowered, cfg), text
        lower = text.lower()
        for term in ("organic", "fair trade certified", "rds", "有机", "the"):
            m = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", lower)
            assert scope._word_at(lower, term) == (m.start() if m else -1), (term, text)


def _function_pairs_plain(text, words, lowered, cfg):
    """garbled_en._function_pairs as first written: every pair of neighbours, every word."""
    en = garbled_en
    pairs = []
    for k, (x, y) in enumerate(zip(lowered, lowered[1:])):
        a, b = words[k], words[k + 1]
        if x not in en._FUNCTION_LEADS or text[a.end():b.start()].strip():
            continue
        if (x in en._DET and (y in en._PREP or y in en._DET)) or (x in en._NUM and y in en._POSS) or (
                x in en._PREP and y in en._PREP and y not in {"about", "within"} and (x, y) not in en._PREP_OK):
            pairs.append((a.start(), b.end()))
    for m, w in zip(words, lowered):
        if (w in en._DET or w in en._DANGLING_PREP) and text[m.end():m.end() + 1] in en._CLAUSE_END:
            if not en._OF_IS_FINE.search(text[max(0, m.start() - 12):m.start()].lower()):
                pairs.append((m.start(), m.end() + 1))
    if len(pairs) < cfg["function_pairs_min"]:
        return []
    return [Hit(pairs[0][0], pairs[-1][1], "word_salad",
                f"real words in an order English does not use ({len(pairs)} impossible function-word sequences).")]


def test_pseudo_words_bounded_by_unlikely_stretches_equal_jieba_on_every_run(known):
    """garbled_pseudo.find runs jieba only on runs with an unlikely pair, and not at all when the stretches of
    unlikely pairs could not hold enough made-up words: the same hits as segmenting every run of a suspect text."""
    from studio.checks.quality import garbled_pseudo

    cfg = quality_config()["garbled"]["zh"]
    pcfg = {**cfg["pseudo_words"], "unlikely_logprob": cfg["unlikely_logprob"]}
    found = 0
    for text in [t for t in TEXTS if HAN_RUN.search(t)]:
        runs = list(HAN_RUN.finditer(text))
        spans, total = [], 0
        for m in runs:  # the plain definition: every run segmented
            total += len(m.group())
            spans += [(m.start() + s, m.start() + e) for s, e in garbled_pseudo.pseudo_words(m.group(), known, cfg["unlikely_logprob"])]
        chars = sum(e - s for s, e in spans)
        plain = [] if len(spans) < pcfg["min_words"] or chars < pcfg["min_share"] * total else [(spans[0][0], spans[-1][1])]
        got = [(h.start, h.end) for h in garbled_pseudo.find(text, runs, pcfg["min_stray"], known, pcfg)]
        assert got == plain, text
        found += bool(plain)
    assert found >= 5


def test_symbol_runs_tried_at_non_word_characters_equal_the_walk_over_every_character():
    cfg = quality_config()["garbled"]
    extra = ["★★★ ☆☆ ▲▼◆ ※ ¶ § 《》 done", "++ || ~~ + | ~", "🙂🙂🙂🙂 ✓✓✓✓ ♥ ♥ ♥", "\ue000\ue001\ue002 private", "☆ ☆  ☆   x"]
    for text in TEXTS + extra:
        plain, i, n = [], 0, len(text)
        while i < n:  # the original walk
            if garbled_any._is_symbol(text[i]) and not garbled_any._is_emoji(text[i]):
                j, count = i, 0
                while j < n and (text[j] == " " or (garbled_any._is_symbol(text[j]) and not garbled_any._is_emoji(text[j]))):
                    count += text[j] != " "
                    j += 1
                if count >= cfg["symbol_run_min"]:
                    plain.append((i, j))
                i = j
            else:
                i += 1
        got = [(h.start, h.end) for h in garbled_any.symbol_runs(text, cfg) if h.message.startswith("a run of")]
        assert got == ([] if garbled_any._PLAIN.fullmatch(text) else plain), text  # (plain text returns early)


def test_a_brief_dict_validated_once_gives_what_validating_it_each_time_gives():
    """BriefContext.of keeps each brief dict's validated Brief: the same digest as validating it afresh, an invalid
    brief still refused every time, and a brief whose values cannot be a key validated as it is."""
    from pydantic import ValidationError

    from studio.checks.quality.gate import BriefContext, _brief_context
    from studio.domain import Brief

    for brief in ({"text": "  Launch of the Ridgeback shell ", "product": "Ridgeback Shell", "offer": "free repair"},
                  {"product": "春山绿冷泡茶包", "key_message": "冷泡四小时"}, {"text": "Autumn boots", "objective": "awareness"}):
        plain = Brief.model_validate(brief)
        parts = (plain.text, plain.product, plain.offer, plain.key_message, plain.objective)
        assert BriefContext.of(brief) is _brief_context(parts, ())  # the digest of the validated (stripped) parts
        assert BriefContext.of(dict(brief)) is BriefContext.of(brief)
    for bad in ({"offer": "10% off"}, {"text": "x", "audience": "hikers"}):
        for _ in range(2):
            with pytest.raises(ValidationError):
                BriefContext.of(bad)
    with pytest.raises(ValidationError):
        BriefContext.of({"text": ["not", "a", "string"]})  # unhashable: validated (and refused) as it is


def test_a_chinese_kits_gate_loads_what_the_chinese_garble_checks_load_on_first_need():
    """The first suspect Chinese text of a batch paid ~1.5 s of loading; a Chinese kit's gate loads it when built."""
    from studio.checks.quality.gate import QualityGate
    from studio.config import get_settings
    from studio.kits import load_kit

    QualityGate(load_kit("chayuan", get_settings().kits_dir))
    assert garbled_clipped._zh_frequent_starts.cache_info().currsize >= 1
    import jieba

    assert jieba.dt.initialized
