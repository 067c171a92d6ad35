"""The speed-ups of the check must not change a finding: each fast path against its plain definition.

- RuleIndex (rules looked up by trigger key) runs, for every rule, exactly the parts Rule.find would run,
  and finds the same spans;
- the reading level with syllables memoised per word is textstat's own number;
- Chinese normalisation through the per-character table is the per-character definition;
- dedupe grouped by category and field keeps what the all-pairs comparison keeps;
- the accessibility scans skipped by a quick test could not have found anything;
- the literals present in a text (positions looked up on demand) are LiteralIndex.find_all's;
- the rule index's parts filtered by required atoms are those a key test and may_match pick;
- the learned model's n-gram ids and tf-idf weights are their plain per-character definitions, and its
  per-word cache of known n-grams gives the same rows.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from studio.checks.engine import dedupe
from studio.checks.normalize import NormText, _EXTRA, normalize
from studio.checks.packs import RuleIndex, features, load_packs
from studio.domain import Finding, Severity
from tests.text_corpus import corpus



@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every rule example, a sample of the labelled texts (checks and quality suites), and pairs of them joined."""
    return corpus(seed=11, joiner="\n")


# ---------------------------------------------------------------- the rule index


def test_rule_index_picks_the_parts_a_linear_key_test_picks(texts):
    """For every market's rules, on every text: the same rules, the same parts, in the same order."""
    packs = load_packs()
    indexes = {m: RuleIndex(packs["common"] + packs[m]) for m in ("US", "EU", "CN")}
    checked = 0
    for text in texts:
        feats = features(normalize(text).text)
        for market, index in indexes.items():
            linear = []
            for rule in index.rules:
                if rule.matcher:
                    linear.append((rule.id, []))
                    continue
                parts = [p for p in rule.all_parts() if p[1] is None or not p[1].isdisjoint(feats)]
                if parts:
                    linear.append((rule.id, [id(p[0]) for p in parts]))
            indexed = [(rule.id, [id(p[0]) for p in parts]) for rule, parts in index.candidates(feats)]
            assert indexed == linear, (market, text)
            checked += sum(len(p) for _, p in linear)
    assert checked > 10_000  # the texts do reach the patterns


def test_rule_index_finds_the_same_spans_as_rule_find(texts):
    """Spans through the index (with the literal prefilter) equal Rule.find's, and there are some."""
    from studio.checks import get_checker

    checker = get_checker(None)
    rules = load_packs()["common"] + load_packs()["US"] + load_packs()["CN"]
    index = RuleIndex(rules)
    hits = 0
    for text in texts:
        t = normalize(text).text
        feats = features(t)
        found = checker.literal_index.find_all(t)
        by_index = {rule.id: rule.find_in(t, parts, found) for rule, parts in index.candidates(feats) if not rule.matcher}
        for rule in rules:
            if rule.matcher:
                continue
            expected = rule.find(t, feats)
            assert by_index.get(rule.id, []) == expected, (rule.id, text)
            hits += bool(expected)
    assert hits > 1_000


def test_rule_index_on_texts_written_for_it():
    """Triggers of several rules in one text, a rule with a matcher, and a text with none of the keys."""
    index = RuleIndex(load_packs()["common"] + load_packs()["US"])
    ids = lambda text: {r.id for r, parts in index.candidates(features(normalize(text).text)) if parts}  # noqa: E731
    both = ids("The best jacket, guaranteed to keep you dry, only 2 left!")
    assert {"common.claims.superlatives_en", "common.claims.guarantee_en"} <= both
    assert "common.claims.superlatives_en" not in ids("Layer it over the base layer when the wind picks up.")
    matchers = [r.id for r, parts in index.candidates(features("")) if r.matcher]
    assert "common.pii" in matchers  # a named matcher is always a candidate, without parts


# ---------------------------------------------------------------- reading level


def test_reading_grade_is_textstats_number(texts):
    import textstat

    from studio.checks.accessibility import flesch_kincaid_grade

    english = [t for t in texts if t.isascii()]
    edge = ["", "a", "...", "Don't stop-believing!! I'm here. x", "naïve café ﬁne 123 4.5 co-operate",
            "Supercalifragilisticexpialidocious zxqv brrr. Hmm."]
    for text in english + edge:
        assert flesch_kincaid_grade(text) == float(textstat.flesch_kincaid_grade(text)), text
    assert len(english) > 1_000


# ---------------------------------------------------------------- normalisation


def _normalize_plainly(text: str) -> NormText:
    """normalize() as it was written before the per-character table (the definition)."""
    simple = text.translate(_EXTRA)
    if unicodedata.is_normalized("NFKC", simple):
        lowered = simple.lower()
        if len(lowered) == len(text):
            return NormText(text, lowered)
    out, starts, ends = [], [], []
    for i, ch in enumerate(text):
        for p in unicodedata.normalize("NFKC", ch.translate(_EXTRA)).lower():
            out.append(p)
            starts.append(i)
            ends.append(i + 1)
    return NormText(text, "".join(out), starts, ends)


def test_normalize_matches_the_per_character_definition(texts):
    # full-width forms, ligatures and letters whose lower case or NFKC form is longer or shorter
    pool = list("abcXYZ ，。！？（）ＢＥＳＴｂｅｓｔ最好的茶ﬁﬀİΣσßǅ①⑩㎏™\u0301\u0345\u00e9\u2019\u201c\u3000\ufeff🔥\u200d")
    rng = random.Random(3)
    made = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(5_000)]
    for text in texts + made:
        assert normalize(text) == _normalize_plainly(text), text
    # the table's path really ran on texts whose length changes (a ligature) and on full-width punctuation
    assert normalize("ﬁne，好").text == "fine,好" and normalize("ﬁne，好").starts == [0, 0, 1, 2, 3, 4]


# ---------------------------------------------------------------- dedupe


def _dedupe_plainly(findings: list[Finding]) -> list[Finding]:
    ranked = sorted(findings, key=lambda f: (-f.severity.rank, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if not any(k.category == f.category and k.field == f.field and (
                (k.start < f.end and f.start < k.end) or (k.start == k.end == f.start == f.end)) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.field or "", f.start, f.end))


def test_dedupe_keeps_what_the_all_pairs_comparison_keeps():
    rng = random.Random(5)
    categories = ["absolute_claim", "pii", "health_claim"]
    for _ in range(500):
        findings = []
        for i in range(rng.randint(0, 25)):
            s = rng.randint(0, 40)
            findings.append(Finding(rule=f"r{i}", category=rng.choice(categories), severity=rng.choice(list(Severity)),
                                    start=s, end=s + rng.randint(0, 8), text="", message="",
                                    field=rng.choice([None, "subject", "body"])))
        assert dedupe(findings) == _dedupe_plainly(findings)


# ---------------------------------------------------------------- accessibility quick tests


def test_skipped_accessibility_scans_could_not_have_matched(texts):
    from studio.checks import accessibility as a

    made = ["CLICK HERE for more", "Tap  below", "LEARN MORE HERE", "click on this", "Get your ☕ on",
            "SUMMER SALE NOW ON", "It's GORGEOUS", "点击这里", "🔥🔥🔥 deal"]
    for text in texts + made:
        if a._EMOJI_ANY.search(text) is None:
            assert not a._EMOJI_RUN.search(text) and not a._EMOJI_FOR_WORD.search(text), text
        if a._CAPS_ANY.search(text) is None:
            assert not a._CAPS_RUN.search(text) and not a._CAPS_SINGLE.search(text), text
        if text.isascii() and not any(w in text.lower() for w in a._LINK_WORDS):
            assert not a._LINK_TEXT.search(text), text
    check = a.AccessibilityCheck()
    for text in made:
        assert check.findings(text), text  # and each made-up text is still flagged
    assert not check.findings("Plain words, no capitals, emoji or link text here.")


def test_alternatives_narrow_to_the_patterns_whose_atoms_occur():
    """A part of several patterns runs only those that can match; the narrowed regex finds what the whole does."""
    from studio.checks.packs import Alternatives
    from studio.checks.pattern_memo import PatternMemo
    from studio.checks.prefilter import LiteralIndex, find_at_leads

    alts = Alternatives.of([r"\bguaranteed returns?", r"\b[a-z]+ologists recommend", r"\brisk[- ]free"], PatternMemo())
    index = LiteralIndex(alts.literals())
    whole = re.compile(r"(?:\b[a-z]+ologists recommend)|(?:\bguaranteed returns?)|(?:\brisk[- ]free)")
    text = "guaranteed returns, risk-free, and guaranteed return again"
    regex, leads = alts.narrowed(index.find_all(text))
    assert leads == alts.leads[0] | alts.leads[2]  # the pattern without lead strings is left out: leads again
    assert [m.span() for m in find_at_leads(regex, text, leads)] == [m.span() for m in whole.finditer(text)]
    one, one_leads = alts.narrowed(index.find_all("risk free"))  # one pattern: its own regex, compiled once
    assert one.pattern == r"(?:\brisk[- ]free)" and one_leads == alts.leads[2]
    # where an active pattern has no leads, the active patterns' own alternation is scanned
    some, no_leads = alts.narrowed(index.find_all("dermatologists recommend it, risk-free"))
    assert no_leads is None and "guaranteed" not in some.pattern
    assert alts.narrowed(index.find_all("nothing of the kind")) is None
    # a pattern that refers to a group by number would be renumbered: such parts are not narrowed
    assert Alternatives.of([r"(a)\1", r"bb"], PatternMemo()) is None and Alternatives.of([r"only one"], PatternMemo()) is None


# ---------------------------------------------------------------- literals present, parts gated by atoms


def test_present_literals_are_find_alls(texts):
    """present(text) holds find_all(text)'s literals, and each one's positions are find_all's."""
    from studio.checks import get_checker

    index = get_checker(None).literal_index
    positions = 0
    for text in texts:
        t = normalize(text).text
        expected, present = index.find_all(t), index.present(t)
        assert set(present) == set(expected) and set(present.keys()) == set(expected.keys()), text
        for literal in sorted(expected, key=len)[:40]:  # the shortest: the most occurrences
            assert present[literal] == expected[literal], (literal, text)
            positions += len(expected[literal])
        with pytest.raises(KeyError):
            present["\x00 not a literal"]
    assert positions > 50_000


def test_rule_index_with_atoms_picks_the_parts_may_match_lets_through(texts):
    """candidates(feats, found): the parts candidates(feats) picks that may_match passes, rules with none left out
    (a rule with a named matcher stays, without parts)."""
    from studio.checks import get_checker
    from studio.checks.prefilter import may_match

    literal_index = get_checker(None).literal_index
    packs = load_packs()
    indexes = [RuleIndex(packs["common"] + packs[m]) for m in ("US", "EU", "CN")]
    dropped = kept = 0
    for text in texts:
        t = normalize(text).text
        feats, found = features(t), literal_index.present(t)
        for index in indexes:
            linear = []
            for rule, parts in index.candidates(feats):
                passing = [id(p[0]) for p in parts if not p[2] or may_match(p[2], found)]
                dropped += len(parts) - len(passing)
                if passing or rule.matcher:
                    linear.append((rule.id, passing))
            gated = [(rule.id, [id(p[0]) for p in parts]) for rule, parts in index.candidates(feats, found)]
            assert gated == linear, text
            kept += sum(len(p) for _, p in gated)
    assert dropped > 10_000 and kept > 10_000  # the atoms do drop parts, and many are still run


# ---------------------------------------------------------------- the learned model's features


def _ngram_ids_plainly(parts: list[str]) -> list[list[int]]:
    """Each part's n-gram ids, one n-gram at a time with Python integers (the definition in features.py)."""
    from studio.checks.learned.features import BITS, HI, LO

    prime, mix, mask = 1099511628211, 0x9E3779B97F4A7C15, (1 << 64) - 1
    out = []
    for part in parts:
        ids = []
        for word in part.lower().split():
            padded = f" {word} "
            for n in range(LO, HI + 1):
                for i in range(len(padded) - n + 1):
                    h = 0
                    for ch in padded[i : i + n]:
                        h = (h * prime + ord(ch)) & mask
                    ids.append((((h + n) * mix) & mask) >> (64 - BITS))
        out.append(sorted(ids))
    return out


def test_learned_ngram_ids_and_weights_are_their_definitions(texts):
    """ngram_ids (rolling hashes over the whole text) gives each part's hashed n-grams; tf_idf_rows the
    sublinear, L2-normalised tf-idf of those the model knows; tf_idf_known, which the model scores with,
    exactly tf_idf_rows's rows with each feature numbered."""
    import math
    from collections import Counter

    import numpy as np

    from studio.checks.learned import get_claims_model
    from studio.checks.learned.features import ngram_ids, tf_idf_known, tf_idf_rows

    model = get_claims_model()
    idf = model.idf
    rng = random.Random(7)
    checked = 0
    for text in texts[::3] + ["", " ", "a", "ab", "  two  spaces  ", "冷泡茶"]:
        parts = [p for p in re.split(r"(?<=[.!?。！？\n])", text)] if rng.random() < 0.5 else [text]
        part, fid = ngram_ids(parts)
        expected = _ngram_ids_plainly(parts)
        assert [sorted(fid[part == i].tolist()) for i in range(len(parts))] == expected, text
        rows = tf_idf_rows(parts, idf)
        part_k, number, w_k = tf_idf_known(parts, model.index, model.feature_idf)
        assert np.array_equal(part_k, rows[0]) and np.array_equal(model.feature_ids[number], rows[1]), text
        assert np.array_equal(w_k, rows[2]), text
        got = {(int(p), int(f)): w for p, f, w in zip(*rows)}
        want = {}
        for i, ids in enumerate(expected):
            weights = {f: (1.0 + math.log(c)) * idf[f] for f, c in Counter(ids).items() if idf[f] > 0}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            want.update({(i, f): w / norm for f, w in weights.items()})
        assert got.keys() == want.keys(), text
        assert np.allclose([got[k] for k in want], list(want.values()), rtol=1e-12, atol=0), text
        checked += len(want)
    assert checked > 100_000


def test_learned_word_cache_gives_tf_idf_knowns_rows(texts):
    """KnownGrams (each word's known n-grams remembered, what the model scores with) gives exactly tf_idf_known's
    rows, for words seen before and new ones, after its cache starts again (a tiny MAX_WORDS), and for Chinese
    (hashed whole, nothing remembered)."""
    import numpy as np

    from studio.checks.learned import get_claims_model
    from studio.checks.learned.features import KnownGrams, part_words, tf_idf_known

    model = get_claims_model()
    small = KnownGrams(model.index)
    small.MAX_WORDS = 50
    caches = [KnownGrams(model.index), small]
    checked = 0
    for text in texts[::2] + texts[::5] + ["", " ", "a", "  two  spaces  ", "冷泡茶", "A a A. a"]:
        parts = [p for p in re.split(r"(?<=[.!?。！？\n])", text)]
        want = tf_idf_known(parts, model.index, model.feature_idf)
        words = part_words(parts)  # (as ClaimsModel.scores shares them with the word pieces)
        for cache in caches:
            for got in (cache.tf_idf(parts, model.feature_idf), cache.tf_idf(parts, model.feature_idf, words)):
                assert all(np.array_equal(g, w) and g.dtype == w.dtype for g, w in zip(got, want)), text
        checked += len(want[0])
    assert checked > 100_000 and len(caches[0]._numbers) > 1000 and len(small._numbers) <= 50 + 200
    # only words are remembered: not a run of Chinese (a clause: no spaces between its words), nor a long link
    from studio.language import HAN

    assert not [w for w in caches[0]._numbers if HAN.search(w) or len(w) > KnownGrams.MAX_WORD_CHARS]


def test_skipped_shouting_scan_could_not_have_matched(texts):
    """The avoided tone's capitals are looked for only in a text with four capitals in a row."""
    from studio.checks.engine import _FOUR_CAPS, _SHOUTING

    for text in texts + ["SUMMER SALE", "BIG DEAL", "HELLO", "ABCD EF", "ABC DEF GHI"]:
        if _FOUR_CAPS.search(text) is None:
            assert _SHOUTING.search(text) is None, text
    assert _FOUR_CAPS.search("ABCD EF") and _SHOUTING.search("ABCD EF")


def test_connection_cue_prefilter_never_hides_a_cue(texts):
    """explicit_cue (a connection said outright) skips the regex when none of its lead words occurs: on every
    labelled text, and on cues written in unusual case, it finds exactly what the plain search finds."""
    from studio.checks.connection import CUE, explicit_cue

    written = ["They SENT ME a pair of the new boots", "Thanks to @alpine for the Brand Trip!", "USE MY CODE SAVE10",
               "PR Package unboxing", "品牌方寄来的新茶", "这是我的专属口令", "左下角小黄车", "My Affiliate Link is below",
               # several cues, or a cue's strings without the cue: the narrowed alternation finds the first match
               "My code is below. Use my code RAIN20; the team sent me a pair", "Swipe up for my picks, @alpine",
               "Partnered with @alpine on a press trip", "Gifted by @alpine, PR box", "The brand SENT ME a jacket",
               "my trip to the coast", "we sent messages to my team @ work", "Thanks @alpine for hosting us",
               "They ſent me a pair; use my code"]  # (the long s folds to s under IGNORECASE: the full search)
    for text in [*texts, *written]:
        plain = CUE.search(text)
        fast = explicit_cue(text)
        assert (fast and fast.span()) == (plain and plain.span()), text
    assert all(explicit_cue(t) for t in written[:8])


def test_endorser_post_prefilter_never_hides_a_post(texts):
    """endorser_post_cue stops at once when no pointer lead occurs: on every labelled text, and on posts written in
    unusual case or with letters re folds to ASCII ones ("ſ", "ı", "K"), it finds exactly what searching every
    signal finds, and it does find posts."""
    from studio.checks.endorser_post import endorser_post_cue

    written = ["Obsessed with @lumiskin, CODE SARA15 for 15% OFF", "SHOP MY FAVES, I love them all @lumi",
               "ſhop my faves @lumi, I wear it daily", "lınked in my bio, @lumi is my new fave",
               "My desk lamp from @lumen: LUMEN.COM/R/ANNA", "\u212aAYCLOUD at checkout, my pillow from @cloud",
               "我家用了一年@净洁，点我头像去橱窗", "好物分享：评论区置顶", "Link in bio, new vlog", "Use code WELCOME10 today"]
    flagged = 0
    for text in [*texts, *written]:
        fast, plain = endorser_post_cue(text), endorser_post_cue(text, prefilter=False)
        assert (fast and fast.span()) == (plain and plain.span()), text
        flagged += fast is not None
    assert all(endorser_post_cue(t) for t in written[:5]) and not any(endorser_post_cue(t) for t in written[-2:])
    assert flagged >= 40  # the labelled texts reach the signals: the comparison is not between two Nones


def test_profanity_score_from_arrays_is_the_term_by_term_score(texts):
    """The profanity score summed with numpy is score_plain's, float for float, with the same worst word: on every
    labelled text, on texts of repeated and profane words, and on one with no known word."""
    from studio.checks.profanity import get_model

    model = get_model()
    written = ["damn damn DAMN this stupid stupid jacket", "what the hell, shit happens, you idiot", "the the the and",
               "zzqx vvbn", "", "Crap! " * 40]
    profane = 0
    for text in [*texts, *written]:
        lowered = text.lower()
        fast, plain = model.score(lowered), model.score_plain(lowered)
        assert fast == plain, text
        profane += fast[0] >= 0.5
    assert profane >= 3  # the written profane texts score high: the comparison covers the model's working range


def test_word_pieces_from_shared_words_and_remembered_words_are_the_tokenizers(texts):
    """WordPieces.rows gives the same (part, piece id) rows for words it looks up afresh, words it remembers (every
    word seen: the fast path), and words split once by the caller (part_words, as ClaimsModel.scores passes them),
    as a fresh WordPieces that remembers nothing yet."""
    import numpy as np

    from studio.checks.learned import get_claims_model
    from studio.checks.learned.embed_features import WordPieces
    from studio.checks.learned.features import part_words

    vocab = list(get_claims_model()._pieces.vocab)
    warm = WordPieces(vocab)
    checked = 0
    for text in texts[::2] + ["", " ", "Café crème, naïve!", "医生都在推荐的护肝茶。", "A a A. a"]:
        parts = re.split(r"(?<=[.!?。！？\n])", text)
        want = WordPieces(vocab).rows(parts)
        for got in (warm.rows(parts), warm.rows(parts), warm.rows(parts, part_words(parts))):
            assert all(np.array_equal(g, w) for g, w in zip(got, want)), text
        checked += len(want[1])
    assert checked > 50_000


def test_detect_language_of_ascii_text_is_the_share_definition(texts):
    """detect_language answers ASCII text without counting (no Han: a share of 0): what the share gives, on every
    labelled text and on texts with no letters."""
    from studio.language import ZH_SHARE, cjk_share, detect_language, has_han, has_latin

    for text in [*texts, "", "123 456", "!!! ???", "a", "Hello。", "\u00e9t\u00e9", "冷泡茶 cold brew"]:
        plain = None if not has_han(text) and not has_latin(text) else ("zh" if cjk_share(text) >= ZH_SHARE else "en")
        assert detect_language(text) == plain, text
