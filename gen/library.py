"""What the build reads from the libraries themselves: versions, classes and signatures."""

from __future__ import annotations

import functools
import importlib
import inspect
import json

from gen import cache, i18n, timm_import
from gen.cache import library_version

SCHEDULERS = "torch.optim.lr_scheduler"


def torch_version() -> str:
    """The release, without the local build tag: 2.13.0, not 2.13.0+cpu."""
    return library_version("torch").split("+")[0]


def release(module: str) -> str:
    """The library a schedule's module belongs to, as pages name it: `torch 2.13.0`, `transformers 5.23.0`."""
    name = module.split(".")[0]
    return f"torch {torch_version()}" if name == "torch" else f"{name} {library_version(name)}"


def releases(code: str) -> str:
    """The libraries a script imports, as pages name them: `torch 2.13.0 and timm 1.0.31`."""
    found = [f"torch {torch_version()}"] + [
        release(name) for name in ("transformers", "timm") if f"from {name}" in code or f"import {name}" in code
    ]
    if len(found) == 1:
        return found[0]
    return i18n.tr("{some} and {last}", "libraries", some=i18n.tr(", ", "lists").join(found[:-1]), last=found[-1])


def scheduler_class(name: str, module: str = SCHEDULERS) -> type:
    if module.split(".")[0] == "timm":
        timm_import.ensure()
    return getattr(importlib.import_module(module), name)


@functools.cache  # read a thousand times per build; callers must not change the dict
def parameters(name: str, module: str = SCHEDULERS) -> dict[str, str | None]:
    """A class's constructor parameters in order, each with the repr of its default (None: required).

    Cached per library version (in cache.key): a warm rebuild need not import torch to read them."""
    key = f"signature/{cache.key(module, name)}.json"
    stored = cache.get(key)
    if stored is not None:
        return json.loads(stored)
    empty = inspect.Parameter.empty
    sig = inspect.signature(scheduler_class(name, module))
    found = {p.name: None if p.default is empty else repr(p.default) for p in sig.parameters.values()}
    cache.put(key, json.dumps(found).encode())
    return found
