"""What provider writes tell the parts built on them (blinker signals; the receiver never is imported here).

- `directory_changed`: an organisation joined, left or changed how the public directory shows it
  (sender: the organisation). The catalogue, which caches the directory with its pages, starts afresh.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
directory_changed = _signals.signal("directory-changed")
