"""The files an exported `agent_facts` variant adds beside its JSON: `.jsonld` (schema.org, validated) and `.md`
(the llms.txt section)."""

from __future__ import annotations

import json

from studio.agent_facts.render import AgentFactsError, to_jsonld, to_markdown
from studio.agent_facts.validate import validate_jsonld


def fact_sheet_files(variant: dict) -> dict[str, bytes]:
    """{suffix: bytes} for one variant; raises AgentFactsError when its copy does not make a valid fact sheet."""
    facts = (variant.get("provenance") or {}).get("agent_facts") or {}
    language = facts.get("language") or "en"
    brand = facts.get("brand") or variant["kit"]
    disclosures = (variant.get("labels") or {}).get("copy_disclosures", [])
    document = to_jsonld(variant["copy"], brand=brand, language=language,
                         node_id=f"urn:studio:variant:{variant['id']}:v{variant['version']}", disclosures=disclosures)
    problems = validate_jsonld(document)
    if problems:
        raise AgentFactsError(f"variant {variant['id']}: the fact sheet is not valid schema.org: {problems[0]}")
    markdown = to_markdown(variant["copy"], brand=brand, language=language, disclosures=disclosures)
    return {".jsonld": json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
            ".md": markdown.encode("utf-8")}
