"""Benchmark the full check (all categories, one kit, one channel) on ~100-word texts, with a brief on
every text (so the quality gate runs garbled, off_brief and unsupported_claim too; --no-brief leaves it out).

--corpus real (the default) builds each text from the sentences of the labelled eval texts in the kit's
language (evals/checks/*.jsonl and evals/quality/*.jsonl), dealt from a shuffled deck so a sentence comes
back only after all the others have been used. The checks keep some results per sentence or Han run (the
garble model's scores, up to 16,384 of them): the deck (~3,000 sentences per language) fits, so from the second deal on
those results come from memory, as they do for a batch that repeats its modules' sentences but not for fresh copy.
The bench therefore also prints the throughput of the first deal alone (texts none of whose sentences came before).
--corpus fixed is the old corpus: combinations of a few fixed sentences (flatters any
such cache).

Single process; the profanity model and rule packs load once. Prints texts/s and latency
percentiles. Targets: >= 500 texts/s, p95 <= 10 ms.

--workers N (N > 1) checks the same corpus, after the same warm-up, through the parallel path of
`studio check --jsonl --workers N` (studio.checks.command.map_ordered: N forked workers sharing the loaded
checker, chunks, results in input order) and prints texts/s by wall clock; no latencies (a chunk's results
arrive together). The default 1 keeps the single-process figures above, comparable with earlier runs.

    .venv/bin/python bench/checks.py [--n 2000] [--kit northpeak] [--channel email] [--market US] [--no-brief] [--stages] [--corpus real|fixed] [--profile 30] [--workers N]

--stages also prints the CPU time per text of each stage (quality gate, learned model, sentence model (the
transformer, on the sentences the n-gram model sends it), accessibility, voice fit, the rest: rule packs, kit rules, PII, profanity, limits, disclosures, dedupe), timed around each call.
--profile N runs cProfile around the timed loop only (not the setup, not the warm-up) and prints its N costliest
functions by own time; the profiler slows Python calls more than C, so read it for ranks, not for milliseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES_EN = [
    "Our Ridgeback shell keeps the rain out on the commute and packs into its own pocket.",
    "The best jacket for wet mornings, guaranteed to keep you dry or your money back.",
    "Only 3 left in your size, so order today before the weekend hike.",
    "Made with 80% recycled nylon and a PFAS-free finish, tested on wet trails for two seasons.",
    "Send it to ReCraft and we will patch the elbow, replace the zip and send it back.",
    "Hey guys, this eco-friendly layer is insane value!!!",
    "Questions? Write to support@northpeak.com or call 503-555-0142 any weekday.",
    "The hood fits over a helmet, the cuffs seal with one hand, and the seams are fully taped.",
    "Layer it over the Cirque base layer when the wind picks up on the ridge.",
    "Thousands of happy customers have switched to our StormLayer membrane this year.",
]
SENTENCES_ZH = [
    "春山绿来自安吉的合作茶园，明前采摘，冷泡四小时就很好喝。",
    "全网最好喝的冷泡茶，仅剩最后3件，手慢无！",
    "喝了能降血压，还能排毒养颜，女人就该对自己好一点。",
    "用一只玻璃杯，放三克茶叶，倒入五百毫升凉水，冷藏一夜。",
    "已有10万人购买，好评率99%，明星同款。",
]


BLOCK = 200
WARM_UP = 50  # texts checked before the timed loop
BRIEFS = {
    "en": {"text": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell", "offer": "free first repair"},
    "zh": {"text": "介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", "product": "春山绿冷泡茶包", "offer": "首单包邮"},
}


# Sentence ends and line breaks; the end punctuation stays with its sentence.
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


def _size(parts: list[str], lang: str) -> int:
    """Words so far (a Han character counts as half a word)."""
    return len(" ".join(parts).split()) if lang == "en" else sum(len(p) for p in parts) // 2


def make_texts(n: int, lang: str, seed: int = 0) -> list[str]:
    """The fixed corpus: ~100-word combinations of a handful of sentences."""
    rng = random.Random(seed)
    pool = SENTENCES_EN if lang == "en" else SENTENCES_ZH
    texts = []
    for _ in range(n):
        words: list[str] = []
        while (len(words) if lang == "en" else sum(len(w) for w in words) // 2) < 100:
            words += rng.choice(pool).split() if lang == "en" else [rng.choice(pool)]
        texts.append(" ".join(words) if lang == "en" else "".join(words))
    return texts


def eval_sentences(lang: str) -> list[str]:
    """The distinct sentences of the labelled eval texts in `lang` (not the scored_not_fixed folders, not
    unlabelled records)."""
    files = sorted((ROOT / "evals" / "checks").glob("*.jsonl")) + sorted((ROOT / "evals" / "quality").glob("*.jsonl"))
    seen: dict[str, None] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("language") != lang or not ("expected" in record or "labels" in record):
                continue
            for m in _SENTENCE.finditer(record["text"]):
                if m.group().strip():
                    seen.setdefault(m.group().strip())
    return list(seen)


def make_real_texts(n: int, lang: str, seed: int = 0) -> tuple[list[str], int, int, int]:
    """~100-word texts of eval sentences, dealt from a deck reshuffled each time it runs out; the deck's size,
    how many sentences were dealt, and how many texts came from the first deal alone (every sentence new)."""
    rng = random.Random(seed)
    pool = eval_sentences(lang)
    deck: list[str] = []
    texts = []
    dealt = deals = 0
    first_deal = None
    for _ in range(n):
        parts: list[str] = []
        while _size(parts, lang) < 100:
            if not deck:
                deck = pool[:]
                rng.shuffle(deck)
                deals += 1
                if deals == 2 and first_deal is None:
                    first_deal = len(texts)  # this text already repeats a sentence
            parts.append(deck.pop())
            dealt += 1
        texts.append(" ".join(parts) if lang == "en" else "".join(parts))
    return texts, len(pool), dealt, len(texts) if first_deal is None else first_deal


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--kit", default="northpeak")
    ap.add_argument("--channel", default="email")
    ap.add_argument("--market", default=None)
    ap.add_argument("--no-brief", action="store_true", help="check without a brief (no off_brief)")
    ap.add_argument("--stages", action="store_true", help="also print the CPU time per text of each stage")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="profile the timed loop and print its N costliest functions (own time)")
    ap.add_argument("--corpus", choices=("real", "fixed"), default="real",
                    help="real: sentences of the labelled eval texts (default); fixed: combinations of a few sentences")
    ap.add_argument("--workers", type=int, default=1, metavar="N",
                    help="check through `studio check --jsonl --workers N`'s parallel path (forked workers); "
                         "1 (default): this process, the figures above")
    args = ap.parse_args()
    if args.workers < 1:
        ap.error("--workers: give 1 or more")

    from studio.channels import get_channel
    from studio.checks import get_checker
    from studio.config import get_settings
    from studio.kits import load_kit

    t0 = time.perf_counter()
    kit = load_kit(args.kit, get_settings().kits_dir)
    checker = get_checker(kit)
    channel = get_channel(args.channel)
    market = args.market or kit.kit.markets[0].value
    print(f"setup (packs, profanity model, voice model): {time.perf_counter() - t0:.2f} s")
    lang = "zh" if kit.kit.language.startswith("zh") else "en"
    fresh = 0  # texts (after the warm-up's) none of whose sentences came before
    if args.corpus == "real":
        texts, distinct, dealt, fresh = make_real_texts(args.n, lang)
        corpus = f"real: {distinct} distinct eval sentences ({lang}), each used ~{dealt / distinct:.1f} times, a full deck apart"
    else:
        texts = make_texts(args.n, lang)
        corpus = f"fixed: combinations of {len(SENTENCES_EN if lang == 'en' else SENTENCES_ZH)} sentences"
    print(f"corpus {corpus}")
    brief = None if args.no_brief else BRIEFS[lang]
    # Warm-up: loads the word lists and the Chinese character model. A text in the other language too, and one in
    # both: the real corpus of one language holds a few mixed sentences, and the first of them would otherwise load
    # the other language's dictionaries (~0.9 s) and build the rule index for texts with both scripts (~0.3 s),
    # once per process, inside the timed loop.
    other = SENTENCES_ZH[0] if lang == "en" else SENTENCES_EN[0]
    for t in [*texts[:WARM_UP], other, f"{SENTENCES_EN[0]} {SENTENCES_ZH[0]}"]:
        checker.check_text(t, channel=channel, market=market, brief=brief)
    if args.workers > 1:
        return bench_workers(args, checker, texts, channel, market, brief)
    stages = time_stages(checker) if args.stages else None
    profiler = cProfile.Profile() if args.profile else None
    lat, cpu_lat = [], []
    start, cpu_start = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    for t in texts:
        s, c = time.perf_counter(), time.process_time()
        checker.check_text(t, channel=channel, market=market, brief=brief)
        lat.append((time.perf_counter() - s) * 1000)
        cpu_lat.append(time.process_time() - c)
    if profiler is not None:
        profiler.disable()
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # Throughput of each block of 200 texts: on a shared machine the spread shows how much is noise.
    blocks = sorted(len(b) / (sum(b) / 1000) for b in (lat[i : i + BLOCK] for i in range(0, len(lat), BLOCK)) if len(b) == BLOCK)
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
    print(f"kit={args.kit} channel={args.channel} market={market} texts={len(texts)} (~100 words each), brief: {'none' if brief is None else 'on every text'}")
    print(f"throughput: {len(texts) / total:.0f} texts/s (wall clock); {len(texts) / cpu:.0f} texts/s of this process's CPU time")
    first = cpu_lat[WARM_UP:fresh]  # the warm-up's own texts are not new any more
    if first:
        print(f"first deal only ({len(first)} texts, no sentence seen before, nothing from memory): "
              f"{len(first) / sum(first):.0f} texts/s of CPU time")
    if blocks:
        print(f"per block of {BLOCK}: slowest {blocks[0]:.0f}, median {statistics.median(blocks):.0f}, fastest {blocks[-1]:.0f} texts/s")
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock figures need an idle machine)")
    print(f"latency ms: p50 {p(0.50):.2f}  p95 {p(0.95):.2f}  p99 {p(0.99):.2f}  mean {statistics.mean(lat):.2f}")
    if stages is not None:
        rest = cpu - sum(stages.values())
        parts = [f"{name} {t / len(texts) * 1000:.2f}" for name, t in stages.items()] + [f"rest {rest / len(texts) * 1000:.2f}"]
        print(f"CPU ms per text by stage: {', '.join(parts)} (timers included)")
    if profiler is not None:
        print(f"profile of the timed loop (with the profiler's overhead), the {args.profile} costliest functions by own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)


def bench_workers(args, checker, texts: list[str], channel, market: str, brief) -> None:
    """The corpus through the CLI's parallel path (map_ordered: forked workers, chunks, results in input order), each
    result serialised as its output line; wall clock from the first fork to the last line."""
    from studio.checks.parallel import CHUNK, fork_available, map_ordered

    if not fork_available():
        sys.exit("--workers: no fork on this platform (the CLI checks in one process here)")
    if args.stages or args.profile:
        sys.exit("--stages and --profile measure one process: use them with --workers 1")

    def line(i: int) -> str:
        return json.dumps(checker.check_text(texts[i], channel=channel, market=market, brief=brief).to_json(),
                          ensure_ascii=False) + "\n"

    import resource

    children = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))  # noqa: E731
    start, cpu_start, children_start = time.perf_counter(), time.process_time(), children()
    lines = sum(1 for _ in map_ordered(line, len(texts), args.workers))
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    workers_cpu = children() - children_start  # the workers, joined when map_ordered ends
    print(f"kit={args.kit} channel={args.channel} market={market} texts={lines} (~100 words each), brief: {'none' if brief is None else 'on every text'}")
    print(f"throughput: {lines / total:.0f} texts/s (wall clock, {args.workers} forked workers, chunks of up to {CHUNK}, "
          f"results in input order; the parent used {cpu:.2f} s of CPU)")
    print(f"workers' CPU time: {workers_cpu:.2f} s in all, {lines / max(workers_cpu, 1e-9):.0f} texts/s of it "
          f"(compare with --workers 1's texts/s of CPU time: the difference is each worker's own, colder caches)")
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock figures need an idle machine)")


def time_stages(checker) -> dict[str, float]:
    """Wrap the checker's stages (on this instance only) so each call adds its CPU time to the returned dict."""
    totals: dict[str, float] = {}
    stages = {"quality gate": [(checker.quality, "text_findings"), (checker.quality, "brief_findings")],
              "learned model": [(checker.claims_model, "sentence_scores"), (checker.claims_model, "findings_from")]
              if checker.claims_model is not None else [],
              "sentence model": [(checker.sentence_model, "scores")] if checker.sentence_model is not None else [],
              "accessibility": [(checker.accessibility, "findings")], "voice fit": [(checker, "_voice")]}
    for name, calls in stages.items():
        totals[name] = 0.0
        for obj, attr in calls:
            def timed(*a, _f=getattr(obj, attr), _name=name, **k):
                t = time.process_time()
                try:
                    return _f(*a, **k)
                finally:
                    totals[_name] += time.process_time() - t
            setattr(obj, attr, timed)
    return totals


if __name__ == "__main__":
    main()
