"""Who may do what, as pure predicates over the signed-in user (anonymous users included)."""
from __future__ import annotations

from collections.abc import Callable


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_admin(user) -> bool:
    return is_signed_in(user) and bool(user.is_admin)


def is_staff(user) -> bool:
    """Association staff; admins can do everything staff can."""
    return is_signed_in(user) and bool(user.is_staff or user.is_admin)


_SECOND_FACTOR_RULES: list[Callable[[object], bool]] = []


def require_second_factor_when(rule: Callable[[object], bool]) -> None:
    """A part built on accounts names who else signs in with a second factor (providers: owners)."""
    if rule not in _SECOND_FACTOR_RULES:
        _SECOND_FACTOR_RULES.append(rule)


def needs_second_factor(user) -> bool:
    """Admins and association staff sign in with a second factor, and whoever a registered rule names."""
    return bool(user.is_admin or user.is_staff or any(rule(user) for rule in _SECOND_FACTOR_RULES))
