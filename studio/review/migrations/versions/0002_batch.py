"""batch tables (studio.batch.models)

Revision ID: 0002_batch
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_batch'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('batch_tasks',
    sa.Column('batch_id', sa.String(length=40), nullable=False),
    sa.Column('task_id', sa.String(length=200), nullable=False),
    sa.Column('row_id', sa.String(length=120), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('segment', sa.String(length=80), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('variant_ids', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', 'task_id')
    )
    with op.batch_alter_table('batch_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batch_tasks_row_id'), ['row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_tasks_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('batch_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_tasks_status'))
        batch_op.drop_index(batch_op.f('ix_batch_tasks_row_id'))
    op.drop_table('batch_tasks')
    op.drop_table('batches')
