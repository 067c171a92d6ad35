"""Compliance, bias and brand checks (category ids and JSON shape: DESIGN.md "Contract: check output").

Public API: Checker(kit).check_text(...), Checker(kit).check_copy(...), get_checker(kit).

Decisions:
- market None: the kit's first market when there is a kit, else the common pack plus every market pack.
- missing_disclosure findings have no span: start = end = 0 and text "" (field None in check_copy,
  because presence is judged over all fields joined).
- PII: role mailboxes (support@, hello@ ...) and toll-free / 400 service numbers are `info`; text inside
  the kit's own disclosure lines is never PII; other emails and phones `warn`; ID and card numbers
  (checksum-valid only) `block`.
- Overlapping findings of one category keep the most severe; findings are sorted by (field, start).
"""

from studio.checks.engine import Checker, get_checker

__all__ = ["Checker", "get_checker"]
