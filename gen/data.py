"""What the data files say of a case: its JSON sidecar's account of the run, and /data/index.json."""

from __future__ import annotations

import json
from typing import Any

from gen.cache import library_version
from gen.library import torch_version
from gen.model import Sched, Trace, jsonable
from gen.publish import FILES, LICENSE, absolute, case_file, page


def about(trace: Trace) -> dict[str, Any]:
    """What a case's JSON sidecar says was run, before the fields every figure's sidecar has."""
    entry, case = trace.entry, trace.case
    doc: dict[str, Any] = {
        "scheduler": f"{entry.module}.{entry.name}",
        "case": case.id,
        "arguments": jsonable(dict(case.args)),
        "optimizer": {
            "class": f"torch.optim.{case.optim.name}",
            "arguments": jsonable(dict(case.optim.args)),
            "param_groups": [{"lr": lr} for lr in case.optim.lrs],
        },
    }
    if entry.library != "torch":  # the sidecar names torch's version for every figure
        doc[entry.library] = library_version(entry.library)
    if case.vary is not None:
        doc["sweep"] = {
            "argument": case.vary,
            "runs": [{"label": lb, "arguments": jsonable(a)} for lb, a in case.runs()],
        }
    if case.overlay:
        doc["overlays"] = [
            {"label": p.label, **jsonable(Sched(p.name, p.args)), "stepping": "scheduler.step()"}
            for p in case.plan(entry.name)
            if p.overlay
        ]
    if case.iters and entry.library == "timm":
        doc["stepping"] = {
            "calls": ["scheduler.step_update(num_updates)", "scheduler.step(epoch + 1)"],
            "iters": case.iters,
        }
    elif case.iters:
        doc["stepping"] = {"call": "scheduler.step(epoch + i / iters)", "iters": case.iters}
    if case.before:
        doc["before"] = {**jsonable(case.before), "handover": case.handover}
    return doc


def data_index(
    traces: list[Trace],
    site_url: str,
    explore: list[dict[str, Any]] | None = None,
    guides: list[dict[str, Any]] | None = None,
) -> str:
    """/data/index.json: every case's data files, as absolute URLs, for scripts that walk the atlas;
    each page's Explore grid (`explore`); and every guide figure's files (`guides`)."""
    cases = []
    for trace in traces:
        entry, case = trace.entry, trace.case
        item: dict[str, Any] = {
            "scheduler": f"{entry.module}.{entry.name}",
            "page": f"{absolute(site_url, page(entry))}#{case.id}",
            "case": case.id,
            "title": case.title,
            "arguments": jsonable(dict(case.args)),
            "steps": case.steps,
        }
        if case.vary is not None:
            item["sweep"] = {"argument": case.vary, "values": jsonable(list(case.values))}
        item["files"] = {k: absolute(site_url, case_file(entry, case, s)) for k, s in FILES.items()}
        cases.append(item)
    doc: dict[str, Any] = {"site": site_url, "torch": torch_version(), "license": LICENSE.json(), "cases": cases}
    if explore:
        doc["explore"] = explore
    if guides:
        doc["guides"] = guides
    return json.dumps(doc, indent=2) + "\n"
