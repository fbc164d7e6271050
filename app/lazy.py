"""Modules that only a few requests need, loaded on first use instead of in every worker at start.

PyJWT with cryptography, segno and pyotp together cost each gunicorn worker about 20 MiB when imported at
start, for pages (signing a credential, drawing a QR code, checking a second factor) that most workers
serve rarely. `lazy_import("jwt")` returns the module object at once and runs its code on first use.
"""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}")
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
