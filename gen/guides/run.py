"""Run a guide's scripts on real torch: figures' CSV, and the messages or output of its traps."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import warnings
from dataclasses import dataclass

from gen import cache
from gen.guides.model import Guide, Plot, Trap
from gen.model import CatalogError
from gen.verify import TOLERANCE


@dataclass(frozen=True)
class Table:
    """What a plot's script printed: the CSV text, its columns, and the warnings torch gave."""

    csv: str
    header: tuple[str, ...]
    columns: tuple[tuple[float, ...], ...]  # one per header entry, `step` first
    warnings: tuple[str, ...]

    def column(self, name: str) -> tuple[float, ...]:
        return self.columns[self.header.index(name)]


def execute(owner: str, code: str) -> tuple[str, BaseException | None, list[warnings.WarningMessage]]:
    """Run a script as `python script.py` would: its stdout, what it raised, what it warned."""
    out, raised = io.StringIO(), None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(compile(code, f"<{owner}>", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own scripts
        except Exception as exc:
            raised = exc
    return out.getvalue(), raised, caught


def run_plot(guide: Guide, plot: Plot) -> Table:
    """The script's CSV, from the cache when torch has run this very script before."""
    key = f"guide-plot/{cache.key(plot.code, plot.warns)}.json"
    stored = cache.get(key)
    if stored is None:
        text, found = run_script(guide, plot)
        cache.put(key, json.dumps({"csv": text, "warnings": found}).encode())
    else:
        data = json.loads(stored)
        text, found = data["csv"], data["warnings"]
    rows = list(csv.reader(io.StringIO(text)))
    header = tuple(rows[0])
    owner = f"guide {guide.slug!r} plot {plot.id!r}"
    if not header or header[0] != "step" or len(rows) < 2:
        raise CatalogError(f"{owner} field 'code': printed {text[:80]!r}; expected CSV with a 'step' column first")
    columns = tuple(tuple(float(r[i]) for r in rows[1:]) for i in range(len(header)))
    return Table(text, header, columns, tuple(found))


def run_script(guide: Guide, plot: Plot) -> tuple[str, list[str]]:
    owner = f"guide {guide.slug!r} plot {plot.id!r}"
    text, raised, caught = execute(owner, plot.code)
    if raised is not None:
        raise CatalogError(f"{owner} field 'code': raised {type(raised).__name__}: {raised}") from raised
    found = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    unexpected = [m for m in found if not (plot.warns and plot.warns in m)]
    if unexpected:
        raise CatalogError(f"{owner}: torch warned {unexpected[0]!r}; expected no warning (or declare it in 'warns')")
    if plot.warns and not found:
        raise CatalogError(f"{owner} field 'warns': expected torch to warn {plot.warns!r}, but it gave no warning")
    return text, found


def check_plot(guide: Guide, plot: Plot, table: Table) -> float:
    """Every column against the twin (relative to that column's largest value), or exactly equal to
    its `same` partner; returns the largest relative error. Fails the build past TOLERANCE."""
    owner = f"guide {guide.slug!r} plot {plot.id!r}"
    rows = len(table.columns[0])
    predicted = plot.twin(rows)
    paired = {a for a, _ in plot.same} | {b for _, b in plot.same}
    for name in table.header[1:]:
        if name not in predicted and name not in paired:
            raise CatalogError(
                f"{owner}: column {name!r} has no twin and no 'same' partner; expected every curve checked"
            )
    for name in predicted:
        if name not in table.header:
            raise CatalogError(f"{owner} field 'twin': predicts column {name!r}; the script printed {table.header}")
    for a, b in plot.same:
        for t, (x, y) in enumerate(zip(table.column(a), table.column(b), strict=True)):
            if x != y:
                raise CatalogError(
                    f"{owner} field 'same': {a!r} is {x!r} but {b!r} is {y!r} at step {t}; expected identical runs"
                )
    worst = 0.0
    for name, want in predicted.items():
        got = table.column(name)
        scale = max(abs(v) for v in got) or 1.0
        if len(want) != rows:
            raise CatalogError(f"{owner} field 'twin': {len(want)} values for {name!r}, the script printed {rows}")
        for t, (g, w) in enumerate(zip(got, want, strict=True)):
            err = abs(g - w) / scale
            if not err <= TOLERANCE or math.isnan(err):
                raise CatalogError(
                    f"{owner} column {name!r}: the twin disagrees with torch at step {t}: torch {g!r}, twin {w!r} "
                    f"(relative error {err:.3g}, tolerance {TOLERANCE:g})"
                )
            worst = max(worst, err)
    return worst


def text_of(exc: BaseException) -> str:
    """The message as written: str() of a KeyError is the repr of its text, newlines escaped."""
    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


def run_trap(guide: str, trap: Trap) -> str:
    """The captured message `<Class>: <text>`, or for a silent trap what its code prints.

    Cached by code, expectation and torch version, like the scheduler pages' pitfalls."""
    key = f"guide-trap/{cache.key(trap.code, trap.expect)}.txt"
    stored = cache.get(key)
    if stored is not None:
        return stored.decode()
    owner = f"guide {guide!r} trap {trap.id!r}"
    text, raised, caught = execute(owner, trap.code)
    if trap.expect is None:
        if raised is not None or caught:
            got = (
                f"{type(raised).__name__}: {raised}"
                if raised
                else f"{caught[0].category.__name__}: {caught[0].message}"
            )
            raise CatalogError(f"{owner}: a silent trap's code gave {got}; expected it to run quietly and print")
        if not text.strip():
            raise CatalogError(f"{owner} field 'code': printed nothing; a silent trap prints its evidence")
        message = text.rstrip()
    elif raised is not None and type(raised).__name__ == trap.expect:
        message = f"{trap.expect}: {text_of(raised)}"
    else:
        match = [w for w in caught if w.category.__name__ == trap.expect]
        if not match:
            got = f"{type(raised).__name__}: {raised}" if raised else "nothing"
            raise CatalogError(f"{owner} field 'expect': {trap.expect!r}, but the code gave {got}")
        message = f"{trap.expect}: {match[0].message}"
    if not message.split(":", 1)[-1].strip():
        raise CatalogError(f"{owner}: torch gave an empty message; expected text to show")
    cache.put(key, message.encode())
    return message
