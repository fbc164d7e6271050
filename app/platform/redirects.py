"""Where a `next` parameter may send someone: only a path on this site (no open redirect)."""
from __future__ import annotations


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None. Never raises, whatever it is given."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t\x00") or any(ord(ch) < 32 for ch in target):
        return None
    return target
