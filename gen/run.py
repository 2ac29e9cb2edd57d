"""A scheduler case run on the real library: its Reproduce script, run as published, as a Trace."""

from __future__ import annotations

from gen import script
from gen.model import Case, CatalogError, Entry, Run, Trace
from gen.reproduce import columns
from gen.reproduce import script as script_for
from gen.verify import column


def run_case(entry: Entry, case: Case) -> Trace:
    """Every run of the case, split out of the CSV its script printed (from the cache when this
    very script ran before: a warm rebuild then neither steps torch nor imports it)."""
    code = script_for(entry, case)
    output = script.run(f"{entry.name} case {case.id!r}", code, case.warns)
    names = columns(entry, case)
    runs = []
    for spec in case.plan(entry.name):
        found = tuple(
            (n, output.column(column(n, spec.label))) for n in names if column(n, spec.label) in output.header
        )
        if len(found) != len(names):
            raise CatalogError(
                f"{entry.name} case {case.id!r}: the script printed {output.header}; expected {names} per run"
            )
        runs.append(Run(spec.label, dict(spec.args), found, spec.name, spec.overlay))
    return Trace(entry, case, tuple(runs), output, code)


def is_cached(entry: Entry, case: Case) -> bool:
    return script.is_cached(script_for(entry, case), case.warns)
