"""A page of its own that asks before a step that cannot be undone.

GET on the action's own address shows this page; the POST to that address does the step, as before (with
its CSRF and permission checks). It works without script: a plain form, and a button styled as destructive.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import render_template, request


def confirm_page(*, title: str, lines: Iterable[str], button: str, back: str, action: str | None = None,
                 hidden: Mapping[str, object] | None = None, fields: Iterable = (), status: int = 200,
                 undoable: bool = False):
    """lines say what will happen and to whom; fields are WTForms fields to fill in (a reason);
    hidden are values the POST needs (a member's id). undoable=False adds "This cannot be undone." """
    page = render_template("confirm/page.html", title=title, lines=list(lines), button=button, back=back,
                           action=action or request.path, hidden=dict(hidden or {}), fields=list(fields),
                           undoable=undoable)
    return page, status
