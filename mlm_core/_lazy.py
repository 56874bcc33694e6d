"""Lazy re-exports for the package `__init__` files: `from mlm_core import analyze` imports `mlm_core.inference.analysis`
only when the name is first used, so importing one light module (say `mlm_core.errors`) never pulls in torch."""
from __future__ import annotations

import importlib
import sys


def lazy_exports(package: str, table: str):
    """(__getattr__, __dir__, __all__) for a package whose public names live in its modules. `table` has one line
    per module: the module relative to the package, a colon, the names it exports ('.analysis: analyze forward_at')."""
    exports = {}
    for line in table.strip().splitlines():
        module, _, names = line.partition(":")
        exports.update(dict.fromkeys(names.split(), module.strip()))

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__, sorted(exports)
