"""Modules loaded on first use behave as the real ones, also when submodules of one package load together."""
from __future__ import annotations

import subprocess
import sys


def test_deferred_modules_import_on_first_use_and_work():
    code = (
        "import sys\n"
        "from app.platform.lazy import lazy_import\n"
        "ser = lazy_import('cryptography.hazmat.primitives.serialization')\n"
        "rsa = lazy_import('cryptography.hazmat.primitives.asymmetric.rsa')\n"
        "assert 'cryptography.hazmat.primitives.asymmetric.rsa' not in sys.modules\n"
        "key = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n"
        "pem = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())\n"
        "assert pem.startswith(b'-----BEGIN PRIVATE KEY-----')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_app_starts_without_the_deferred_libraries(app):
    code = (
        "import sys\n"
        "from app import create_app\n"
        "from config import TestConfig\n"
        "create_app(TestConfig())\n"
        "loaded = [m for m in ('jwt', 'segno', 'pyotp', 'cryptography.hazmat.bindings._rust') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
