"""`studio verify FILE [--json]`: exit 0 all marks present and valid, 1 something missing/broken, 2 bad file."""

from __future__ import annotations

import json
import sys

from studio.imaging.safety import ImageInputError


def run_verify_command(file: str, as_json: bool) -> int:
    from studio.labels.verify import verify_file

    try:
        report = verify_file(file)
    except (FileNotFoundError, ImageInputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(f"{report.file}  {report.format} {report.width}x{report.height}  variant: {report.variant_id or '?'}")
        for name, mark in report.marks.items():
            flag = "OK " if mark.ok else mark.status.upper()
            print(f"  [{flag}] {name}: {mark.detail}")
        print("all labels present and valid" if report.ok else f"{len(report.problems)} label(s) missing or broken")
    return 0 if report.ok else 1
