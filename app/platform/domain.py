"""The one shape of a broken business rule, raised by every feature's services and caught by its views.

`message` is for the person and usually lazy (`_l(...)`), so it is worded when shown, in their language;
`str(error)` is that wording. `code` is a stable word for machines (the API, tests) where a feature has one.
Each feature names its own subclass (EnrolmentError, ProviderError...), so a view catches only its own.
Not to be confused with app/errors.py, the error pages."""
from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
