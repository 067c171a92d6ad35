"""Export approved variants: copy as JSON (with its disclosures, labels, provenance and the reviewer's
decision), images as the labelled PNGs they already are. Each file is written atomically."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from studio.review.queue import ReviewQueue


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _approval(history: dict) -> dict | None:
    for decision in reversed(history["decisions"]):
        if decision["decision"] == "approve":
            return {"approved_by": decision["by"], "approved_at": decision["at"], "version": decision["version"],
                    "note": decision["note"], "override_reason": decision["override_reason"]}
    return None


def export_variants(queue: ReviewQueue, out_dir: Path, *, status: str = "approved", by: str) -> list[dict]:
    """Write every variant with `status` to out_dir; approved ones become exported. Returns what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in queue.list(status=status):
        full = queue.show(variant["id"], history=True)
        stem = f"{variant['id']}-v{variant['version']}"
        image_out = None
        if variant["image"]:
            image_out = out_dir / f"{stem}.png"
            tmp = out_dir / f".{stem}.png.tmp"
            shutil.copyfile(variant["image"], tmp)  # a byte copy keeps the labels and the C2PA signature valid
            os.replace(tmp, image_out)
        provenance = full["provenance"]
        document = {
            "id": variant["id"],
            "version": variant["version"],
            "kit": variant["kit"],
            "segment": variant["segment"],
            "channel": variant["channel"],
            "market": variant["market"],
            "copy": variant["copy"],
            "disclosures": full["labels"].get("copy_disclosures", []),
            "ai_generated": True,
            "model": provenance.get("model"),
            "provenance": provenance,
            "labels": full["labels"],
            "image": image_out.name if image_out else None,
            "verdict": variant["verdict"],
            "findings": variant["findings"],
            "review": _approval(full["history"]),
            "override": variant["override"],
        }
        copy_out = out_dir / f"{stem}.json"
        _atomic_write(copy_out, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
        if status == "approved":
            queue.mark_exported(variant["id"], by=by, destination=str(out_dir))
        written.append({"id": variant["id"], "version": variant["version"], "copy": str(copy_out),
                        "image": str(image_out) if image_out else None})
    return written
