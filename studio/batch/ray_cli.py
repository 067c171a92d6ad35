"""`studio batch FILE --ray [ADDRESS]`: the address is optional, which Typer's options cannot express."""

from __future__ import annotations

from pathlib import Path

LOCAL = "local"  # ray.init(address="local"): always a new local Ray instance


def ray_flag_value(argv: list[str]) -> list[str]:
    """Give a bare `--ray` of the batch command its default value, 'local'.

    `--ray` is bare when it is last, followed by another option, or followed by an existing file (the
    batch FILE written after it); anything else after it is the cluster address."""
    if not argv or argv[0] != "batch" or "--ray" not in argv:
        return argv
    out = list(argv)
    at = out.index("--ray")
    following = out[at + 1] if at + 1 < len(out) else None
    if following is None or following.startswith("-") or Path(following).is_file():
        out.insert(at + 1, LOCAL)
    return out
