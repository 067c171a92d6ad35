"""Export approved variants: copy as JSON (with its disclosures, labels, provenance and the reviewer's
decision), images as the labelled PNGs they already are. Each file is written atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from studio.review.queue import QueueError, ReviewQueue


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


EXPORTABLE = ("approved", "exported")


def _fact_sheets(variants: list[dict]) -> dict[str, dict[str, bytes]]:
    """The .jsonld and .md files of the agent_facts variants (studio/agent_facts/export.py)."""
    from studio.agent_facts.export import fact_sheet_files
    from studio.agent_facts.render import AgentFactsError

    try:
        return {v["id"]: fact_sheet_files(v) for v in variants if v["channel"] == "agent_facts"}
    except AgentFactsError as exc:
        raise QueueError(str(exc)) from None


def export_variants(queue: ReviewQueue, out_dir: Path, *, status: str = "approved", by: str) -> list[dict]:
    """Write every variant with `status` to out_dir; approved ones become exported. Returns what was written.

    Only the roles allowed to export may, and only variants whose current version carries a recorded approve
    decision are written: a status changed by hand in the database exports nothing.
    """
    queue.user(by).require("export")
    if status not in EXPORTABLE:
        raise QueueError(f"only approved variants are exported (--status {' or '.join(EXPORTABLE)}), not '{status}'")
    chosen = queue.list(status=status)
    approvals = {v["id"]: queue.approval(v["id"]) for v in chosen}  # all checked before anything is written
    fact_sheets = _fact_sheets(chosen)  # agent_facts: rendered and validated before anything is written too
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in chosen:
        stem = f"{variant['id']}-v{variant['version']}"
        image_out = None
        if variant["image"]:
            image_out = out_dir / f"{stem}.png"
            tmp = out_dir / f".{stem}.png.tmp"
            shutil.copyfile(variant["image"], tmp)  # a byte copy keeps the labels and the C2PA signature valid
            os.replace(tmp, image_out)
        provenance = variant["provenance"]
        document = {
            "id": variant["id"],
            "version": variant["version"],
            "kit": variant["kit"],
            "segment": variant["segment"],
            "channel": variant["channel"],
            "market": variant["market"],
            "copy": variant["copy"],
            "disclosures": variant["labels"].get("copy_disclosures", []),
            "ai_generated": True,
            "model": provenance.get("model"),
            "provenance": provenance,
            "labels": variant["labels"],
            "image": image_out.name if image_out else None,
            "verdict": variant["verdict"],
            "findings": variant["findings"],
            "review": approvals[variant["id"]],
            "override": variant["override"],
        }
        copy_out = out_dir / f"{stem}.json"
        _atomic_write(copy_out, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
        for suffix, data in fact_sheets.get(variant["id"], {}).items():
            _atomic_write(out_dir / f"{stem}{suffix}", data)
        if status == "approved":
            queue.mark_exported(variant["id"], by=by, destination=str(out_dir))
        written.append({"id": variant["id"], "version": variant["version"], "copy": str(copy_out),
                        "image": str(image_out) if image_out else None})
    return written
