"""Run code as `python script.py` would, on the real libraries: a figure's script, or a pitfall's.

Every curve of the atlas comes from running the very script it publishes: the script prints CSV,
and what it printed is the figure's data. Runs are cached by the script's text and the library
versions (in cache.key), so a warm rebuild runs nothing and imports no torch.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import traceback
import warnings
from dataclasses import dataclass

from gen import cache, timm_import
from gen.model import CatalogError, Pitfall


@dataclass(frozen=True)
class Output:
    """What a figure's script printed: the CSV text, its columns, and the warnings it gave."""

    csv: str
    header: tuple[str, ...]
    columns: tuple[tuple[float, ...], ...]  # one per header entry, `step` first
    warnings: tuple[str, ...]

    def column(self, name: str) -> tuple[float, ...]:
        return self.columns[self.header.index(name)]

    @property
    def rows(self) -> int:
        return len(self.columns[0])


@dataclass(frozen=True)
class Failure:
    """Where a script raised: the exception, the script's line, and its `step` variable if set."""

    error: BaseException
    line: str  # the script's line, as written, at the outermost frame of the script
    step: int | None  # the innermost `step` of the script's frames when it raised


def execute(owner: str, code: str) -> tuple[str, Failure | None, list[warnings.WarningMessage]]:
    """Its stdout, where it raised, what it warned."""
    out, failure = io.StringIO(), None
    name = f"<{owner}>"
    if "timm" in code:
        timm_import.ensure()  # only where `import timm` fails here (see gen/timm_import.py)
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(compile(code, name, "exec"), {"__name__": "__main__"})  # noqa: S102 - our own scripts
        except Exception as exc:
            frames = [f for f in traceback.walk_tb(exc.__traceback__) if f[0].f_code.co_filename == name]
            lines = code.splitlines()
            line = lines[frames[0][1] - 1].strip() if frames else ""
            steps = [f.f_locals["step"] for f, _ in frames if isinstance(f.f_locals.get("step"), int)]
            failure = Failure(exc, line, steps[-1] if steps else None)
    return out.getvalue(), failure, caught


def messages(caught: list[warnings.WarningMessage]) -> list[str]:
    return list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))


def output_key(code: str, warns: str | None) -> str:
    return f"output/{cache.key(code, warns)}.json"


def is_cached(code: str, warns: str | None) -> bool:
    return cache.has(output_key(code, warns))


def run(owner: str, code: str, warns: str | None) -> Output:
    """The script's CSV, from the cache when this very script has run before. Any warning fails
    the build unless `warns` names it; a script that raises fails it, naming `owner`."""
    key = output_key(code, warns)
    stored = cache.get(key)
    if stored is None:
        text, failure, caught = execute(owner, code)
        if failure is not None:
            raise failed(owner, failure)
        found = messages(caught)
        unexpected = [m for m in found if not (warns and warns in m)]
        if unexpected:
            raise CatalogError(
                f"{owner}: the library warned {unexpected[0]!r}; fix it, or declare it a deliberate "
                "demonstration with warns='<part of the message>'"
            )
        if warns and not found:
            raise CatalogError(f"{owner}: field 'warns' expects the warning {warns!r}, but none came")
        cache.put(key, json.dumps({"csv": text, "warnings": found}).encode())
    else:
        data = json.loads(stored)
        text, found = data["csv"], data["warnings"]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0] != "step" or len(rows) < 2:
        raise CatalogError(f"{owner} field 'code': printed {text[:80]!r}; expected CSV with a 'step' column first")
    header = tuple(rows[0])
    columns = tuple(tuple(float(r[i]) for r in rows[1:]) for i in range(len(header)))
    return Output(text, header, columns, tuple(found))


def failed(owner: str, failure: Failure) -> CatalogError:
    exc = failure.error
    where = f"at step {failure.step}" if failure.step is not None else "before the first step"
    return CatalogError(f"{owner}: the script raised {where}, in `{failure.line}`: {type(exc).__name__}: {exc}")


def text_of(exc: BaseException) -> str:
    """The message as written: str() of a KeyError is the repr of its text, newlines escaped."""
    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def capture_key(pitfall: Pitfall) -> str:
    return f"pitfall/{cache.key(pitfall.code, pitfall.expect)}.txt"


def is_captured(pitfall: Pitfall) -> bool:
    return cache.has(capture_key(pitfall))


def capture(owner: str, pitfall: Pitfall) -> str:
    """The message `<Class>: <text>` of what `pitfall.expect` names, word for word; for a silent
    pitfall (no `expect`), what its code prints. Cached by code, expectation and versions."""
    key = capture_key(pitfall)
    if (stored := cache.get(key)) is not None:
        return stored.decode()
    owner = f"{owner} pitfall {pitfall.id!r}"
    text, failure, caught = execute(owner, pitfall.code)
    raised = failure.error if failure else None
    if pitfall.expect is None:
        if raised is not None or caught:
            got = f"{type(raised).__name__}: {raised}" if raised else messages(caught)[0]
            raise CatalogError(f"{owner}: a silent pitfall's code gave {got}; expected it to run quietly and print")
        if not text.strip():
            raise CatalogError(f"{owner} field 'code': printed nothing; a silent pitfall prints its evidence")
        message = text.rstrip()
    elif raised is not None and type(raised).__name__ == pitfall.expect:
        message = f"{pitfall.expect}: {text_of(raised)}"
    else:
        match = [w for w in caught if w.category.__name__ == pitfall.expect]
        if not match:
            got = f"{type(raised).__name__}: {raised}" if raised else "nothing"
            raise CatalogError(f"{owner}: field 'expect' is {pitfall.expect!r}, but the code gave {got}")
        message = f"{pitfall.expect}: {match[0].message}"
    if not message.split(":", 1)[-1].strip():
        raise CatalogError(f"{owner}: the library gave an empty message; expected text to show")
    cache.put(key, message.encode())
    return message
