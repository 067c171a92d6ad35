"""The agent_facts channel: a fact sheet for AI assistants from the kit's substantiated claims and the brief,
generated through the real flow, checked, reviewed and exported as schema.org JSON-LD and an llms.txt section."""

from __future__ import annotations

import json

import pytest

from studio.agent_facts.render import AgentFactsError, parse_faq, to_jsonld
from studio.agent_facts.validate import validate_jsonld
from studio.channels import get_channel
from studio.config import get_settings
from studio.domain import Brief

BRIEFS = {
    # the product named only in the brief's text, as marketers write briefs
    "northpeak": ("city-commuters", "US", Brief(text="Launch of the Ridgeback rain shell", offer="$189 until 30 April")),
    "chayuan": ("office-cold-brew", "CN", Brief(text="春山绿新茶上市", product="春山绿")),
}
PRODUCTS = {"northpeak": "Ridgeback Shell", "chayuan": "春山绿"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Both kits' agent_facts variants generated, approved and exported, in a queue of their own."""
    from studio import config
    from studio.review import ReviewQueue
    from studio.review.export import export_variants
    from studio.workflow.runner import GenerateRequest, decide, generate

    data = tmp_path_factory.mktemp("agent-facts-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STUDIO_DATA_DIR", str(data))
        config.get_settings.cache_clear()
        variants = {}
        for kit, (segment, market, brief) in BRIEFS.items():
            [variant] = generate(GenerateRequest(kit=kit, segment=segment, channels=["agent_facts"], brief=brief,
                                                 market=market), by="alice")
            variants[kit] = variant
            decide(variant["id"], "approve", by="rita")
        out = data / "export"
        written = export_variants(ReviewQueue(), out, by="rita")
        config.get_settings.cache_clear()
    return variants, out, written


@pytest.mark.parametrize("kit", list(BRIEFS))
def test_both_kits_fact_sheets_pass_their_checks(exported, kit):
    variants, _, _ = exported
    variant = variants[kit]
    assert variant["channel"] == "agent_facts" and variant["verdict"] == "pass", variant["findings"]
    assert variant["image"] is None
    claims = {c["id"]: c for c in variant["provenance"]["claims"]}
    assert claims and all(c["evidence"] for c in claims.values())
    # every fact line is a substantiated claim of the kit, its evidence kept in provenance
    from studio.kits import load_kit
    from tests.conftest import KITS_DIR

    loaded = load_kit(kit, KITS_DIR)
    wording = {c.claim.rstrip("。.").lower() for c in loaded.kit.claims.substantiated}
    label = "AI生成" if kit == "chayuan" else "AI-generated"
    lines = [ln for ln in variant["copy"]["facts"].splitlines() if ln.strip() and ln.strip() != label]
    assert lines and all(ln.rstrip("。.").lower() in wording for ln in lines), lines


@pytest.mark.parametrize("kit", list(BRIEFS))
def test_export_writes_jsonld_and_markdown_that_parse_back(exported, kit):
    variants, out, _ = exported
    variant = variants[kit]
    stem = f"{variant['id']}-v{variant['version']}"
    document = json.loads((out / f"{stem}.jsonld").read_text(encoding="utf-8"))
    assert validate_jsonld(document) == []
    from pyld import jsonld

    from studio.agent_facts.validate import _loader

    expanded = jsonld.expand(document, {"documentLoader": _loader})
    types = {t for node in expanded for t in node.get("@type", [])}
    assert {"http://schema.org/Product", "http://schema.org/FAQPage"} <= types
    product = next(n for n in document["@graph"] if n["@type"] == "Product")
    assert product["name"] == PRODUCTS[kit]
    if kit == "northpeak":  # the brief has an offer with a price
        assert product["offers"]["@type"] == "Offer"
        assert (product["offers"]["price"], product["offers"]["priceCurrency"]) == ("189", "USD")
    else:
        assert "offers" not in product
    faq = next(n for n in document["@graph"] if n["@type"] == "FAQPage")
    assert faq["inLanguage"] == ("zh" if kit == "chayuan" else "en") and len(faq["mainEntity"]) >= 2
    markdown = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"## {product['name']}")
    assert all(q["name"] in markdown for q in faq["mainEntity"])
    copy = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert copy["channel"] == "agent_facts" and copy["ai_generated"] is True


def test_validation_names_what_is_missing_or_unknown():
    copy = {"name": "Ridgeback Shell", "description": "Ridgeback Shell is a product of Northpeak Outdoor.",
            "facts": "Shell fabric made with 80% recycled nylon.", "faq": "Q: What is it?\nA: A rain shell."}
    document = to_jsonld(copy, brand="Northpeak Outdoor", language="en", node_id="urn:test")
    assert validate_jsonld(document) == []
    product = document["@graph"][0]
    product["colour"] = "red"  # not a term of the shipped context: expansion would drop it silently
    del product["brand"]
    problems = validate_jsonld(document)
    assert any("'colour'" in p for p in problems) and any("Product" in p and "brand" in p for p in problems)


def test_a_hand_edit_that_breaks_the_faq_is_a_clear_error():
    assert parse_faq("问：春山绿是什么？\n答：绿茶。\nAI生成", ["AI生成"]) == [("春山绿是什么？", "绿茶。")]
    with pytest.raises(AgentFactsError, match="faq line 1"):
        parse_faq("Just some text")
    with pytest.raises(AgentFactsError, match="has no answer"):
        parse_faq("Q: What is it?")


def test_a_claim_substantiated_for_another_product_is_not_a_fact_of_this_one():
    from studio.agent_facts.facts import write_agent_facts
    from studio.kits import load_kit
    from tests.conftest import KITS_DIR

    loaded = load_kit("northpeak", KITS_DIR)
    segment = loaded.kit.segment("city-commuters")
    result = write_agent_facts(loaded, segment, get_channel("agent_facts"),
                               Brief(text="Fact sheet", product="Talus Down Jacket"), market="US")
    ids = {c["id"] for c in result.provenance["claims"]}
    assert "rds-down" in ids and "stormlayer-20k" not in ids and "recycled-nylon" not in ids
    assert "20,000" not in " ".join(result.copy.values())



def test_a_brief_without_a_product_is_refused_before_anything_is_queued():
    from studio.review import ReviewQueue
    from studio.workflow.runner import GenerateRequest, InputError, generate

    before = len(ReviewQueue().list())
    with pytest.raises(InputError, match="agent_facts needs a product"):
        generate(GenerateRequest(kit="northpeak", segment="city-commuters", channels=["agent_facts"],
                                 brief=Brief(text="Spring sale"), market="US"), by="alice")
    assert len(ReviewQueue().list()) == before
