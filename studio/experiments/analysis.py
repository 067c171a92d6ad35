"""Bayesian Beta-Binomial analysis of an A/B/n test, and the rule that names a winner.

Model: each variant's rate (CTR = clicks / impressions, or conversion rate = conversions / clicks) has a
uniform Beta(1, 1) prior; after s successes in n trials its posterior is Beta(1 + s, 1 + n - s).
- `rate` is the posterior mean (1 + s) / (2 + n); `ci_low`, `ci_high` the equal-tailed 95% credible interval
  (exact Beta quantiles).
- `p_best` (probability that the variant has the highest rate) and `expected_loss` (E[max_j rate_j - rate_i]:
  how much rate is given up, on average, by shipping this variant) come from Monte Carlo draws of the
  posteriors with a fixed seed, so the same figures give the same numbers.

Decision rule (the only way a winner is named; `bench/experiments_sim.py` measures how often it is wrong):
1. Not before the planned sample. Every variant needs at least `required_sample` trials: the classic
   two-proportion size for the experiment's minimum detectable effect (relative lift `mde` over the pooled
   rate), two-sided alpha 0.05 split over the k - 1 comparisons with the leader (Bonferroni), power 0.8.
   Until then the answer is "not enough data yet", whatever the interim numbers look like: looking early and
   stopping on a lucky streak is how A/B tests name false winners.
2. Then the leader is named when P(best) >= 0.995 and its expected loss <= 10% of the MDE in absolute rate
   (the risk of being wrong is both unlikely and small). Otherwise: no winner yet (keep the test running, or
   close it without a winner: the variants perform alike within what the test can tell).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

PRIOR = (1.0, 1.0)
DRAWS = 200_000
SEED = 20261130
ALPHA = 0.05
POWER = 0.8
P_BEST = 0.995
LOSS_SHARE = 0.1  # of the MDE, in absolute rate


@dataclass(frozen=True)
class ArmFigures:
    id: str
    trials: int
    successes: int


def required_sample(baseline: float, mde: float, arms: int = 2) -> int:
    """Trials per variant to detect a relative lift `mde` over `baseline` (two-sided, Bonferroni over arms - 1
    comparisons, power 0.8): n = (z_a + z_b)^2 * (p1 q1 + p2 q2) / (p2 - p1)^2."""
    p1 = min(max(baseline, 1e-4), 0.99)
    p2 = min(p1 * (1 + mde), 0.999)
    z_a = stats.norm.ppf(1 - ALPHA / (2 * max(arms - 1, 1)))
    z_b = stats.norm.ppf(POWER)
    return math.ceil((z_a + z_b) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p2 - p1) ** 2)


def posterior(successes: int, trials: int) -> tuple[float, float]:
    return PRIOR[0] + successes, PRIOR[1] + trials - successes


def analyse(arms: list[ArmFigures], *, mde: float, draws: int = DRAWS, seed: int = SEED) -> dict:
    """Per variant: rate, ci_low, ci_high, p_best, expected_loss; and the decision:
    {"winner", "enough_data", "required_per_variant", "baseline", "decision"}."""
    if not arms:
        raise ValueError("an experiment needs variants to analyse")
    for arm in arms:
        if arm.trials < 0 or arm.successes < 0 or arm.successes > arm.trials:
            raise ValueError(f"variant '{arm.id}': successes ({arm.successes}) must lie within 0..trials ({arm.trials})")
    rng = np.random.default_rng(seed)
    samples = np.column_stack([rng.beta(*posterior(a.successes, a.trials), size=draws) for a in arms])
    best = samples.max(axis=1)
    p_best = np.bincount(samples.argmax(axis=1), minlength=len(arms)) / draws
    loss = (best[:, None] - samples).mean(axis=0)
    rows = []
    for i, arm in enumerate(arms):
        a, b = posterior(arm.successes, arm.trials)
        rows.append({"id": arm.id, "rate": a / (a + b), "ci_low": float(stats.beta.ppf(0.025, a, b)),
                     "ci_high": float(stats.beta.ppf(0.975, a, b)), "p_best": float(p_best[i]),
                     "expected_loss": float(loss[i])})

    total_trials = sum(a.trials for a in arms)
    baseline = (sum(a.successes for a in arms) + PRIOR[0]) / (total_trials + PRIOR[0] + PRIOR[1])
    required = required_sample(baseline, mde, len(arms))
    enough = len(arms) >= 2 and min(a.trials for a in arms) >= required
    winner = None
    if total_trials == 0:
        decision = "not enough data yet: no results imported"
    elif not enough:
        short = min(a.trials for a in arms)
        decision = (f"not enough data yet: every variant needs {required:,} trials for a {mde:.0%} lift "
                    f"(the smallest has {short:,})")
    else:
        leader = max(rows, key=lambda r: r["p_best"])
        threshold = LOSS_SHARE * mde * baseline
        if leader["p_best"] >= P_BEST and leader["expected_loss"] <= threshold:
            winner = leader["id"]
            decision = (f"winner: {winner} (P(best) {leader['p_best']:.3f} >= {P_BEST}, expected loss "
                        f"{leader['expected_loss']:.5f} <= {threshold:.5f})")
        else:
            decision = (f"no winner yet: the leader {leader['id']} has P(best) {leader['p_best']:.3f} "
                        f"(needs {P_BEST}) and expected loss {leader['expected_loss']:.5f} (needs <= {threshold:.5f})")
    return {"variants": rows, "winner": winner, "enough_data": enough, "required_per_variant": required,
            "baseline": baseline, "decision": decision}
