"""API tokens for MCP over HTTP, stored hashed (issue 17)

Revision ID: 0005_api_tokens
Revises: 0004_experiments
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0005_api_tokens'
down_revision = '0004_experiments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
