"""experiments, their variants and imported results (issue 18)

Revision ID: 0004_experiments
Revises: 0003_keyed_audit_chain
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0004_experiments'
down_revision = '0003_keyed_audit_chain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
