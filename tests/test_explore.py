"""The Explore panel in Chromium: each control redraws the published curve of that setting, links
restore a setting, nothing leaves the origin, axe is clean, a phone fits it, the keyboard drives it.

The drawn numbers are compared with the built site's explore.json, decoded here, for the setting the
controls name (found in the catalog's grid, not by the page); test_explore_data.py proves that each
setting in that file is what the library gives."""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from test_browser import AXE, open_page, render_everything

from gen.catalog import ENTRIES
from gen.explore import decode, start_index

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.xdist_group("browser")  # one worker serves the site on its agreed ports
TOLERANCE = 1e-12  # relative to the column's largest value: the page draws the file's own numbers
BY_NAME = {e.name: e for e in ENTRIES}
EXPLORED = [e for e in ENTRIES if e.explore]  # get_constant_schedule has nothing to move
DRAWN = """() => [...document.querySelectorAll('.atlas-x-chart')].map(svg =>
  svg.querySelector('path[data-now]').dataset.y.split(',').map(Number))"""


def start(entry) -> dict:
    return {c.arg: c.values[start_index(entry, c.arg)] for c in entry.explore.controls}


def opened(browser, url: str, **kw):
    page = open_page(browser, url, **kw)
    page.click(".atlas-explore summary")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    return page


@functools.cache
def data_file(path) -> dict:
    return json.loads(path.read_text())


def published(site, entry, values) -> dict[str, list[float]]:
    """The setting's columns, decoded from the built site's explore.json: by the setting's place
    in the catalog's grid (the last control varying fastest), so a panel showing another setting's
    curve fails."""
    doc = data_file(site / "schedulers" / entry.slug / "explore.json")
    run = doc["runs"][entry.explore.grid().index(values)]
    return {name: decode(column) for name, column in zip(doc["columns"], run["columns"], strict=True)}


def assert_close(got, want, where) -> None:
    assert len(got) == len(want), where
    scale = max(abs(v) for v in want) or 1.0
    worst = max(abs(a - b) for a, b in zip(got, want, strict=True)) / scale
    assert worst <= TOLERANCE, (where, worst)


def assert_published(page, site, entry, values) -> None:
    """The drawn numbers, every chart, against the published data of those values."""
    want = published(site, entry, values)
    drawn = page.evaluate(DRAWN)
    assert len(drawn) == len(want), (entry.name, values)
    for (name, column), got in zip(want.items(), drawn, strict=True):
        assert_close(got, column, (entry.name, values, name))


def move(page, control, current) -> object:
    """Move a control the way a reader does (End/Home on a slider, a choice in a select)."""
    field = page.locator(f"#atlas-x-{control.arg}")
    i = control.values.index(current)
    target = len(control.values) - 1 if i == 0 else 0
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(str(target))
    else:
        field.focus()
        page.keyboard.press("End" if target else "Home")
    return control.values[target]


@pytest.mark.parametrize("entry", EXPLORED, ids=[e.name for e in EXPLORED])
def test_each_control_redraws_its_curve(site, server, browser, entry):
    """Also, on the same page load: the data arrives only when the panel opens, nothing leaves the
    origin, axe finds nothing in the open panel (light; dark below), and a phone fits it."""
    page = open_page(browser, f"{server}/schedulers/{entry.slug}/")
    data = f"{server}/schedulers/{entry.slug}/explore.json"
    assert data not in page.requests
    page.click(".atlas-explore summary")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    values = start(entry)
    assert_published(page, site, entry, values)
    for control in entry.explore.controls:
        values[control.arg] = move(page, control, values[control.arg])
        assert_published(page, site, entry, values)
        query = dict(parse_qsl(urlsplit(page.url).query))
        # In the query: Material's navigation.tracking rewrites the hash to the nearest heading.
        assert query == {c.arg: c.key(values[c.arg]) for c in entry.explore.controls}
    call = page.inner_text(".atlas-x-body pre code")
    assert call.startswith(f"{entry.name}(")
    if entry.explore.build is None:
        for arg, value in values.items():
            assert f"{arg}={value!r}" in call.replace("\n", " ").replace("  ", ""), (call, arg)
    page.click("text=Pin this setting")
    page.click(".atlas-x-body details summary")  # the full script too
    assert axe_violations(page) == [], entry.name
    page.set_viewport_size({"width": 375, "height": 900})
    page.wait_for_timeout(100)  # the chart takes its new width from a ResizeObserver
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (entry.name, overflow)
    assert page.eval_on_selector(".atlas-x-chart", "s => s.getBoundingClientRect().right") <= 375
    assert [u for u in page.requests if u.endswith("explore.json")] == [data]
    origin = urlsplit(server).netloc
    assert [u for u in page.requests if urlsplit(u).netloc != origin and not u.startswith("data:")] == []
    assert page.errors == []
    page.context.close()


def axe_violations(page) -> list:
    render_everything(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run('.atlas-explore', {resultTypes: ['violations']})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize(
    "address",
    ["?T_0=20&T_mult=1&eta_min=0.01#explore", "#explore?T_0=15&T_mult=3&eta_min=0.01"],
    ids=["query", "hash"],
)
def test_a_link_restores_its_setting(site, server, browser, address):
    entry = BY_NAME["CosineAnnealingWarmRestarts"]
    page = open_page(browser, f"{server}/schedulers/{entry.slug}/{address}")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    want = dict(parse_qsl(address.replace("#explore", "").lstrip("?")))
    shown = {c.arg: page.inner_text(f"output[for=atlas-x-{c.arg}]") for c in entry.explore.controls}
    assert shown == want
    assert page.evaluate("document.querySelector('.atlas-explore details').open")
    values = {"T_0": int(want["T_0"]), "T_mult": int(want["T_mult"]), "eta_min": float(want["eta_min"])}
    assert_published(page, site, entry, values)
    page.context.close()


def test_pins_overlay_up_to_three_settings(site, server, browser):
    entry = BY_NAME["CyclicLR"]
    page = opened(browser, f"{server}/schedulers/{entry.slug}/")
    values = start(entry)
    pinned = []
    for control in entry.explore.controls:
        page.click("text=Pin this setting")
        pinned.append(dict(values))
        values[control.arg] = move(page, control, values[control.arg])
    assert page.is_disabled("text=Pin this setting")
    assert page.locator(".atlas-x-legend li").count() == 4  # now and three pins
    paths = page.eval_on_selector_all(
        ".atlas-x-chart >> nth=0 >> path", "ps => ps.map(p => p.dataset.y.split(',').map(Number))"
    )
    assert len(paths) == 4
    for want, got in zip(reversed(pinned), paths[:3], strict=True):  # pins drawn beneath, last first
        (first, *_) = published(site, entry, want).values()
        assert_close(got, first, want)
    assert_close(paths[3], next(iter(published(site, entry, values).values())), values)  # now, on top
    address = page.url  # the pins are in it: a link restores them too
    assert len(parse_qs(urlsplit(address).query)["pin"]) == 3
    again = open_page(browser, address)
    again.wait_for_selector(".atlas-explore[data-ready=true]")
    assert again.locator(".atlas-x-legend li").count() == 4
    restored = again.eval_on_selector_all(
        ".atlas-x-chart >> nth=0 >> path", "ps => ps.map(p => p.dataset.y.split(',').map(Number))"
    )
    assert restored == paths
    again.context.close()
    page.click(".atlas-x-remove >> nth=0")
    assert page.locator(".atlas-x-legend li").count() == 3
    assert not page.is_disabled("text=Pin this setting")
    assert len(parse_qs(urlsplit(page.url).query)["pin"]) == 2
    page.context.close()


def test_axe_finds_nothing_in_the_open_panel_in_dark(server, browser):
    """Every page's panel is checked in light above; in dark, the pages that hold every kind of
    element a panel has: a select, a single control, the momentum and the loss panels."""
    for entry in (BY_NAME[n] for n in ("CyclicLR", "ExponentialLR", "OneCycleLR", "ReduceLROnPlateau")):
        page = opened(browser, f"{server}/schedulers/{entry.slug}/", scheme="dark")
        page.click("text=Pin this setting")
        page.click(".atlas-x-body details summary")  # the full script too
        assert axe_violations(page) == [], entry.name
        page.context.close()


def test_the_keyboard_drives_the_panel(site, server, browser):
    entry = BY_NAME["OneCycleLR"]
    page = open_page(browser, f"{server}/schedulers/{entry.slug}/")
    page.focus(".atlas-explore summary")
    page.keyboard.press("Enter")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    page.keyboard.press("Tab")  # the data link in the note
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "atlas-x-pct_start"
    page.evaluate("""() => { window.__said = [];  // what the live region says, each time it changes
      new MutationObserver(() => __said.push(document.querySelector('.atlas-x-live').textContent))
        .observe(document.querySelector('.atlas-x-live'), {childList: true, characterData: true, subtree: true}); }""")
    for _ in range(2):  # two quick steps: one announcement, of where the slider stopped
        page.keyboard.press("ArrowRight")
    values = start(entry)
    control = entry.explore.controls[0]
    values["pct_start"] = control.values[control.values.index(values["pct_start"]) + 2]
    assert_published(page, site, entry, values)
    page.wait_for_function("() => __said.length > 0")
    page.wait_for_timeout(700)
    said = page.evaluate("__said")
    assert len(said) == 1 and said[0].startswith(f"pct_start={values['pct_start']}") and "lr from" in said[0], said
    assert page.get_attribute("#atlas-x-pct_start", "aria-valuetext") == repr(values["pct_start"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "atlas-x-anneal_strategy"
    page.context.close()


def test_instant_navigation_mounts_the_next_pages_panel(site, server, browser):
    first, second = BY_NAME["StepLR"], BY_NAME["MultiStepLR"]
    page = opened(browser, f"{server}/schedulers/{first.slug}/")
    page.evaluate("window.__still_here = true")
    page.click(f'a.md-nav__link[href$="{second.slug}/"]')
    # Material's anchor tracking may add the hash of a heading while the new page settles.
    page.wait_for_url(re.compile(rf".*/schedulers/{second.slug}/(#[\w-]+)?$"))
    page.click(".atlas-explore summary")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    assert page.evaluate("window.__still_here === true")
    values = start(second)
    values["gamma"] = move(page, second.explore.controls[1], values["gamma"])
    assert_published(page, site, second, values)
    assert page.errors == []
    page.context.close()


def test_without_javascript_the_panel_stays_out_of_the_way(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/schedulers/{ENTRIES[0].slug}/")
    assert not page.locator(".atlas-explore").is_visible()
    assert page.locator("figure img").first.is_visible()
    context.close()


def test_a_control_without_effect_says_so(site, server, browser):
    """CyclicLR's gamma shapes only exp_range: the panel says so exactly when the published runs
    (the library's, as test_explore_data.py proves) agree."""
    entry = BY_NAME["CyclicLR"]
    page = open_page(browser, f"{server}/schedulers/{entry.slug}/?mode=triangular&step_size_up=20&gamma=0.99#explore")
    page.wait_for_selector(".atlas-explore[data-ready=true]")
    idle = {c.arg: page.is_visible(f"#atlas-x-{c.arg}-idle") for c in entry.explore.controls}
    assert idle == {"mode": False, "step_size_up": False, "gamma": True}
    assert page.get_attribute("#atlas-x-gamma", "aria-describedby") == "atlas-x-gamma-idle"
    same = [published(site, entry, {"mode": "triangular", "step_size_up": 20, "gamma": g}) for g in (0.9, 0.99)]
    assert same[0] == same[1]
    differ = [published(site, entry, {"mode": "exp_range", "step_size_up": 20, "gamma": g}) for g in (0.9, 0.99)]
    assert differ[0] != differ[1]
    page.select_option("#atlas-x-mode", label="exp_range")
    assert not page.is_visible("#atlas-x-gamma-idle")
    assert page.get_attribute("#atlas-x-gamma", "aria-describedby") is None
    page.context.close()
