"""The human review queue: SQLAlchemy models, service, users and roles, audit chain."""

from studio.review.queue import DECISIONS, STATUSES, ConflictError, QueueError, ReviewQueue
from studio.review.users import PermissionDenied, User, authenticate, get_user

__all__ = ["DECISIONS", "STATUSES", "ConflictError", "PermissionDenied", "QueueError", "ReviewQueue", "User",
           "authenticate", "get_user"]
