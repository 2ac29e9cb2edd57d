"""The Explore panel's data: one real torch run per combination of the catalog's control values.

The page's script draws what this module publishes (`schedulers/<slug>/explore.json`) and never
computes a schedule itself. Each run goes through `run_case`, so a warm rebuild reads every trace
back from the cache and imports no torch.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gen import i18n
from gen.library import parameters, torch_version
from gen.model import Case, CatalogError, Entry, Trace
from gen.publish import LICENSE, absolute, folder, page
from gen.reproduce import scheduler_call, scheduler_names
from gen.run import run_case
from gen.verify import verify

FILE = "explore.json"
MARK = "__CALL__"  # where a setting's constructor call goes in the shared script
DIGITS = 11  # significant digits kept, relative to each column's largest value (5e-12 of 0.1)


def base_case(entry: Entry) -> Case:
    assert entry.explore is not None
    return next(c for c in entry.cases if c.id == entry.explore.base)


def setting_text(values: Mapping[str, Any]) -> str:
    """One point of the grid in words, as messages name it: `T_0=20, T_mult=1`."""
    return ", ".join(f"{k}={v!r}" for k, v in values.items())


def case_for(entry: Entry, values: Mapping[str, Any]) -> Case:
    """One point of the grid as a plain case: the base case's optimizer and stepping, no sweep."""
    return _case(entry, values, grid_imports(entry))


def grid_cases(entry: Entry) -> list[tuple[dict[str, Any], Case]]:
    """Every point of the grid with its case, the shared imports found once for all of them."""
    if not entry.explore:
        return []
    imports = grid_imports(entry)
    return [(values, _case(entry, values, imports)) for values in entry.explore.grid()]


def _case(entry: Entry, values: Mapping[str, Any], imports: tuple[str, ...]) -> Case:
    ex, base = entry.explore, base_case(entry)
    assert ex is not None
    return dataclasses.replace(
        base,
        id="explore",
        title="a setting of the Explore panel",  # the shared script's docstring: no values in it
        args=ex.arguments(base.args, values),
        steps=ex.steps or base.steps,
        vary=None,
        values=(),
        derive=None,
        overlay=(),
        text="",
        imports=imports,
    )


def grid_imports(entry: Entry) -> tuple[str, ...]:
    """Every scheduler any setting of the grid builds: the settings share one script, imports included."""
    ex, base = entry.explore, base_case(entry)
    assert ex is not None
    found = scheduler_names([ex.arguments(base.args, values) for values in ex.grid()])
    return tuple(sorted(found - {entry.name}))


def run_grid(entry: Entry) -> list[Trace]:
    """Every combination on torch (or from the cache); a failure names the setting."""
    assert entry.explore is not None
    traces = []
    for values, case in grid_cases(entry):
        try:
            traces.append(trace := run_case(entry, case))
            verify(trace)  # every setting checked against the twin, as every figure is
        except CatalogError as exc:
            detail = str(exc).removeprefix(f"{entry.name} case 'explore': ")
            raise CatalogError(f"{entry.name} field 'explore', setting {setting_text(values)}: {detail}") from exc
    return traces


def encode(values: Sequence[float]) -> dict[str, Any]:
    """`DIGITS` significant digits of the column's largest value as integers `x` (value = x * 10**e),
    stored as second differences: smooth and straight stretches become runs of small numbers,
    which is what gzip packs best. `decode` is the exact inverse; gen/../explore.js mirrors it."""
    top = max((abs(v) for v in values), default=0.0)
    e = math.floor(math.log10(top)) - (DIGITS - 1) if top > 0 else 0
    xs = [round(v * 10**-e) if e < 0 else round(v / 10**e) for v in values]
    d = xs[:1] + [xs[1] - xs[0]] * (len(xs) > 1)
    d += [(xs[i] - xs[i - 1]) - (xs[i - 1] - xs[i - 2]) for i in range(2, len(xs))]
    return {"e": e, "d": d}


def decode(column: Mapping[str, Any]) -> list[float]:
    out, x, slope = [], 0, 0
    for i, d in enumerate(column["d"]):
        if i == 0:
            x = d
        else:
            slope += d
            x += slope
        out.append(x / 10 ** -column["e"] if column["e"] < 0 else x * 10 ** column["e"])
    return out


@dataclass(frozen=True)
class ExploreView:
    """What the page's partial shows: the file, its size, and the controls in words."""

    file: str
    settings: int
    steps: int
    unit: str
    kb: str  # gzipped size of the data file, as the browser fetches it from a gzip host
    controls: str  # HTML: "<code>T_0</code>, <code>T_mult</code> and <code>eta_min</code>"
    args: str  # the controls' names, which the script looks for in the address before loading data
    words: str  # HTML-escaped JSON: the panel's words in the page's language (`panel_words`)


def data_file(entry: Entry, traces: Sequence[Trace]) -> str:
    """explore.json: controls, the shared script, and per setting its call and encoded columns."""
    ex, base = entry.explore, base_case(entry)
    assert ex is not None
    names = [n for n, _ in traces[0].runs[0].columns]
    runs = []
    template = ""
    for values, trace in zip(ex.grid(), traces, strict=True):
        (run,) = trace.runs
        got = [n for n, _ in run.columns]
        if got != names:  # the panel draws one set of columns for every setting
            raise CatalogError(
                f"{entry.name} field 'explore', setting {setting_text(values)}: torch recorded columns {got}, "
                f"the first setting {names}; expected the same columns for every setting"
            )
        call = scheduler_call(entry.name, trace.case.args, 4, module=entry.module)
        if not template:
            code = trace.code
            if code.count(call) != 1:  # the script is shared: only the call may differ
                raise CatalogError(f"{entry.name} field 'explore': the script does not hold the call once")
            template = code.replace(call, MARK)
        if template.replace(MARK, call) != trace.code:  # what a reader runs is what the build ran
            raise CatalogError(
                f"{entry.name} field 'explore', setting {setting_text(values)}: its script differs from the shared one beyond the call"
            )
        runs.append({"call": call, "columns": [encode(v) for _, v in run.columns]})
    doc = {
        "scheduler": f"{entry.module}.{entry.name}",
        "torch": torch_version(),
        "needs": "torch alone" if entry.library == "torch" else f"torch and {entry.library}",
        "license": LICENSE.json(),
        "steps": traces[0].case.steps,
        "unit": f"{entry.unit(base)}s",
        "log": base.log,
        "controls": [
            {
                "arg": c.arg,
                "label": c.label or c.arg,
                "values": [c.key(v) for v in c.values],
                "start": start_index(entry, c.arg),
            }
            for c in ex.controls
        ],
        "columns": names,
        "encoding": (
            "each column: value[i] = x[i] * 10**e, where x[0] = d[0], x[1] = x[0] + d[1] and "
            "x[i] = 2 x[i-1] - x[i-2] + d[i]; runs in the order of the controls' product, last fastest"
        ),
        "mark": MARK,
        "snippet": template,
        "runs": runs,
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=False) + "\n"


def start_index(entry: Entry, arg: str) -> int:
    """The setting shown first: the base case's value (or the library's default) where the grid
    has it, else the middle one. A grid that builds its own arguments (`build`) still opens at the
    library's defaults where its controls are the class's arguments."""
    ex, base = entry.explore, base_case(entry)
    assert ex is not None
    control = next(c for c in ex.controls if c.arg == arg)
    shown = repr(base.args[arg]) if arg in base.args else parameters(entry.name, entry.module).get(arg)
    for i, v in enumerate(control.values):
        if repr(v) == shown:
            return i
    return (len(control.values) - 1) // 2


def view(entry: Entry, traces: Sequence[Trace], data: str) -> ExploreView:
    ex = entry.explore
    assert ex is not None
    names = [f"<code>{html.escape(c.label or c.arg)}</code>" for c in ex.controls]
    args = " ".join(c.arg for c in ex.controls)
    words = names[0]
    if len(names) > 1:
        some = i18n.tr(", ", "lists").join(names[:-1])
        words = i18n.tr("{some} and {last}", "Explore", some=some, last=names[-1])
    size = len(gzip.compress(data.encode(), mtime=0))
    unit = i18n.plural(entry.unit(traces[0].case))
    kb = f"{max(1, round(size / 1024))} KB"
    file = i18n.shared(folder(entry)) + FILE  # the English edition's, for both
    said = html.escape(json.dumps(panel_words(entry, traces), ensure_ascii=False, separators=(",", ":")))
    return ExploreView(file, len(traces), traces[0].case.steps, unit, kb, words, args, said)


def panel_words(entry: Entry, traces: Sequence[Trace]) -> dict[str, Any]:
    """Every word the panel's script shows, in the page's language: explore.json, which both
    editions share, stays English. The script fills a message's {fields} itself."""
    ex = entry.explore
    assert ex is not None

    def say(text: str) -> str:
        return i18n.t(text, "code", "Explore panel")

    unit = entry.unit(traces[0].case)
    columns = [n for n, _ in traces[0].runs[0].columns if n != "lr"]
    needs = say("torch alone")
    if entry.library != "torch":
        needs = i18n.tr("torch and {library}", "Explore panel", library=entry.library)
    return {
        "labels": {c.arg: c.label or c.arg for c in ex.controls},  # the entry's, already translated
        "unit": i18n.tr(unit, "units"),  # `at step 12`
        "units": i18n.plural(unit),  # `over 100 steps`, the x axis
        "needs": needs,  # what the full script imports
        "axes": {"lr": say("lr"), **{n: say("loss" if n == "metric" else n) for n in columns}},
        "names": {n: say(n) for n in columns},  # the lower chart's, in its description
        "from": say("{name} from {first} to {last}"),
        "idle": say("no effect with these settings"),
        "log": say("Log scale"),
        "pin": say("Pin this setting"),
        "pins": say("Pinned settings"),
        "copyLink": say("Copy link"),
        "copiedLink": say("link copied."),
        "copyCall": say("Copy call"),
        "copiedCall": say("call copied."),
        "copyScript": say("Copy script"),
        "copiedScript": say("script copied."),
        "blocked": say("The browser did not allow copying: select the text instead."),
        "call": say("Constructor call:"),
        "script": say("Full script: prints this curve as CSV with {needs}"),
        "pinned": say("Pinned {setting}."),
        "summary": say("{setting}: lr from {first} to {last} over {n} {units}, highest {peak} at {unit} {at}."),
        "chart": say("Line chart of the learning rate, {summary}"),
        "now": say("Now: "),
        "pinK": say("Pin {k}: "),
        "remove": say("Remove pin {k}, {setting}"),
        "failed": say("The explore data did not load ({error})."),
    }


def index_item(entry: Entry, site_url: str) -> dict[str, Any]:
    """The data index's line for a page's Explore file."""
    ex = entry.explore
    assert ex is not None
    return {
        "scheduler": f"{entry.module}.{entry.name}",
        "page": f"{absolute(site_url, page(entry))}#explore",
        "controls": {c.arg: [c.key(v) for v in c.values] for c in ex.controls},
        "settings": len(ex.grid()),
        "file": absolute(site_url, f"{folder(entry)}/{FILE}"),
    }
