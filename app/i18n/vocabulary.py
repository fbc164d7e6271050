"""A fixed vocabulary: the values a column may hold, each written once with its name on screen."""
from __future__ import annotations

import enum


class Vocabulary(enum.StrEnum):
    """A str enum whose members carry their lazy on-screen name:

        class CourseKind(Vocabulary):
            TRAINING = "training", _l("Training course")

    A member is its stored value (`CourseKind.TRAINING == "training"`); `.label` is its name in the reader's
    language, and `CourseKind.labels()` is {value: name} for select boxes and label lookups. A member written
    without a name (`EUR = "EUR"`) is named by its value."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = value if label is None else label
        return member

    @classmethod
    def labels(cls) -> dict:
        return {member.value: member.label for member in cls}
