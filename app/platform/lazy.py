"""Modules that only a few requests need, loaded on first use instead of in every worker at start.

PyJWT with cryptography, segno and pyotp together cost each gunicorn worker about 10 MiB when imported at
start, for pages (signing a credential, drawing a QR code, checking a second factor) that most workers
serve rarely. `jwt = lazy_import("jwt")` gives a stand-in whose first attribute use imports the module
the ordinary way (importlib's LazyLoader was tried and fails when a package's submodules import each
other: "module object ... substituted in sys.modules during a lazy load").
"""
from __future__ import annotations

import importlib
from types import ModuleType


class _Deferred(ModuleType):
    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self.__name__), attribute)


def lazy_import(name: str) -> ModuleType:
    return _Deferred(name)
