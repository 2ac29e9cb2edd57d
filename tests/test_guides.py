"""The guides: every figure's script against its twin and in a clean interpreter, the resume and
state-dict round trips, captured messages, and the pitfalls page gathering every pitfall."""

from __future__ import annotations

import ast
import dataclasses
import html
import io
import re
import sys

import pytest
import torch

from clean_run import run_scripts
from gen.catalog import ENTRIES
from gen.guides import GUIDES, PITFALLS, recipes, resume
from gen.guides.inverse_sqrt import InverseSqrtLR
from gen.guides.pages import check_plot, guide_figure, guide_pitfall, merge_pitfalls, run_plot, scheduler_pitfall
from gen.model import CatalogError
from gen.script import Output
from gen.verify import TOLERANCE

ALL = (*GUIDES, PITFALLS)
PLOTS = [(g, p) for g in ALL for p in g.plots]
PLOT_IDS = [f"{g.slug}-{p.id}" for g, p in PLOTS]
GUIDE_PITFALLS = [(g, p) for g in ALL for p in g.pitfalls]
GUIDE_PITFALL_IDS = [f"{g.slug}-{p.id}" for g, p in GUIDE_PITFALLS]
ALLOWED_IMPORTS = {"torch", *sys.stdlib_module_names}


@pytest.fixture(scope="module")
def printed():
    """What each figure's script printed, run as the build runs it."""
    return {(g.slug, p.id): run_plot(g, p) for g, p in PLOTS}


@pytest.mark.parametrize(("guide", "plot"), PLOTS, ids=PLOT_IDS)
def test_twin_matches_torch(guide, plot, printed):
    """Every column of every guide figure against its twin (or its identical partner)."""
    output = printed[guide.slug, plot.id]
    assert check_plot(guide, plot, output) <= TOLERANCE
    checked = set(plot.twin(output.rows)) | {c for pair in plot.same for c in pair}
    assert checked == set(output.header[1:])


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """Each figure's script in a fresh interpreter of its own (clean_run.run_scripts)."""
    folder = tmp_path_factory.mktemp("guide-scripts")
    paths = {}
    for guide, plot in PLOTS:
        path = paths[guide.slug, plot.id] = folder / f"{guide.slug}-{plot.id}" / "script.py"
        path.parent.mkdir()
        path.write_text(plot.code)
    done = run_scripts(list(paths.values()))
    return {key: done[path] for key, path in paths.items()}


@pytest.mark.parametrize(("guide", "plot"), PLOTS, ids=PLOT_IDS)
def test_script_prints_the_published_csv(guide, plot, printed, alone):
    """The Reproduce script, alone in a clean interpreter, prints exactly the figure's data."""
    done = alone[guide.slug, plot.id]
    assert done.returncode == 0, done.stderr[-2000:]
    if plot.warns:
        assert plot.warns in done.stderr
    else:
        assert done.stderr == ""
    assert done.stdout == printed[guide.slug, plot.id].csv


@pytest.mark.parametrize(("guide", "plot"), PLOTS, ids=PLOT_IDS)
def test_script_needs_only_its_libraries(guide, plot):
    """torch and the standard library; the libraries guide compares with transformers and timm too."""
    allowed = ALLOWED_IMPORTS | ({"transformers", "timm"} if guide.slug == "libraries" else set())
    roots = set()
    for node in ast.walk(ast.parse(plot.code)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert roots <= allowed


def test_resumed_run_is_the_uninterrupted_run(printed):
    output = printed["resume", "resume"]
    assert output.column("lr[resumed from the checkpoint: identical]") == output.column("lr[uninterrupted]")
    # ...and the run restarted without the checkpoint is not: the comparison can fail.
    assert output.column("lr[restarted without it]") != output.column("lr[uninterrupted]")


def test_resume_check_fails_when_the_runs_differ(printed):
    output = printed["resume", "resume"]
    i = output.header.index("lr[resumed from the checkpoint: identical]")
    bad = list(output.columns[i])
    bad[40] *= 1 + 1e-15
    broken = dataclasses.replace(output, columns=(*output.columns[:i], tuple(bad), *output.columns[i + 1 :]))
    with pytest.raises(
        CatalogError,
        match=r"guide 'resume' plot 'resume' field 'same': 'lr\[uninterrupted\]' is .* but "
        r"'lr\[resumed from the checkpoint: identical\]' is .* at step 40",
    ):
        check_plot(resume.GUIDE, resume.RESUME, broken)


def test_identical_runs_are_drawn_visibly(printed):
    """A run identical to another (a resumed one) is drawn as markers above the lines, not hidden
    beneath its twin; and no two runs of a guide figure are drawn as lines on top of each other."""
    from gen.guides.pages import figure

    for guide, plot in PLOTS:
        fig = figure(plot, printed[guide.slug, plot.id])
        for _, b in plot.same:
            assert b in dict(plot.marked), (plot.id, b)
        lines = [s.values for s in fig.series if not s.every]
        assert len(lines) == len(set(lines)), plot.id
        for s in fig.series:
            assert s.every == 0 or 2 <= s.every <= len(s.values) // 8, (plot.id, s.label)
    resume_fig = figure(resume.RESUME, printed["resume", "resume"])
    assert [s.every for s in resume_fig.series] == [0, 5, 0]


def test_small_multiples_share_one_y_range(printed):
    from gen.guides.pages import small_figures

    for guide, plot in PLOTS:
        if not plot.multiples:
            continue
        output = printed[guide.slug, plot.id]
        small = small_figures(plot, output)
        assert len({f.ylim for f in small}) == 1 and {f.log for f in small} == {plot.log}, plot.id
        low, high = small[0].ylim
        assert all(low < v < high for c in output.columns[1:] for v in c), plot.id
    # Columns of very different heights still share one range, on a log axis too.
    text = "step,lr[a],lr[b]\n0,1.0,0.01\n1,0.5,0.001\n2,0.25,0.0001\n"
    output = Output(text, ("step", "lr[a]", "lr[b]"), ((0, 1, 2), (1.0, 0.5, 0.25), (0.01, 0.001, 0.0001)), ())
    for log in (False, True):
        a, b = small_figures(dataclasses.replace(resume.RESUME, log=log), output)
        assert a.ylim == b.ylim
        assert a.ylim[0] < 0.0001 and a.ylim[1] > 1.0
        assert (a.ylim[0] > 0) == log


def test_guide_figures_drawn_with_markers_and_shared_range(printed):
    """The markers and the y range reach the SVG, and the dark file is still the light one recoloured."""
    from gen.guides.pages import figure, small_figures
    from gen.plot import THEMES, draw, render

    ids = re.compile(rb"\b([mp])[0-9a-f]{10}\b")
    marked = figure(resume.RESUME, printed["resume", "resume"])
    svg = render(marked, "light")
    assert svg.count(b"<use ") >= 60 // 5  # one marker per 5 steps
    assert ids.sub(rb"\1", render(marked, "dark")) == ids.sub(rb"\1", draw(marked, THEMES["dark"]))
    small = dataclasses.replace(small_figures(resume.RESUME, printed["resume", "resume"])[0], ylim=(0.0, 1.0))
    assert b">1<" in render(small, "light") and b">0.4<" in render(small, "light")  # ticks up to the limit


def run(optimizer, scheduler, steps):
    used = []
    for _ in range(steps):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return used


def new_optimizer():
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)


def test_custom_scheduler_state_dict_round_trip():
    opt = new_optimizer()
    straight = run(opt, InverseSqrtLR(opt, warmup=7), 50)
    opt = new_optimizer()
    sched = InverseSqrtLR(opt, warmup=7)
    first = run(opt, sched, 23)
    buffer = io.BytesIO()
    torch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, buffer)
    buffer.seek(0)
    state = torch.load(buffer)
    assert state["scheduler"]["warmup"] == 7 and state["scheduler"]["last_epoch"] == 23
    opt = new_optimizer()
    sched = InverseSqrtLR(opt, warmup=99)  # the loaded state overrides the constructor's arguments
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    assert first + run(opt, sched, 27) == straight


def test_custom_scheduler_closed_form_agrees_with_chainable():
    opt = new_optimizer()
    sched = InverseSqrtLR(opt, warmup=5)
    for t in range(1, 40):
        opt.step()
        sched.step()
        (closed,) = sched._get_closed_form_lr()
        assert abs(sched.get_last_lr()[0] - closed) <= 1e-15, t
    with pytest.raises(ValueError, match="warmup must be at least 1"):
        InverseSqrtLR(new_optimizer(), warmup=0)


@pytest.mark.parametrize("plot", [p for p in recipes.GUIDE.plots if p.note], ids=lambda p: p.id)
def test_transformers_claims(plot, printed):
    """What the page says of each composition against transformers' formula, measured on torch."""
    output = printed["warm-up", plot.id]
    ours, theirs = output.columns[1], output.columns[2]
    assert "transformers" in output.header[2]
    for t in range(recipes.W):
        assert abs((ours[t] - theirs[t]) - recipes.LR / recipes.W) <= 1e-15, t
    assert theirs[0] == 0.0
    assert max(abs(a - b) for a, b in zip(ours[recipes.W :], theirs[recipes.W :], strict=True)) <= 1e-15


def test_libraries_notes_say_a_constant_gap_once(printed):
    """A gap the same at every step it appears (torch's warm-up a step ahead) is said once for all
    those steps, not pinned to the step where rounding made it largest."""
    from gen.guides import libraries as lib

    for plot in (lib.WARMUP_COSINE, lib.WARMUP_LINEAR, lib.WSD, lib.FROM_ZERO):
        output = printed["libraries", plot.id]
        note = plot.note(dict(zip(output.header, output.columns, strict=True)))
        assert f"differ by {lib.LR / lib.W:g} at every step from 0 to {lib.W - 1} (at step 0: " in note, plot.id
        assert "by at most 0.01 " not in note, plot.id
    output = printed["libraries", lib.FROM_ZERO.id]
    assert "**torch, LambdaLR** and **transformers** agree at every step, exactly." in lib.FROM_ZERO.note(
        dict(zip(output.header, output.columns, strict=True))
    )


def test_libraries_guide_warmup_starts():
    """Where each transformers warm-up starts, run on transformers, as the libraries guide says it:
    at 0, but for get_wsd_schedule (min_lr_ratio times the rate) and the `_lr_rate` cosine
    (warmup_lr_rate times the rate, 1/W of it by default)."""
    import pathlib

    import transformers

    def first_rate(name, **args):
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        getattr(transformers, name)(optimizer, **args)
        return optimizer.param_groups[0]["lr"]

    wsd, lr_rate = "get_wsd_schedule", "get_cosine_with_min_lr_schedule_with_warmup_lr_rate"
    starts = {
        e.name: first_rate(e.name, **(dict(e.cases[0].args) | {"num_warmup_steps": 10}))
        for e in ENTRIES
        if e.library == "transformers" and any(a.name == "num_warmup_steps" for a in e.args)
    }
    assert len(starts) >= 9 and {n for n, v in starts.items() if v != 0} == {lr_rate}
    assert starts[lr_rate] == pytest.approx(0.1 / 10, abs=1e-17)
    args = {"num_warmup_steps": 10, "num_decay_steps": 20, "num_training_steps": 100}
    assert first_rate(wsd, **args, min_lr_ratio=0.25) == pytest.approx(0.1 * 0.25, abs=1e-17)
    half = first_rate(lr_rate, num_warmup_steps=10, num_training_steps=100, min_lr_rate=0.1, warmup_lr_rate=0.5)
    assert half == pytest.approx(0.1 * 0.5, abs=1e-17)
    page = (pathlib.Path(__file__).parents[1] / "gen" / "templates" / "guide_libraries.md.j2").read_text()
    bullet = " ".join(page[page.index("**Where warm-up starts.**") :].split("\n- ")[0].split())
    assert "starts at a rate of exactly 0 (\\(t / W\\)) but two:" in bullet
    assert f"[{wsd}]" in bullet and f"[{lr_rate}]" in bullet


@pytest.mark.parametrize(("guide", "pitfall"), GUIDE_PITFALLS, ids=GUIDE_PITFALL_IDS)
def test_pitfall_message_captured(guide, pitfall):
    view = guide_pitfall(guide, pitfall)
    assert view.message.strip()
    if pitfall.expect:
        kind, _, text = view.message.partition(": ")
        assert kind == pitfall.expect and text.strip()
    assert (view.page, view.title, view.anchor) == (f"guides/{guide.slug}/index.md", guide.title, pitfall.id)


def page_text(site, path):
    return html.unescape((site / path / "index.html").read_text())


@pytest.mark.parametrize(("guide", "pitfall"), GUIDE_PITFALLS, ids=GUIDE_PITFALL_IDS)
def test_pitfall_on_its_guide_and_the_pitfalls_page(site, guide, pitfall):
    first_line = guide_pitfall(guide, pitfall).message.splitlines()[0]
    for path in {f"guides/{guide.slug}", "guides/pitfalls"}:
        text = page_text(site, path)
        assert f'id="{pitfall.id}"' in text, path
        assert first_line in text, path


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.pitfalls], ids=lambda e: e.name)
def test_every_catalog_pitfall_on_the_pitfalls_page(site, entry):
    text = page_text(site, "guides/pitfalls")
    for pitfall in entry.pitfalls:
        assert f'id="{entry.slug}-{pitfall.id}"' in text
        assert scheduler_pitfall(entry, pitfall).message.splitlines()[0] in text
        assert f"../../schedulers/{entry.slug}/#{pitfall.id}" in text


def plain(fragment: str) -> str:
    """Text of an HTML fragment, whitespace and quotes left out: what a reader compares."""
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    return " ".join(text.replace("'", "").replace('"', "").split())


def pitfall_items(page: str) -> dict[str, tuple[str, str]]:
    """Every pitfall on the built pitfalls page, by its heading's id: (message shown, cause)."""
    items = {}
    for section in re.findall(r"(<h3 id=.*?)(?=<h[23] |<footer|\Z)", page, re.S):
        anchor = re.match(r'<h3 id="([^"]+)"', section)[1]
        message = re.search(r'class="atlas-message[^"]*"><pre>(.*?)</pre>', section, re.S)
        cause = re.search(r"<strong>Cause:</strong>(.*?)<strong>Fix:</strong>", section, re.S)
        assert message and cause, anchor
        items[anchor] = (plain(message[1]), plain(cause[1]))
    return items


def test_each_pitfall_once_on_the_pitfalls_page(site):
    """No two items show the same message or give the same cause: one explained in several places
    (the stepping guide and the CosineAnnealingLR page, two schedulers' pages) is listed once."""
    items = pitfall_items((site / "guides/pitfalls/index.html").read_text())
    assert len(items) >= 30
    for what, i in (("message", 0), ("cause", 1)):
        seen: dict[str, str] = {}
        same = [(seen[v[i]], a) for a, v in items.items() if seen.setdefault(v[i], a) != a]
        assert same == [], f"pitfalls with the same {what}: {same}"
    text = page_text(site, "guides/pitfalls")  # the merged one links to both places, keeps both anchors
    order = text[text.index('<h3 id="stepping-order">') :]
    order = order[: order.index("<h3 ", 1)]
    assert 'id="cosine-annealing-lr-step-order"' in order
    assert 'href="../stepping/#order"' in order and 'href="../../schedulers/cosine-annealing-lr/#step-order"' in order


def test_merge_pitfalls_folds_every_repeated_message():
    """Driven by the messages alone: any item whose message an earlier item shows joins it."""

    def said(view, message):  # the item as the build makes it, with the message replaced
        return dataclasses.replace(view, message=message)

    step_lr, multi = [e for e in ENTRIES if len(e.pitfalls) >= 2][:2]
    a = said(scheduler_pitfall(step_lr, step_lr.pitfalls[0]), "ValueError: same text")
    b = said(scheduler_pitfall(multi, multi.pitfalls[0]), "ValueError:  same\ntext")
    c = said(scheduler_pitfall(multi, multi.pitfalls[-1]), "ValueError: other text")
    guide = said(guide_pitfall(resume.GUIDE, resume.INITIAL_LR), "KeyError: 'kept once'")
    key = said(scheduler_pitfall(step_lr, step_lr.pitfalls[-1]), "KeyError: kept once")
    own = said(guide_pitfall(PITFALLS, PITFALLS.pitfalls[0]), "ValueError: same text")
    gathered, own_left, catalog = merge_pitfalls([guide], [own], [a, b, c, key])
    # The pitfalls page's own item comes before the scheduler pages': a and b fold into it.
    assert own_left == [dataclasses.replace(own, also=(a.place(), b.place()))]
    assert [x.message for x in catalog] == [c.message] and catalog[0].also == ()
    assert gathered == [dataclasses.replace(guide, also=(key.place(),))]
    assert b.place().anchor == f"{multi.slug}-{multi.pitfalls[0].id}" and b.place().name == multi.name
    # Without the page's own item, the first scheduler page's item shows the message.
    gathered, own_left, catalog = merge_pitfalls([guide], [], [a, b, c, key])
    assert [x.message for x in catalog] == [a.message, c.message] and own_left == []
    assert catalog[0].also == (b.place(),) and catalog[1].also == ()
    assert gathered[0].also == (key.place(),)


def test_required_pitfalls_present(site):
    """The issue's list: each has an anchor on the pitfalls page."""
    text = page_text(site, "guides/pitfalls")
    for anchor in (
        "stepping-order",
        "verbose",
        "initial-lr",
        "one-cycle-lr-past-total-steps",
        "reduce-lr-on-plateau-no-metric",
        "cyclic-lr-no-momentum",
        "cyclic-overwrite",
        "sequential-lr-milestone-count",
        "shared-optimizer",
        "duplicate-milestones",
        "past-t-max",
        "t-max-unit",
    ):
        assert f'id="{anchor}"' in text, anchor


@pytest.mark.parametrize("guide", ALL, ids=lambda g: g.slug)
def test_guide_page(site, guide):
    text = (site / "guides" / guide.slug / "index.html").read_text()
    assert "<h1 id=" in text
    for plot in guide.plots:
        assert f'id="{plot.id}"' in text
        for theme in ("light", "dark"):
            assert f'src="{plot.id}.{theme}.svg#only-{theme}"' in text
            assert (site / "guides" / guide.slug / f"{plot.id}.{theme}.svg").stat().st_size > 0
        for suffix in ("csv", "json", "py"):
            assert (site / "guides" / guide.slug / f"{plot.id}.{suffix}").stat().st_size > 0
        assert plot.caption.split("`")[0].strip()[:30] in html.unescape(text)
    assert text.count("Checked against torch") == len(guide.plots)


@pytest.mark.parametrize("path", [f"guides/{g.slug}" for g in ALL] + ["data"])
def test_no_anchor_used_twice(site, path):
    """A link to `#id` lands on one place: a section and the figure or pitfall under it differ."""
    ids = re.findall(r'<[a-z0-9]+ [^>]*?\bid="([^"]+)"', (site / path / "index.html").read_text())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_guides_in_nav_before_utility_pages(site):
    text = (site / "index.html").read_text()
    nav = text[text.index('class="md-nav md-nav--primary"') :]
    assert nav.index("Pitfalls") < nav.index("Data files")
    for guide in ALL:
        assert f'href="guides/{guide.slug}/"' in text  # the home page links every guide


# Bad input: a broken guide stops the build, naming the guide, the figure or pitfall, and the field.
TINY = 'print("step,lr[a]")\nprint("0,0.1")\nprint("1,0.05")\n'
GOOD = resume.GUIDE


def tiny(**changes):
    from gen.guides.model import Plot

    fields = {"id": "tiny", "title": "t", "caption": "c", "code": TINY, "twin": lambda n: {"lr[a]": [0.1, 0.05][:n]}}
    return Plot(**(fields | changes))


LOOP = "for step in range(3):\n    if step == 2:\n        raise ValueError('boom')\n"
CALLED = "def check(step):\n    raise ValueError('too far')\n\n\nfor step in range(3):\n    if step == 1:\n        check(step)\n"
BAD_PLOTS = {
    "no twin for a column": (tiny(twin=lambda n: {}), r"plot 'tiny': column 'lr\[a\]' has no twin"),
    "twin for a missing column": (
        tiny(twin=lambda n: {"lr[a]": [0.1, 0.05], "lr[b]": [0, 0]}),
        r"plot 'tiny' field 'twin': predicts column 'lr\[b\]'",
    ),
    "wrong twin": (
        tiny(twin=lambda n: {"lr[a]": [0.1, 0.06]}),
        r"plot 'tiny' column 'lr\[a\]': the twin disagrees with the run at step 1: run 0\.05, twin 0\.06",
    ),
    "twin gives NaN": (
        tiny(twin=lambda n: {"lr[a]": [0.1, float("nan")]}),
        r"plot 'tiny' column 'lr\[a\]': the twin disagrees with the run at step 1: run 0\.05, twin nan",
    ),
    "script prints NaN": (
        tiny(code=TINY.replace("0.05", "nan")),
        r"plot 'tiny' column 'lr\[a\]': the run gives nan at step 1; expected a finite rate",
    ),
    "script prints infinity": (
        tiny(code=TINY.replace("0.1", "inf")),
        r"plot 'tiny' column 'lr\[a\]': the run gives inf at step 0; expected a finite rate",
    ),
    "script raises": (
        tiny(code="raise RuntimeError('boom')"),
        r"plot 'tiny': the script raised before the first step, in `raise RuntimeError\('boom'\)`: RuntimeError: boom",
    ),
    "script raises in its loop": (
        tiny(code=LOOP + TINY),
        r"plot 'tiny': the script raised at step 2, in `raise ValueError\('boom'\)`: ValueError: boom",
    ),
    "script raises in a function": (
        tiny(code=CALLED + TINY),
        r"plot 'tiny': the script raised at step 1, in `check\(step\)`: ValueError: too far",
    ),
    "not CSV": (
        tiny(code="print('hello')"),
        r"plot 'tiny' field 'code': printed 'hello\\n'; expected CSV with a 'step' column",
    ),
    "unexpected warning": (
        tiny(code="import warnings\nwarnings.warn('careful')\n" + TINY),
        r"plot 'tiny': the library warned 'UserWarning: careful'",
    ),
    "missing warning": (
        tiny(warns="never"),
        r"plot 'tiny': field 'warns' expects the warning 'never', but none came",
    ),
}


@pytest.mark.parametrize(("plot", "pattern"), BAD_PLOTS.values(), ids=BAD_PLOTS)
def test_bad_plot_named(plot, pattern):
    guide = dataclasses.replace(GOOD, plots=(plot,), pitfalls=())
    with pytest.raises(CatalogError, match=rf"guide 'resume' {pattern}"):
        guide_figure(guide, plot, "http://example.org/")


def test_bad_multiples_named():
    plot = tiny(multiples=("one", "two"))
    guide = dataclasses.replace(GOOD, plots=(plot,), pitfalls=())
    with pytest.raises(CatalogError, match=r"guide 'resume' plot 'tiny' field 'multiples': 2 captions for 1 columns"):
        guide_figure(guide, plot, "http://example.org/")


BAD_PITFALLS = {
    "wrong class": (
        {"expect": "ValueError", "code": "raise KeyError('x')"},
        r": field 'expect' is 'ValueError', but the code gave KeyError: 'x'",
    ),
    "expected class never comes": (
        {"expect": "ValueError", "code": "x = 1"},
        r": field 'expect' is 'ValueError', but the code gave nothing",
    ),
    "empty message": (
        {"expect": "ValueError", "code": "raise ValueError()"},
        r": the library gave an empty message",
    ),
    "silent prints nothing": ({"expect": None, "code": "x = 1"}, r" field 'code': printed nothing"),
    "silent raises": (
        {"expect": None, "code": "raise ValueError('no')"},
        r": a silent pitfall's code gave ValueError: no",
    ),
    "silent warns": (
        {"expect": None, "code": "import warnings\nwarnings.warn('careful')\nprint('x')"},
        r": a silent pitfall's code gave UserWarning: careful",
    ),
}


@pytest.mark.parametrize(("changes", "pattern"), BAD_PITFALLS.values(), ids=BAD_PITFALLS)
def test_bad_pitfall_named(changes, pattern):
    pitfall = dataclasses.replace(resume.INITIAL_LR, id="bad", **changes)
    with pytest.raises(CatalogError, match=rf"^guide 'resume' pitfall 'bad'{pattern}"):
        guide_pitfall(resume.GUIDE, pitfall)


def test_duplicate_anchors_named():
    from gen.guides.validate import check_guides

    twin = dataclasses.replace(PITFALLS, slug="other", pitfalls=(resume.INITIAL_LR,))
    with pytest.raises(CatalogError, match=r"guide 'other' pitfall 'initial-lr': id also used in guide 'resume'"):
        check_guides((resume.GUIDE, twin))
    with pytest.raises(CatalogError, match=r"guide 'resume' field 'slug': used twice"):
        check_guides((resume.GUIDE, resume.GUIDE))
    with pytest.raises(CatalogError, match=r"guide 'resume' field 'template'"):
        check_guides((dataclasses.replace(resume.GUIDE, template="nope.md.j2"),))
