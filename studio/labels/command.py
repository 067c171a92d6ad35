"""`studio verify FILE [--db URL] [--json]`: exit 0 all marks present and valid, 1 something missing, stripped
or broken, 2 bad file."""

from __future__ import annotations

import json
import sys

from studio.imaging.safety import ImageInputError


def run_verify_command(file: str, as_json: bool, db: str | None = None) -> int:
    from pathlib import Path

    from studio.labels.verify import verify_file

    if db and "://" not in db and not Path(db).is_file():
        print(f"error: --db {db}: no such database file (a SQLite file or a SQLAlchemy URL)", file=sys.stderr)
        return 2
    try:
        report = verify_file(file, db_url=db)
    except (FileNotFoundError, ImageInputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - e.g. an unreachable --db: one line, exit 2
        if type(exc).__name__ != "DatabaseUnavailable":
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(f"{report.file}  {report.format} {report.width}x{report.height}  variant: {report.variant_id or '?'}"
              f"  mark id: {report.mark_id or '-'}  made by Studio: {'yes' if report.made_by_studio else 'no evidence'}")
        for name, mark in report.marks.items():
            flag = "OK " if mark.ok else mark.status.upper()
            print(f"  [{flag}] {name}: {mark.detail}")
        if report.queue is not None:
            q = report.queue
            print(f"  queue: variant {q['variant_id']} ({q['status']}, version {q['version']}, {q['kit']}/{q['channel']})"
                  if q.get("found") else f"  queue: mark id {q['mark_id']} is not in this review queue")
        print("all labels present and valid" if report.ok else f"{len(report.problems)} label(s) missing, stripped or broken")
    return 0 if report.ok else 1
