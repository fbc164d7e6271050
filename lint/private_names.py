"""An import-linter contract: no part of `app` imports another part's private names.

A name that starts with an underscore (`_digits`, `_local`) is its module's own. Inside one part (the
package under `app`, e.g. `app.exchanges`) modules may share them; across parts they may not, so that a
part can change its private helpers without reading the rest of the app. Every `from ... import` in a
module counts, also those inside functions.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from importlinter import Contract, ContractCheck, fields, output


def _part(module: str, container: str) -> str | None:
    if not module.startswith(container + "."):
        return None
    return module[len(container) + 1:].split(".", 1)[0]


def _source(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class PrivateNamesContract(Contract):
    """Options: `container`, the package whose parts are compared (e.g. `app`)."""

    container = fields.StringField()

    def check(self, graph, verbose: bool) -> ContractCheck:
        container = self.container
        broken = []
        for importer in sorted(graph.modules):
            own = _part(importer, container)
            path = _source(importer) if own else None
            if path is None:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom):
                    continue
                imported = _absolute(node, importer, path.name == "__init__.py")
                other = _part(imported, container)
                if other is None or other == own:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        broken.append((importer, node.lineno, imported, alias.name))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, line, imported, name in check.metadata["broken"]:
            output.print_error(f"{importer}:{line} imports {name} from {imported}: a private name of another part.")
            output.new_line()
