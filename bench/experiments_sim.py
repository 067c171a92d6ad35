"""Simulated A/B tests with known true rates: how often the decision rule (studio.experiments.analysis) names
the right winner, a wrong one, or none, and how many trials per variant it takes.

Each run feeds both (or all) variants the same traffic in batches, as imported reports would arrive, and
applies the rule after every batch (a marketer importing daily: the peeking a real test sees). A run stops at
the first named winner, or at the horizon (3x the planned sample) without one. With no true difference
(effect 0) any named winner is wrong.

    .venv/bin/python bench/experiments_sim.py [--runs 200] [--baseline 0.03] [--mde 0.2] [--arms 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.experiments.analysis import PRIOR, ArmFigures, analyse, required_sample  # noqa: E402

HORIZON = 3  # times the planned sample


def run_once(rates: list[float], mde: float, batch: int, rng: np.random.Generator, draws: int) -> tuple[int | None, int]:
    """(index of the named winner or None, trials per variant when the run stopped)."""
    trials, successes = 0, np.zeros(len(rates), dtype=int)
    plan = required_sample(float(np.mean(rates)), mde, len(rates))
    while trials < HORIZON * plan:
        trials += batch
        successes += rng.binomial(batch, rates)
        baseline = (successes.sum() + PRIOR[0]) / (trials * len(rates) + sum(PRIOR))
        if trials < required_sample(baseline, mde, len(rates)):
            continue  # the rule says "not enough data yet" without sampling the posteriors
        result = analyse([ArmFigures(str(i), trials, int(s)) for i, s in enumerate(successes)], mde=mde,
                         draws=draws, seed=int(rng.integers(1 << 31)))
        if result["winner"] is not None:
            return int(result["winner"]), trials
    return None, trials


def simulate(effect: float, *, runs: int, baseline: float, mde: float, arms: int, seed: int, draws: int) -> dict:
    rates = [baseline] * (arms - 1) + [baseline * (1 + effect)]
    best = arms - 1 if effect > 0 else None
    rng = np.random.default_rng(seed)
    plan = required_sample(baseline, mde, arms)
    batch = max(100, plan // 10)
    correct = wrong = none = 0
    samples = []
    for _ in range(runs):
        winner, trials = run_once(rates, mde, batch, rng, draws)
        samples.append(trials)
        if winner is None:
            none += 1
        elif winner == best:
            correct += 1
        else:
            wrong += 1
    return {"effect": effect, "planned": plan, "correct": correct / runs, "wrong": wrong / runs,
            "none": none / runs, "mean_trials": float(np.mean(samples))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--baseline", type=float, default=0.03)
    parser.add_argument("--mde", type=float, default=0.2)
    parser.add_argument("--arms", type=int, default=2)
    parser.add_argument("--effects", default="0,0.1,0.2,0.3")
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"baseline {args.baseline:.3f}, MDE {args.mde:.0%} relative, {args.arms} variants, {args.runs} runs per "
          f"effect, rule applied after every batch of 10% of the plan, horizon {HORIZON}x the plan")
    print(f"{'true lift':>9} {'planned/var':>11} {'correct':>8} {'wrong':>7} {'no winner':>9} {'mean trials/var':>15}")
    started = time.perf_counter()
    for effect in (float(e) for e in args.effects.split(",")):
        r = simulate(effect, runs=args.runs, baseline=args.baseline, mde=args.mde, arms=args.arms,
                     seed=args.seed, draws=args.draws)
        print(f"{effect:>9.0%} {r['planned']:>11,} {r['correct']:>8.1%} {r['wrong']:>7.1%} {r['none']:>9.1%} "
              f"{r['mean_trials']:>15,.0f}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
