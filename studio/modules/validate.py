"""Does every content module pass the checks? Asked by `studio kit validate` and the kit tests.

A module is approved copy: it must pass the checks that apply to a piece of a text in every market it may be
used in (the kit's markets, narrowed by its own and its claim's markets), with its slots filled by sample values.
Checks that only make sense for a whole variant are left to the variant: missing disclosures (the workflow
adds them), channel limits (the composer fits modules), off_brief (a module is not the brief) and voice fit
(a five-word CTA is not a voice sample).
"""

from __future__ import annotations

from studio.domain import Brief, Market
from studio.modules.model import ContentModule

WHOLE_VARIANT_ONLY = {"missing_disclosure", "channel_limit", "off_brief", "voice_mismatch"}
SAMPLE_OFFER = {"en": "free shipping", "zh": "包邮"}


def sample_text(module: ContentModule, kit) -> tuple[str, Brief]:
    """The module filled as the composer would, and the brief those values come from."""
    language = (module.language or kit.language).split("-")[0]
    product = module.products[0] if module.products else kit.name
    offer = SAMPLE_OFFER.get(language, SAMPLE_OFFER["en"])
    # A module kept for launches ("New this season: the {product}") is only composed into a launch brief.
    launch = "launch" in module.objectives
    text = (f"{product} 上新" if language == "zh" else f"Launch of the {product}") if launch else product
    brief = Brief(text=text, product=product, offer=offer, key_message=product)
    values = {"product": product, "offer": offer, "key_message": product, "segment": kit.segments[0].name,
              "brand": kit.name}
    return module.text.format(**values), brief


def module_problems(loaded_kit) -> list[str]:
    """One line per module finding that is not allowed: 'modules/x.yaml:12: module 'id': category: message'."""
    from studio.checks import get_checker

    checker = get_checker(loaded_kit)
    kit = loaded_kit.kit
    claims = {c.id: c for c in kit.claims.substantiated if c.id}
    problems = []
    for module in loaded_kit.modules:
        text, brief = sample_text(module, kit)
        claim = claims.get(module.claim) if module.claim else None
        markets = [m for m in kit.markets if (not (claim and claim.markets) or m in claim.markets)
                   and (not module.markets or m in module.markets)]
        for market in markets:
            report = checker.check_text(text, market=Market(market).value, brief=brief)
            # The learned model's findings are a second opinion for a reviewer of generated copy (warn, never alone a
            # block); approved copy is refused only on a rule a person can read and answer.
            bad = [f for f in report.findings if f.severity in ("warn", "block") and f.category not in WHOLE_VARIANT_ONLY
                   and f.source != "model"]
            if bad:
                f = bad[0]
                problems.append(f"{module.source}: module '{module.id}' fails the checks in {Market(market).value}: "
                                f"{f.category} '{f.text}': {f.message}")
                break
    return problems
