"""AI labels: visible label, XMP + CN AIGC metadata, invisible watermark, C2PA manifest, and verify."""

from studio.labels.apply import apply_image_labels
from studio.labels.text import copy_disclosures, visible_label_text
from studio.labels.verify import MarkResult, VerifyReport, verify_file

__all__ = ["MarkResult", "VerifyReport", "apply_image_labels", "copy_disclosures", "verify_file", "visible_label_text"]
