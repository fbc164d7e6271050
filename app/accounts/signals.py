"""What accounts tells the features above it, so that it never imports them (blinker signals).

- `revoke_credentials` is sent with the person whose every way in must end beyond the sign-in sessions
  this package keeps (a password reset; "sign out everywhere" when asked). Receivers return how many
  credentials they revoked; `revoke_other_credentials(user)` adds them up. The API's tokens subscribe in
  app/api/auth.py.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
revoke_credentials = _signals.signal("revoke-credentials")


def revoke_other_credentials(user) -> int:
    """Ask every subscriber to revoke `user`'s credentials (flushed, not committed); how many ended."""
    return sum(int(result or 0) for _receiver, result in revoke_credentials.send(user))
