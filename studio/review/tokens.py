"""API tokens: a bearer token names a Studio user for MCP over HTTP (`studio user token create|revoke`).

A token is shown once, when it is made; the database keeps only its SHA-256. Tokens are 256 random bits,
so a fast hash is enough (nothing to brute-force), and it lets a request find its token by the hash alone.
The user's role is read from the users file at each request, never stored with the token: a role change or
a removed user takes effect at once.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import Mapped, mapped_column

from studio.config import Settings, get_settings
from studio.review.db import session_scope
from studio.review.models import Base
from studio.review.queue import QueueError, ReviewQueue
from studio.review.users import User

PREFIX = "studio_"


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user: Mapped[str] = mapped_column(String(80), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user_name: str, settings: Settings | None = None) -> dict:
    """A new token for a known user: {"id", "user", "role", "token", "created_at"}; the token is not kept."""
    queue = ReviewQueue(settings)
    user = queue.user(user_name)  # QueueError for an unknown name
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(id=f"tok_{uuid.uuid4().hex[:12]}", user=user.name, token_hash=token_hash(token),
                   created_at=datetime.now(UTC))
    with session_scope(queue.url) as session:
        session.add(row)
    queue.record(actor=user.name, action="token_created", detail={"token_id": row.id})
    return {"id": row.id, "user": user.name, "role": user.role, "token": token, "created_at": row.created_at.isoformat()}


def revoke_token(token_id: str, settings: Settings | None = None) -> dict:
    """Revoke a token by its id (revoking twice keeps the first time): {"id", "user", "revoked_at"}."""
    queue = ReviewQueue(settings)
    with session_scope(queue.url) as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise QueueError(f"no API token '{token_id}'")
        newly = row.revoked_at is None
        if newly:
            row.revoked_at = datetime.now(UTC)
        result = {"id": row.id, "user": row.user, "revoked_at": row.revoked_at.isoformat()}
    if newly:
        queue.record(actor=result["user"], action="token_revoked", detail={"token_id": token_id})
    return result


def list_tokens(user_name: str | None = None, settings: Settings | None = None) -> list[dict]:
    """Tokens (never their secret), oldest first: {"id", "user", "created_at", "revoked_at"}."""
    settings = settings or get_settings()
    query = select(ApiToken).order_by(ApiToken.created_at, ApiToken.id)
    if user_name:
        query = query.where(ApiToken.user == user_name)
    with session_scope(settings.db_url) as session:
        return [{"id": t.id, "user": t.user, "created_at": t.created_at.isoformat(),
                 "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
                for t in session.execute(query).scalars()]


def user_for_token(token: str, settings: Settings | None = None) -> tuple[User, str] | None:
    """(the user, the token id) for a live token; None for an unknown or revoked token or a user who is gone."""
    settings = settings or get_settings()
    if not token.startswith(PREFIX):
        return None
    with session_scope(settings.db_url) as session:
        row = session.execute(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            return None
        name, token_id = row.user, row.id
    try:
        return ReviewQueue(settings).user(name), token_id
    except QueueError:
        return None
