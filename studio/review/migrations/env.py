"""Alembic environment: runs on the connection Studio hands over (see studio.review.db.migrate)."""

from alembic import context

from studio.review.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
