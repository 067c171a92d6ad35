"""An `agent_facts` variant's copy as schema.org JSON-LD (Product, its Offer, an FAQPage) and as a Markdown
section for a site's llms.txt. Rendered from the (reviewed, possibly hand-edited) copy fields, so what was
checked and approved is what is published."""

from __future__ import annotations

import re

SCHEMA_CONTEXT = "https://schema.org"
_Q = re.compile(r"^\s*(?:Q|问)\s*[:：]\s*(.+)$")
_A = re.compile(r"^\s*(?:A|答)\s*[:：]\s*(.+)$")
# A price the offer states ("$129", "€99.50", "¥68", "68元"): becomes Offer.price/priceCurrency. No price, no price.
_PRICE = re.compile(r"(?P<cur>US\$|\$|€|£|¥|￥|RMB\s?|CNY\s?|USD\s?|EUR\s?)(?P<amount>\d+(?:[.,]\d{1,2})?)"
                    r"|(?P<amount2>\d+(?:\.\d{1,2})?)\s?(?P<cur2>元|EUR|USD|CNY)")
_CURRENCY = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY",
             "RMB": "CNY", "CNY": "CNY", "元": "CNY"}
HEADINGS = {
    "en": {"facts": "Documented facts", "offer": "Offer", "faq": "Frequently asked questions", "brand": "Brand",
           "fact": "Documented fact"},
    "zh": {"facts": "可核实的信息", "offer": "优惠", "faq": "常见问题", "brand": "品牌", "fact": "可核实的信息"},
}


class AgentFactsError(ValueError):
    """The copy cannot be read as a fact sheet (a hand edit broke the FAQ's Q/A lines)."""


def _lines(text: str, disclosures: list[str]) -> list[str]:
    drop = {d.strip() for d in disclosures}
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip() and ln.strip() not in drop]


def parse_faq(text: str, disclosures: list[str] = ()) -> list[tuple[str, str]]:
    """'Q: ...' / 'A: ...' lines (问：/答：) into pairs; a line that is neither continues the one before."""
    pairs: list[list[str]] = []
    for n, line in enumerate(_lines(text, list(disclosures)), start=1):
        q, a = _Q.match(line), _A.match(line)
        if q:
            pairs.append([q.group(1).strip(), ""])
        elif a and pairs and not pairs[-1][1]:
            pairs[-1][1] = a.group(1).strip()
        elif pairs and pairs[-1][1]:
            pairs[-1][1] += " " + line
        else:
            raise AgentFactsError(f"faq line {n}: expected a question ('Q: ' or '问：') before '{line[:40]}'")
    missing = [q for q, a in pairs if not a]
    if missing:
        raise AgentFactsError(f"faq: the question '{missing[0][:60]}' has no answer ('A: ' or '答：')")
    if not pairs:
        raise AgentFactsError("faq: no question and answer")
    return [(q, a) for q, a in pairs]


def offer_price(offer: str) -> tuple[str, str] | None:
    m = _PRICE.search(offer or "")
    if not m:
        return None
    cur = (m.group("cur") or m.group("cur2")).strip()
    amount = (m.group("amount") or m.group("amount2")).replace(",", ".")
    return amount, _CURRENCY[cur]


def to_jsonld(copy: dict[str, str], *, brand: str, language: str, node_id: str,
              disclosures: list[str] = ()) -> dict:
    """One JSON-LD document: a Product (with its Offer when the copy has one) and an FAQPage about it."""
    words = HEADINGS.get(language, HEADINGS["en"])
    product_id = f"{node_id}#product"
    product: dict = {
        "@type": "Product",
        "@id": product_id,
        "name": copy.get("name", "").strip(),
        "description": " ".join(_lines(copy.get("description", ""), list(disclosures))),
        "brand": {"@type": "Brand", "name": brand},
    }
    facts = _lines(copy.get("facts", ""), list(disclosures))
    if facts:
        product["additionalProperty"] = [{"@type": "PropertyValue", "name": words["fact"], "value": f} for f in facts]
    offer_text = (copy.get("offer") or "").strip()
    if offer_text:
        offer = {"@type": "Offer", "description": offer_text, "seller": {"@type": "Organization", "name": brand}}
        price = offer_price(offer_text)
        if price:
            offer["price"], offer["priceCurrency"] = price
        product["offers"] = offer
    faq = {
        "@type": "FAQPage",
        "@id": f"{node_id}#faq",
        "inLanguage": language,
        "about": {"@id": product_id},
        "mainEntity": [{"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
                       for q, a in parse_faq(copy.get("faq", ""), disclosures)],
    }
    return {"@context": SCHEMA_CONTEXT, "@graph": [product, faq]}


def to_markdown(copy: dict[str, str], *, brand: str, language: str, disclosures: list[str] = (),
                note: str = "") -> str:
    """A section for llms.txt (an H2 with a one-line summary, then lists), in the copy's language."""
    words = HEADINGS.get(language, HEADINGS["en"])
    name = copy.get("name", "").strip()
    out = [f"## {name} ({brand})", "", f"> {' '.join(_lines(copy.get('description', ''), list(disclosures)))}", ""]
    facts = _lines(copy.get("facts", ""), list(disclosures))
    if facts:
        out += [f"### {words['facts']}", "", *[f"- {f}" for f in facts], ""]
    if (copy.get("offer") or "").strip():
        out += [f"### {words['offer']}", "", copy["offer"].strip(), ""]
    out += [f"### {words['faq']}", ""]
    for q, a in parse_faq(copy.get("faq", ""), disclosures):
        out += [f"- **{q}** {a}"]
    out.append("")
    if disclosures or note:
        out += [f"_{' '.join([*disclosures, note]).strip()}_", ""]
    return "\n".join(out)
