"""a keyed 64-bit watermark id per variant (issue 16)

Revision ID: 0006_variant_marks
Revises: 0005_api_tokens
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0006_variant_marks'
down_revision = '0005_api_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
