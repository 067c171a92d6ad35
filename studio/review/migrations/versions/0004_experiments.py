"""experiments, their variants and imported results (issue 18)

Revision ID: 0004_experiments
Revises: 0003_keyed_audit_chain

Tables of studio.experiments.models: experiments, experiment_arms (the approved variants under test with the
newest imported figures), experiment_imports (each result file with its SHA-256) and module_outcomes (wins and
losses of content modules per kit, segment and channel, read by the composer).
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_experiments'
down_revision = '0003_keyed_audit_chain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'experiments',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kit', sa.String(length=80), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('metric', sa.String(length=8), nullable=False),
        sa.Column('hypothesis', sa.Text(), nullable=True),
        sa.Column('mde', sa.Float(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('winner', sa.String(length=40), nullable=True),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=80), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('experiments') as batch_op:
        batch_op.create_index('ix_experiments_kit', ['kit'], unique=False)
        batch_op.create_index('ix_experiments_status', ['status'], unique=False)
    op.create_table(
        'experiment_imports',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('experiment_id', sa.String(length=40), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('format', sa.String(length=20), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('imported_by', sa.String(length=80), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('experiment_id', 'sha256', name='uq_experiment_import_file'),
    )
    with op.batch_alter_table('experiment_imports') as batch_op:
        batch_op.create_index('ix_experiment_imports_experiment_id', ['experiment_id'], unique=False)
    op.create_table(
        'experiment_arms',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('experiment_id', sa.String(length=40), nullable=False),
        sa.Column('variant_id', sa.String(length=40), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('segment', sa.String(length=80), nullable=False),
        sa.Column('modules', sa.JSON(), nullable=False),
        sa.Column('impressions', sa.Integer(), nullable=False),
        sa.Column('clicks', sa.Integer(), nullable=False),
        sa.Column('conversions', sa.Integer(), nullable=False),
        sa.Column('spend', sa.Float(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id']),
        sa.ForeignKeyConstraint(['variant_id'], ['variants.id']),
        sa.ForeignKeyConstraint(['import_id'], ['experiment_imports.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('experiment_id', 'variant_id', name='uq_experiment_arm'),
    )
    with op.batch_alter_table('experiment_arms') as batch_op:
        batch_op.create_index('ix_experiment_arms_experiment_id', ['experiment_id'], unique=False)
    op.create_table(
        'module_outcomes',
        sa.Column('kit', sa.String(length=80), nullable=False),
        sa.Column('segment', sa.String(length=80), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('module_id', sa.String(length=120), nullable=False),
        sa.Column('successes', sa.Integer(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kit', 'segment', 'channel', 'module_id'),
    )


def downgrade() -> None:
    op.drop_table('module_outcomes')
    op.drop_table('experiment_arms')
    op.drop_table('experiment_imports')
    op.drop_table('experiments')
