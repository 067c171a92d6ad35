"""Validate agent_facts JSON-LD offline: expand it with pyld against the schema.org context shipped in this
package (schemaorg-context.json; no network), then check each type's required properties on the expanded
graph. Returns a list of problems (empty when valid)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONTEXT_FILE = Path(__file__).with_name("schemaorg-context.json")
SCHEMA = "http://schema.org/"
SCHEMA_URLS = {"https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/",
               "https://schema.org/docs/jsonldcontext.json", "http://schema.org/docs/jsonldcontext.json"}
# Required here: what an assistant needs to use the node (Google's product and FAQ rich-result rules, minus the
# price: a brief's offer may not state one, and Studio does not invent one). An Offer needs a description or a price.
REQUIRED = {
    "Product": ["name", "description", "brand"],
    "Brand": ["name"],
    "Organization": ["name"],
    "Offer": [("description", "price")],
    "PropertyValue": ["name", "value"],
    "FAQPage": ["mainEntity"],
    "Question": ["name", "acceptedAnswer"],
    "Answer": ["text"],
}


@cache
def _context() -> dict:
    return {"@context": json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]}


def _loader(url, options=None):
    if url.rstrip("/") in {u.rstrip("/") for u in SCHEMA_URLS}:
        return {"contextUrl": None, "documentUrl": url, "document": _context()}
    raise ValueError(f"agent_facts validation is offline: no document for {url}")


def _unknown_terms(node, terms: set[str], path: str = "") -> list[str]:
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@") and key not in terms:
                out.append(f"{path or '/'}: '{key}' is not a schema.org term this context defines")
            out += _unknown_terms(value, terms, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            out += _unknown_terms(item, terms, f"{path}[{i}]")
    return out


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "@type":
                yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _has(node: dict, term: str) -> bool:
    values = node.get(SCHEMA + term) or []
    return any((v.get("@value") not in (None, "")) if "@value" in v else bool(v) for v in values)


def validate_jsonld(document: dict) -> list[str]:
    from pyld import jsonld

    problems = _unknown_terms(document, set(_context()["@context"]))
    try:
        expanded = jsonld.expand(document, {"documentLoader": _loader})
    except Exception as exc:  # noqa: BLE001 - pyld raises its own JsonLdError for any malformed document
        return problems + [f"JSON-LD does not expand: {exc}"]
    types_seen = set()
    for node in _nodes(expanded):
        for t in node.get("@type", []):
            short = t.removeprefix(SCHEMA)
            types_seen.add(short)
            for need in REQUIRED.get(short, []):
                options = need if isinstance(need, tuple) else (need,)
                if not any(_has(node, o) for o in options):
                    problems.append(f"{short} {node.get('@id', '')}: needs {' or '.join(options)}".replace("  ", " "))
    for t in ("Product", "FAQPage"):
        if t not in types_seen:
            problems.append(f"no {t} node")
    return problems
