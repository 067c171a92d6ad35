"""initial review queue schema

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('variant_id', sa.String(length=40), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hash'),
    sa.UniqueConstraint('prev_hash')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_variant_id'), ['variant_id'], unique=False)

    op.create_table('generation_requests',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('kit', sa.String(length=80), nullable=False),
    sa.Column('segment', sa.String(length=80), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('market', sa.String(length=8), nullable=False),
    sa.Column('brief', sa.JSON(), nullable=False),
    sa.Column('variants_per_channel', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.String(length=40), nullable=True),
    sa.Column('row_id', sa.String(length=120), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('generation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_generation_requests_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_generation_requests_idempotency_key'), ['idempotency_key'], unique=False)

    op.create_table('variants',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('request_id', sa.String(length=40), nullable=False),
    sa.Column('kit', sa.String(length=80), nullable=False),
    sa.Column('segment', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('market', sa.String(length=8), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=8), nullable=True),
    sa.Column('assignee', sa.String(length=80), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['generation_requests.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id', 'channel', 'slot', name='uq_variant_slot')
    )
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variants_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_kit'), ['kit'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_variants_verdict'), ['verdict'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('variant_id', sa.String(length=40), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('by_user', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_variant_id'), ['variant_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('variant_id', sa.String(length=40), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=24), nullable=False),
    sa.Column('by_user', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('variant_id', 'version_number', name='uq_one_decision_per_version')
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_variant_id'), ['variant_id'], unique=False)

    op.create_table('versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('variant_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('copy', sa.JSON(), nullable=False),
    sa.Column('image_path', sa.Text(), nullable=True),
    sa.Column('provenance', sa.JSON(), nullable=False),
    sa.Column('check_report', sa.JSON(), nullable=False),
    sa.Column('verdict', sa.String(length=8), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('variant_id', 'number', name='uq_version_number')
    )
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_versions_variant_id'), ['variant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_versions_variant_id'))

    op.drop_table('versions')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_variant_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_variant_id'))

    op.drop_table('comments')
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variants_verdict'))
        batch_op.drop_index(batch_op.f('ix_variants_status'))
        batch_op.drop_index(batch_op.f('ix_variants_request_id'))
        batch_op.drop_index(batch_op.f('ix_variants_kit'))
        batch_op.drop_index(batch_op.f('ix_variants_channel'))
        batch_op.drop_index(batch_op.f('ix_variants_batch_id'))

    op.drop_table('variants')
    with op.batch_alter_table('generation_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generation_requests_idempotency_key'))
        batch_op.drop_index(batch_op.f('ix_generation_requests_batch_id'))

    op.drop_table('generation_requests')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_variant_id'))

    op.drop_table('audit_events')
