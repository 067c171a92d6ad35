"""What a closed experiment teaches Studio.

1. Module outcomes. The winning variant's content modules each gain a success, and the modules of every losing
   variant (those the winner did not use too) a failure, for that variant's kit, segment and channel. The
   composer (studio.modules.compose) adds a Thompson-sampling term to each module's rank: a draw from
   Beta(1 + successes, 1 + failures), centred on 0.5 and scaled by LEARNED_WEIGHT. Modules that keep winning
   are picked more often for that segment and channel; one lucky win is not a lock-in, because the draw is
   random (seeded per candidate, so the same seed still gives the same copy). A module without outcomes is
   ranked as before.
2. Voice example. The winner's copy joins the kit's voice store as an approved example, with its result
   (metric, rate and interval, P(best)), so retrieval offers it to the writer as proven copy.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.experiments.models import ModuleOutcome
from studio.review.db import session_scope


def record_outcomes(session: Session, kit: str, channel: str, winner: dict, losers: list[dict]) -> dict:
    """winner/losers: {"segment", "modules"}. Returns {"successes": [...], "failures": [...]} module ids."""
    won = list(dict.fromkeys(winner["modules"]))
    lost: list[tuple[str, str]] = []
    for loser in losers:
        lost += [(loser["segment"], m) for m in dict.fromkeys(loser["modules"]) if m not in won]
    for segment, module_id, success in [(winner["segment"], m, True) for m in won] + [(s, m, False) for s, m in lost]:
        key = {"kit": kit, "segment": segment, "channel": channel, "module_id": module_id}
        row = session.get(ModuleOutcome, key)
        if row is None:
            row = ModuleOutcome(**key, successes=0, failures=0)
            session.add(row)
        if success:
            row.successes += 1
        else:
            row.failures += 1
    session.flush()
    return {"successes": won, "failures": sorted({m for _, m in lost})}


def module_outcomes(kit: str, segment: str, channel: str, db_url: str | None = None) -> dict[str, tuple[int, int]]:
    """{module id: (successes, failures)} for this kit, segment and channel."""
    from studio.config import get_settings

    with session_scope(db_url or get_settings().db_url) as session:
        rows = session.execute(select(ModuleOutcome).where(
            ModuleOutcome.kit == kit, ModuleOutcome.segment == segment, ModuleOutcome.channel == channel)).scalars()
        return {r.module_id: (r.successes, r.failures) for r in rows}


def result_line(experiment: dict, arm: dict) -> str:
    metric = "click-through rate" if experiment["metric"] == "ctr" else "conversion rate"
    return (f"Won A/B test '{experiment['name']}' ({experiment['id']}) against {len(experiment['variants']) - 1} "
            f"other variant(s): {metric} {arm['rate']:.2%} (95% credible interval {arm['ci_low']:.2%}-"
            f"{arm['ci_high']:.2%}), P(best) {arm['p_best']:.2f}.")


def add_winner_to_voice(experiment: dict, variant: dict, language: str) -> str:
    """The winner's copy, with its result, as an approved voice example of its kit. Returns the passage id."""
    from studio.voice import get_voice_store
    from studio.voice.chunking import Chunk, content_hash

    arm = next(a for a in experiment["variants"] if a["id"] == variant["id"])
    text = "\n".join(t for t in variant["copy"].values() if t) + "\n\n" + result_line(experiment, arm)
    document = f"winner--{experiment['id']}"
    chunk_id = f"{variant['kit']}:{document}:0:{content_hash(text)}"
    get_voice_store().add_chunks([Chunk(chunk_id, text, {
        "kit": variant["kit"], "document": document, "title": f"A/B test winner {variant['id']}",
        "channel": variant["channel"], "kind": "approved", "language": language, "chunk": 0,
        "doc_hash": content_hash(text), "source": "experiment", "approved": True, "variant_id": variant["id"],
        "experiment_id": experiment["id"], "metric": experiment["metric"], "rate": arm["rate"],
        "p_best": arm["p_best"]})])
    return chunk_id
