"""How many CPU threads a piece of work gets: the cores this process may use, and counts set in the environment."""
from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the OS tells it), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def threads_from_env(name: str, default: int) -> int:
    """The positive whole number in environment variable `name`; `default` (at least 1) when it is unset or not one."""
    try:
        return max(1, int(os.environ.get(name, "")))
    except ValueError:
        return max(1, default)
