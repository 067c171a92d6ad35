"""CSV cells a spreadsheet shows as text: the one place that knows about formula injection."""

from __future__ import annotations

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection"): =HYPERLINK,
# =cmd|..., +/-/@ forms, and tab or CR before any of them. Such cells get a leading single quote.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """A report cell a spreadsheet shows as text: user-controlled strings never start a formula.
    Numbers stay numbers (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value
