"""The `agent_facts` writer: a product's facts for AI assistants, taken only from what the kit substantiated and
what the brief says (never written by a model, never promotional).

Which substantiated claims are the product's: a claim is a *product fact* when one of the kit's content modules
states it for this product (its `products` tag matches the brief, as the composer decides); a *brand fact* when a
module states it without a product tag (a repair service, a licence); a claim no module states is left out (the
kit has not said what it is about). Each fact keeps its claim id and evidence in provenance.

The copy fields are plain text, so the checks, the review detail and hand edits work on them like on any copy;
studio/agent_facts/render.py turns them into JSON-LD and a Markdown section at export.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from studio.domain import Brief, Channel, Market, Segment
from studio.generate.copy import CopyResult
from studio.generate.errors import UnusableOutputError
from studio.modules.scope import brief_product, library_products
from studio.modules.scope import brief_is_about

# The FAQ's questions, in the kit's language. Answers are the facts themselves, so nothing new is claimed.
QUESTIONS = {
    "en": {"what": "What is {product}?", "facts": "Which facts about {product} are documented?",
           "offer": "Is there a current offer on {product}?", "brand": "What else does {brand} document?"},
    "zh": {"what": "{product}是什么？", "facts": "{product}有哪些可以核实的信息？",
           "offer": "{product}现在有什么优惠？", "brand": "{brand}还有哪些可以核实的信息？"},
}
WHAT = {"en": "{product} is a product of {brand}.", "zh": "{product}是{brand}的产品。"}
Q_A = {"en": ("Q: ", "A: "), "zh": ("问：", "答：")}
JOIN = {"en": " ", "zh": ""}


def _sentence(text: str, language: str) -> str:
    text = text.strip()
    if language == "en":
        text = text[:1].upper() + text[1:]
        return text if text.endswith((".", "!", "?")) else text + "."
    return text if text.endswith(("。", "！", "？")) else text + "。"


def brand_name(kit, language: str) -> str:
    """The brand as the copy's language writes it: 茶园里 for "茶园里 Chayuan" in Chinese."""
    if language == "zh":
        han = re.findall(r"[\u4e00-\u9fff]+", kit.name)
        if han:
            return han[0]
    return kit.name


def product_of(loaded_kit, brief: Brief) -> str:
    """The brief's product, or the library product its text names ("Launch of the Ridgeback rain shell")."""
    return brief_product(brief.product, brief.text, library_products(loaded_kit.modules))


def select_facts(loaded_kit, product: str, brief_text: str, market: str) -> tuple[list[dict], list[dict]]:
    """(product facts, brand facts): the kit's substantiated claims for this product and market, with evidence."""
    claims = {c.id: c for c in loaded_kit.kit.claims.substantiated if c.id}
    scoped: dict[str, str] = {}
    brand: dict[str, str] = {}
    for module in loaded_kit.modules:
        claim = claims.get(module.claim or "")
        if claim is None or (claim.markets and Market(market) not in claim.markets):
            continue
        if module.products:
            if brief_is_about(module.products, product, brief_text):
                scoped.setdefault(claim.id, module.id)
        else:
            brand.setdefault(claim.id, module.id)

    def rows(ids: dict[str, str]) -> list[dict]:
        return [{"id": cid, "claim": claims[cid].claim, "evidence": claims[cid].evidence, "module": mid}
                for cid, mid in ids.items()]

    return rows(scoped), rows({k: v for k, v in brand.items() if k not in scoped})


def write_agent_facts(loaded_kit, segment: Segment, channel: Channel, brief: Brief, *, market) -> CopyResult:
    t0, started = time.perf_counter(), datetime.now(UTC)
    kit = loaded_kit.kit
    language = kit.language.split("-")[0]
    language = language if language in QUESTIONS else "en"
    market = Market(market).value
    product = product_of(loaded_kit, brief)
    if not product:
        raise UnusableOutputError("agent_facts needs a product: give the brief a product (or name one of the kit's "
                                  "products in its text)")
    product_facts, brand_facts = select_facts(loaded_kit, product, brief.text, market)
    if not product_facts and not brand_facts and not brief.key_message:
        raise UnusableOutputError(f"kit '{kit.id}' has no substantiated claim for '{product}' (and the brief no key "
                                  "message): there are no facts to publish")
    slots = {"product": product, "brand": brand_name(kit, language)}
    q, a = Q_A[language]
    ask = {k: v.format(**slots) for k, v in QUESTIONS[language].items()}
    description = WHAT[language].format(**slots)
    if brief.key_message:
        description += JOIN[language] + _sentence(brief.key_message, language)
    facts = [_sentence(f["claim"], language) for f in product_facts]
    faq = [(ask["what"], description)]
    if facts:
        faq.append((ask["facts"], JOIN[language].join(facts)))
    if brief.offer:
        faq.append((ask["offer"], _sentence(brief.offer, language)))
    if brand_facts:
        faq.append((ask["brand"], JOIN[language].join(_sentence(f["claim"], language) for f in brand_facts)))
    copy = {
        "name": product,
        "description": description,
        "facts": "\n".join(facts + [_sentence(f["claim"], language) for f in brand_facts]),
        "faq": "\n".join(f"{q}{question}\n{a}{answer}" for question, answer in faq),
    }
    if brief.offer:
        copy["offer"] = brief.offer.strip()
    fields = {name: {"writer": "agent_facts", "modules": []} for name in copy}
    provenance = {
        "writer": "agent_facts",
        "backend": "agent_facts",
        "model": f"studio-agent-facts (substantiated claims of {kit.id} and the brief; no language model)",
        "fields": fields,
        "modules": [f["module"] for f in product_facts + brand_facts],
        "claims": product_facts + brand_facts,
        "agent_facts": {"product": product, "brand": kit.name, "language": language,
                        "product_claims": [f["id"] for f in product_facts],
                        "brand_claims": [f["id"] for f in brand_facts],
                        "from_brief": [k for k in ("key_message", "offer") if getattr(brief, k)]},
        "slots": {k: v for k, v in {"product": product, "offer": brief.offer, "key_message": brief.key_message}.items() if v},
        "language": language,
        "market": market,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "duration_s": round(time.perf_counter() - t0, 3),
    }
    return CopyResult(copy=copy, candidates=[], provenance=provenance)
