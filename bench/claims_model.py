"""What the learned claims model (studio/checks/learned/) costs: the full check of bench/checks.py's
~100-word texts with the model on and off, alternating in one process (the difference is the model,
not the machine's load), and the model alone. Prints texts/s of this process's CPU time.

    .venv/bin/python bench/claims_model.py [--n 600] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from checks import make_texts

    from studio.channels import get_channel
    from studio.checks import get_checker
    from studio.checks.learned import get_claims_model
    from studio.config import get_settings
    from studio.kits import load_kit

    model = get_claims_model()
    for kit_id, lang in (("northpeak", "en"), ("chayuan", "zh")):
        kit = load_kit(kit_id, get_settings().kits_dir)
        checker, channel = get_checker(kit), get_channel("email")
        market, texts = kit.kit.markets[0].value, make_texts(args.n, lang)
        for t in texts[:50]:
            checker.check_text(t, channel=channel, market=market)
        rates: dict[str, list[float]] = {"off": [], "on": []}
        for _ in range(args.rounds):
            for name, m in (("off", None), ("on", model)):
                checker.claims_model = m
                start = time.process_time()
                for t in texts:
                    checker.check_text(t, channel=channel, market=market)
                rates[name].append(len(texts) / (time.process_time() - start))
        checker.claims_model = model
        start = time.process_time()
        for t in texts:
            model.findings(t, None, set())
        alone = (time.process_time() - start) / len(texts) * 1000
        print(f"{kit_id} ({lang}, {len(texts)} texts, no brief): check without the model "
              f"{statistics.median(rates['off']):.0f} texts/s, with it {statistics.median(rates['on']):.0f} texts/s "
              f"(median of {args.rounds}, CPU time); the model alone {alone:.2f} ms per text")


if __name__ == "__main__":
    main()
