"""Reading JSON bodies through the HTML pages' own WTForms forms, so that a rule is written once."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectMultipleField

from app.api.problems import problem

NOT_JSON = _l("The body must be a JSON object.")


class Refused(Exception):
    """Raised by a helper; the blueprint answers with `response`."""

    def __init__(self, response) -> None:
        super().__init__(response.status_code)
        self.response = response


def json_object() -> dict:
    if not request.is_json:
        raise Refused(problem(415))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused(problem(400, "bad_json", NOT_JSON))
    return data


def _as_form_values(data: dict) -> MultiDict:
    """JSON values as the strings a browser would post: lists repeat the key, true is "y", null is ""."""
    values = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None or item is False:
                continue
            values.add(key, "y" if item is True else str(item))
    return values


def validated(form_class, data: dict, **kwargs):
    """The form filled from `data` and validated, or Refused with a 422 naming each refused field.
    Keys the form does not know are refused too, so a typo is not silently ignored."""
    form = form_class(formdata=_as_form_values(data), meta={"csrf": False}, **kwargs)
    unknown = sorted(set(data) - {name for name in form._fields})
    # A list for a one-value field would otherwise be read as its first item alone.
    lists = sorted(name for name, value in data.items() if isinstance(value, list) and name in form._fields
                   and not isinstance(form._fields[name], SelectMultipleField))
    if not form.validate() or unknown or lists:
        errors = {name: list(messages) for name, messages in form.errors.items()}
        for name in unknown:
            errors[name] = [_l("Unknown field.")]
        for name in lists:
            errors.setdefault(name, []).append(_l("Send one value here, not a list."))
        raise Refused(problem(422, "invalid", errors=errors))
    return form
