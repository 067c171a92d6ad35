"""Users and roles: creator (generates), reviewer (decides), admin (overrides, manages kits)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import bcrypt
import yaml
from pydantic import BaseModel, ConfigDict

from studio.config import get_settings
from studio.review.login_throttle import throttle

Role = Literal["creator", "reviewer", "admin"]
DEFAULT_USERS_FILE = Path(__file__).with_name("default_users.yaml")

PERMISSIONS: dict[str, set[Role]] = {
    "generate": {"creator", "admin"},
    "edit": {"creator", "reviewer", "admin"},
    "comment": {"creator", "reviewer", "admin"},
    "decide": {"reviewer", "admin"},
    "assign": {"reviewer", "admin"},
    "override": {"admin"},
    "manage_kits": {"admin"},
    "export": {"reviewer", "admin"},
}
NO_USERS = "no users are configured: set STUDIO_USERS_FILE, or STUDIO_DEMO_USERS=1 for the demo accounts"


class PermissionDenied(PermissionError):
    pass


class User(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    role: Role
    display_name: str = ""
    password_hash: str

    def can(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]

    def require(self, action: str) -> None:
        if not self.can(action):
            allowed = " or ".join(sorted(PERMISSIONS[action]))
            raise PermissionDenied(f"user '{self.name}' is a {self.role}; '{action}' needs the role {allowed}")

    def check_password(self, password: str) -> bool:
        return bcrypt.checkpw(password.encode(), self.password_hash.encode())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


@cache
def _load(path: Path) -> dict[str, User]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        users = [User.model_validate(item) for item in raw.get("users", [])]
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read users file: {str(exc).splitlines()[0]}") from None
    return {u.name: u for u in users}


def load_users(path: Path | None) -> dict[str, User]:
    """The users file when one is set; else the demo accounts if STUDIO_DEMO_USERS=1; else nobody."""
    if path is not None:
        return _load(path.resolve())
    return _load(DEFAULT_USERS_FILE) if get_settings().demo_users else {}


def get_user(name: str, path: Path | None = None) -> User:
    users = load_users(path)
    if not users:
        raise KeyError(f"unknown user '{name}' ({NO_USERS})")
    if name not in users:
        raise KeyError(f"unknown user '{name}' (known: {', '.join(sorted(users))})")
    return users[name]


def authenticate(name: str, password: str, path: Path | None = None) -> User | None:
    """The user when the password is right and the name is not paused after repeated failures (login_throttle)."""
    if not throttle().allowed(name):
        return None
    user = load_users(path).get(name)
    if user:
        ok = user.check_password(password)
    else:  # unknown names cost a bcrypt check too, so timing does not tell which names exist
        bcrypt.checkpw(password.encode(), _DUMMY_HASH)
        ok = False
    throttle().record(name, ok)
    return user if ok else None


_DUMMY_HASH = bcrypt.hashpw(b"not-a-user", bcrypt.gensalt(rounds=10))
