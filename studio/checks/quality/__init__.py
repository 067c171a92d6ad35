"""The quality gate: is the copy well-formed language (garbled), does it carry the brief (off_brief), and
is every fact it states substantiated somewhere a reviewer can see (unsupported_claim)?"""

from studio.checks.quality.gate import BriefContext, QualityGate

__all__ = ["BriefContext", "QualityGate"]
