"""a keyed 64-bit watermark id per variant (issue 16)

Revision ID: 0006_variant_marks
Revises: 0005_api_tokens
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_variant_marks'
down_revision = '0005_api_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('variant_marks',
    sa.Column('mark_id', sa.String(length=16), nullable=False),
    sa.Column('variant_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name='fk_variant_marks_variant'),
    sa.PrimaryKeyConstraint('mark_id'),
    sa.UniqueConstraint('variant_id', name='uq_variant_marks_variant')
    )


def downgrade() -> None:
    op.drop_table('variant_marks')
