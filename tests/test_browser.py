"""The built site as people get it: served over HTTP on 127.0.0.1 and opened in Debian's Chromium.

Every test that serves the site is in this one file: `make test` shares files out between two
pytest-xdist workers (--dist loadfile), and one server at a time holds the address the site was
built for. The last part is the Explore panel: each control redraws the published curve of that
setting, links restore a setting, nothing leaves the origin, axe is clean, a phone fits it, the
keyboard drives it. The drawn numbers are compared with the built site's explore.json, decoded
here, for the setting the controls name (found in the catalog's grid, not by the page);
test_explore_data.py proves that each setting in that file is what the library gives."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from conftest import SUB_PORT, SUB_URL, Quiet, is_redirect
from gen.catalog import ENTRIES
from gen.explore import decode, start_index

playwright = pytest.importorskip("playwright.sync_api")
AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")

# Text nodes outside code, preformatted text and KaTeX's MathML copy.
VISIBLE_TEXT = """() => {
  const out = [];
  const walk = (n) => {
    if (n.nodeType === 3) { out.push(n.textContent); return; }
    if (n.nodeType !== 1 || n.matches('code, pre, script, style, .katex-mathml, annotation')) return;
    n.childNodes.forEach(walk);
  };
  walk(document.querySelector('.md-content'));
  return out.join('');
}"""
IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('img')];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return imgs.map(i => [i.getAttribute('src'), i.naturalWidth]);
}"""


def all_pages(site: Path) -> list[str]:
    """Every page with content; short links' redirects are followed in test_publishing_browser."""
    folders = (p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if not is_redirect(p))
    return sorted("/" if f == "." else f"/{f}/" for f in folders)


def open_page(browser, url: str, width: int = 1280, scheme: str = "light"):
    """A fresh page that records console errors and every request's host."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page


# Every figure shown on the page: the SVG its <picture> picks at this width, the width it is drawn
# at, the SVG's own width (viewBox) and its smallest font size, and where tapping it leads.
FIGURES = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('figure img')) {
    const width = img.getBoundingClientRect().width;
    if (width === 0) continue;  // the other scheme's copy
    let url = img.src;
    for (const s of img.closest('picture')?.querySelectorAll('source') ?? []) {
      if (matchMedia(s.media).matches) { url = new URL(s.getAttribute('srcset'), location.href).href; break; }
    }
    const svg = await (await fetch(url)).text();
    const box = svg.match(/viewBox="[-\\d.]+ [-\\d.]+ ([\\d.]+)/);
    const sizes = [...svg.matchAll(/font-size: ?([\\d.]+)px/g)].map(m => parseFloat(m[1]));
    out.push([url, width, box ? parseFloat(box[1]) : NaN, sizes.length ? Math.min(...sizes) : null,
              img.closest('a')?.href ?? null]);
  }
  return out;
}"""
MIN_TEXT_PX = 11


# Heavy blocks are `content-visibility: auto` (atlas.css): until a block first comes on screen
# Chromium may report its colours from before the palette was applied, so axe, which reads
# computed colours, checks the page as a reader has it once every block has been on screen. A
# style that renders every block at once gives that state without scrolling through the page.
RENDER_ALL = "* { content-visibility: visible !important; }"


def render_everything(page) -> None:
    page.add_style_tag(content=RENDER_ALL)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


# Blocks that scroll sideways (code, tables, display math) and hide text past their right edge:
# (the block's tag and classes, the first hidden text). A closed <details> hides on purpose.
HIDDEN_TEXT = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.md-content :is(pre, code, .katex-display, .md-typeset__scrollwrap, table)')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.closest('details:not([open])')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    // any text node whose box reaches past the block's right edge
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let hidden = '';
    const range = document.createRange();
    while (walker.nextNode()) {
      const n = walker.currentNode;
      if (!n.textContent.trim()) continue;
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.right > box.right + 1 && r.width > 0) { hidden = n.textContent.trim(); break; }
      }
      if (hidden) break;
    }
    if (hidden) out.push([el.tagName.toLowerCase() + '.' + [...el.classList].join('.'), hidden]);
  }
  return out;
}"""
# Where the page's first figure starts, in CSS px from the top of the document.
FIRST_FIGURE = "() => document.querySelector('.md-content figure')?.getBoundingClientRect().top + scrollY"
AXE_RUN = "async () => await axe.run('.md-content', {resultTypes: ['violations']})"
PHONE, DESKTOP = 375, 1280


@dataclass(frozen=True)
class Visit:
    """What one load of a page showed, in one width and colour scheme."""

    errors: list[str]  # console errors of the load
    requests: list[str]
    images: list[tuple[str, int]]  # every <img>: its src and natural width, once all have loaded
    text: str  # VISIBLE_TEXT
    overflow: int  # horizontal overflow of the document, in CSS px
    figures: list  # FIGURES
    axe: list  # violations: (id, help, first targets); desktop only
    alts: list[str]  # the alt text of every figure image
    scheme: str  # Material's data-md-color-scheme as the page shows it
    first_figure: float | None  # FIRST_FIGURE
    hidden: list  # HIDDEN_TEXT, once every block has been laid out


def visit(context, url: str, width: int, settle: str) -> Visit:
    """One load of the page in the context's width and scheme, read."""
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until=settle)
    images = page.evaluate(IMAGES)
    violations = []
    render_everything(page)
    if width == DESKTOP:
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(AXE_RUN)["violations"]
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    seen = Visit(
        errors,
        requests,
        [tuple(i) for i in images],
        page.evaluate(VISIBLE_TEXT),
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        page.evaluate(FIGURES),
        violations,
        page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.alt)"),
        page.get_attribute("body", "data-md-color-scheme"),
        page.evaluate(FIRST_FIGURE),
        page.evaluate(HIDDEN_TEXT),
    )
    page.close()
    return seen


SETTINGS = [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")]
# The Chinese edition's pages, made by the same templates, are read in two of them: both widths,
# both schemes (a fourth load of each would cost the suite minutes and find nothing new).
SETTINGS_ZH = [(DESKTOP, "dark"), (PHONE, "light")]


def settings_of(path: str) -> list[tuple[int, str]]:
    return SETTINGS_ZH if path.startswith("/zh/") else SETTINGS


def visit_all(server: str, paths: list[str], settings: list[tuple[int, str]]) -> dict[tuple[str, int, str], Visit]:
    """Every page in each of `settings`, in a Chromium of this thread's own (Playwright's objects
    belong to the thread that made them)."""
    from chromium import ARGS, EXECUTABLE
    from chromium import env as chromium_env

    out = {}
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=EXECUTABLE, args=ARGS, env=chromium_env())
        for width, scheme in settings:
            context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            for path in (p for p in paths if (width, scheme) in settings_of(p)):
                # The first setting waits for the network to fall quiet (every request a page makes
                # by itself is recorded); the others read the page once it has loaded.
                settle = "networkidle" if (width, scheme) == SETTINGS[0] else "load"
                out[path, width, scheme] = visit(context, server + path, width, settle)
            context.close()
        chromium.close()
    return out


@pytest.fixture(scope="module")
def visits(site, server) -> dict[tuple[str, int, str], Visit]:
    """Every page, loaded once in each width and scheme: what the per-page checks below read.
    One load serves them all (a load per check per page made this file the suite's slowest), and
    two browsers share the settings out, one per core."""
    paths = all_pages(site)
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda half: visit_all(server, paths, half), (SETTINGS[::2], SETTINGS[1::2]))
        out = {key: seen for part in found for key, seen in part.items()}
    assert len(out) == sum(len(settings_of(p)) for p in paths)
    return out


def test_every_page_shows_the_scheme_asked_for(visits):
    """The dark reading is Material's dark palette (slate), the light one its default."""
    for (path, width, scheme), seen in visits.items():
        assert seen.scheme == {"light": "default", "dark": "slate"}[scheme], (path, width, scheme)


def test_every_page_is_sound(visits, server):
    """No console error, no request off the origin, every image loads, every formula rendered: in
    every width and scheme."""
    origin = urlsplit(server).netloc
    for (path, width, scheme), seen in visits.items():
        where = (path, width, scheme)
        assert seen.errors == [], where
        assert [u for u in seen.requests if urlsplit(u).netloc != origin and not u.startswith("data:")] == [], where
        assert [src for src, natural in seen.images if natural == 0] == [], where
        for raw in ("\\(", "\\[", "$$"):
            assert raw not in seen.text, (where, raw)


def test_no_horizontal_scroll_on_a_phone(visits):
    for (path, width, scheme), seen in visits.items():
        if width == PHONE:
            assert seen.overflow <= 0, (path, scheme, seen.overflow)


# The first screen of a 1280 x 800 desktop and of a 390 x 844 phone (measured at 375 px, narrower).
FIRST_SCREEN = {DESKTOP: 800, PHONE: 844}


def test_every_schedule_page_shows_its_first_figure_on_the_first_screen(visits):
    """A schedule page exists to show the curve: its first figure starts on the first screen."""
    lowest = {}
    for entry in ENTRIES:
        for path in (f"/schedulers/{entry.slug}/", f"/zh/schedulers/{entry.slug}/"):
            for width, scheme in settings_of(path):
                top = visits[path, width, scheme].first_figure
                assert top is not None and 0 < top < FIRST_SCREEN[width], (path, width, scheme, top)
                lowest[width] = max(lowest.get(width, 0), top)
    print(f"first figure starts at most {lowest[DESKTOP]:.0f} px down at {DESKTOP}, {lowest[PHONE]:.0f} at {PHONE}")


def test_no_text_hides_past_a_scroll_bar(visits):
    """Code, messages, tables and formulas fit their column or wrap, at both widths: no block that
    scrolls sideways has text past its right edge."""
    hidden = {key: seen.hidden for key, seen in visits.items() if seen.hidden}
    assert hidden == {}, f"{len(hidden)} page loads: {hidden}"


def test_figure_text_is_readable_on_a_phone_and_a_desktop(visits):
    """Every figure's smallest text, as drawn (its width on screen x the SVG's font size / the SVG's
    width), is at least 11 CSS px on a 375 px phone and at 1280 px, light and dark; tapping a
    figure opens its SVG full size."""
    smallest = {}
    for (path, width, scheme), seen in visits.items():
        for url, shown, box, font, link in seen.figures:
            if font is None:  # no text at all (a thumbnail)
                continue
            px = shown * font / box
            assert px >= MIN_TEXT_PX, (path, width, scheme, url, round(px, 1))
            smallest[width] = min(smallest.get(width, px), px)
            assert link and link.endswith(f".{scheme}.svg") and ".narrow." not in link, (path, url, link)
    assert set(smallest) == {PHONE, DESKTOP}  # figures were found at both widths
    print(f"smallest figure text: {smallest[PHONE]:.1f} px at {PHONE}, {smallest[DESKTOP]:.1f} px at {DESKTOP}")


def test_axe_finds_no_violation(visits):
    for (path, width, scheme), seen in visits.items():
        if width == DESKTOP:
            assert seen.axe == [], (path, scheme)


def test_alt_text_names_scheduler_and_arguments(visits):
    for entry in ENTRIES:
        for path, scheme, head in (("/schedulers/", "light", "Line chart: "), ("/zh/schedulers/", "dark", "折线图：")):
            alts = visits[f"{path}{entry.slug}/", DESKTOP, scheme].alts
            assert len(alts) == 2 * len(entry.cases)
            for alt, case in zip(alts[::2], entry.cases, strict=True):
                assert alt.startswith(f"{head}{entry.name}("), alt
                for name in case.args:
                    assert f"{name}=" in alt, (alt, name)


# Queries a reader types, and the pages that answer them: at least one is among the first three.
SEARCHES = {
    "warmup": ("/guides/warm-up/",),
    "cosine restarts": ("/schedulers/get-cosine-with-hard-restarts-schedule-with-warmup/",),
    "one cycle": ("/schedulers/one-cycle-lr/",),
    "plateau": ("/schedulers/reduce-lr-on-plateau/", "/schedulers/plateau-lr-scheduler/"),
    "wsd": ("/schedulers/get-wsd-schedule/", "/schedulers/wsdlr-scheduler/"),
    "step decay": ("/schedulers/step-lr/", "/schedulers/step-lr-scheduler/"),
    "min lr": ("/schedulers/get-cosine-with-min-lr-schedule-with-warmup/",),
    "warm restarts": ("/schedulers/cosine-annealing-warm-restarts/",),
    "linear warmup": ("/schedulers/get-linear-schedule-with-warmup/",),
    "polynomial": ("/schedulers/polynomial-lr/", "/schedulers/get-polynomial-decay-schedule-with-warmup/"),
    "exponential": ("/schedulers/exponential-lr/",),
    "resume checkpoint": ("/guides/resume/",),
    "three libraries": ("/guides/libraries/",),
}


# The Chinese edition's own index (mkdocs.zh.yml), its words cut by jieba: the same pages, in Chinese.
SEARCHES_ZH = {
    "余弦退火": ("/zh/schedulers/cosine-annealing-lr/", "/zh/schedulers/cosine-annealing-warm-restarts/"),
    "预热": ("/zh/guides/warm-up/",),
    "热重启": ("/zh/schedulers/cosine-annealing-warm-restarts/",),
    "学习率 最小值": (
        "/zh/schedulers/get-cosine-with-min-lr-schedule-with-warmup/",
        "/zh/schedulers/cosine-annealing-lr/",
    ),
    "恢复训练": ("/zh/guides/resume/",),
    "平台期": ("/zh/schedulers/reduce-lr-on-plateau/", "/zh/schedulers/plateau-lr-scheduler/"),
    "单周期": ("/zh/schedulers/one-cycle-lr/",),
}


@pytest.mark.parametrize("home, searches", [("/", SEARCHES), ("/zh/", SEARCHES_ZH)], ids=["en", "zh"])
def test_search_finds_what_a_reader_means(server, browser, home, searches):
    """Material's search, typed into as a reader would: each query lists a page that answers it
    among the first three pages of its results, in each edition's own index."""
    page = open_page(browser, server + home)
    page.click(".md-search__input")
    for query, wanted in searches.items():
        page.fill("input.md-search__input", "")
        # keystrokes: Material searches on keyboard events (Chinese characters arrive as text input,
        # without one: End is the keystroke that follows)
        page.keyboard.type(query)
        page.keyboard.press("End")
        # results carry the words they matched (?h=...), for highlighting: wait for this query's
        # (the whole query in English; in Chinese, the parts of it the index holds as words)
        answered = ".md-search-result__list > li > a.md-search-result__link"
        page.wait_for_function(
            """([sel, query]) => {
                const words = [...document.querySelectorAll(sel)].map(a => new URL(a.href).searchParams.get('h')).filter(Boolean);
                const chinese = /[\\u4e00-\\u9fff]/.test(query);
                return chinese
                    ? words.length && words.every(h => h.split(/\\s+/).every(w => query.includes(w)))
                    : words.some(h => h === query);
            }""",
            arg=[answered, query],
        )
        found = page.eval_on_selector_all(answered, "links => links.map(a => new URL(a.href).pathname)")
        top = list(dict.fromkeys(found))[:3]  # a page may be listed again for another of its sections
        assert set(wanted) & set(top), (query, wanted, top)
        assert all(p.startswith(home) for p in found), (query, found)  # each edition finds its own pages
    page.context.close()


@pytest.mark.parametrize(
    "start, other",
    [
        ("/schedulers/one-cycle-lr/", "/zh/schedulers/one-cycle-lr/"),
        ("/zh/guides/warm-up/", "/guides/warm-up/"),
        ("/zh/", "/"),
    ],
)
def test_the_language_switch_leads_to_the_same_page(server, browser, start, other):
    """The switch in the header (Material's `extra.alternate`) opens the page's twin in the other
    language; each page says its language, and names both editions' homes as hreflang alternates."""
    page = open_page(browser, server + start)
    lang = "zh" if start.startswith("/zh/") else "en"
    assert page.get_attribute("html", "lang") == lang
    alternates = page.eval_on_selector_all(
        "head link[rel=alternate][hreflang]", "ls => ls.map(l => [l.hreflang, new URL(l.href).pathname])"
    )
    assert sorted(alternates) == [["en", "/"], ["zh", "/zh/"]], alternates
    page.click(".md-header__option .md-select button")
    page.click(f".md-select__link[hreflang={'en' if lang == 'zh' else 'zh'}]")
    landed(page, other)
    assert page.get_attribute("html", "lang") == ("en" if lang == "zh" else "zh")
    assert not page.errors, page.errors
    page.context.close()


def landed(page, path: str) -> None:
    """Waits for an instant navigation to `path`: Material's anchor tracking may add the hash of a
    heading while the new page settles."""
    page.wait_for_url(re.compile(rf".*{re.escape(path)}(#[\w-]+)?$"))


def visible(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().width > 0")


def test_palette_toggle_swaps_plots_and_persists(server, browser):
    first, second = ENTRIES[0], ENTRIES[1]
    page = open_page(browser, f"{server}/schedulers/{first.slug}/")
    case = first.cases[0].id
    light, dark = f'img[src*="/{case}.light.svg"]', f'img[src*="/{case}.dark.svg"]'
    assert visible(page, light) and not visible(page, dark)
    page.click("label[for='__palette_1']")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert visible(page, dark) and not visible(page, light)
    page.evaluate("window.__still_here = true")
    page.click(f'a.md-nav__link[href$="{second.slug}/"]')
    landed(page, f"/schedulers/{second.slug}/")
    assert page.evaluate("window.__still_here === true")  # instant navigation, no reload
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.wait_for_selector(f'img[src*="/{second.cases[0].id}.dark.svg"]', state="visible")
    page.click("label[for='__palette_0']")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert visible(page, f'img[src*="/{second.cases[0].id}.light.svg"]')
    page.context.close()


def test_instant_navigation_renders_math_and_plots(server, browser):
    entry = ENTRIES[0]
    page = open_page(browser, server + "/")
    page.evaluate("window.__still_here = true")
    page.click(f'.atlas-gallery a[href$="{entry.slug}/"] >> nth=1')
    landed(page, f"/schedulers/{entry.slug}/")
    assert page.evaluate("window.__still_here === true")
    assert page.locator(".md-content .katex").count() > 3
    assert all(w > 0 for _, w in page.evaluate(IMAGES))
    page.click('a.md-nav__link[href$="about/"]')
    landed(page, "/about/")
    assert page.evaluate("window.__still_here === true")
    assert page.locator(".md-content .katex").count() >= 1
    assert "\\(" not in page.evaluate(VISIBLE_TEXT)
    page.context.close()


def test_reproduce_scripts_are_coloured_when_opened(server, browser):
    """The scripts come as plain text and get their highlighting when opened, also after instant
    navigation; the text is the published script, to the character, before and after."""
    entry = ENTRIES[-1]
    page = open_page(browser, server + "/")
    page.click(f'.atlas-gallery a[href$="{entry.slug}/"] >> nth=1')
    landed(page, f"/schedulers/{entry.slug}/")
    for case in entry.cases:
        details = page.locator("details.example", has=page.locator(f'span.filename:text-is("{case.id}.py")'))
        code = details.locator("pre > code")
        published = page.request.get(f"{server}/schedulers/{entry.slug}/{case.id}.py").text()
        assert code.evaluate("c => c.querySelectorAll('span').length") == 0
        assert code.text_content().strip() == published.strip()
        details.locator("summary").click()
        page.wait_for_function("c => c.querySelectorAll('span.k, span.kn').length > 3", arg=code.element_handle())
        assert code.text_content().strip() == published.strip()
    page.context.close()


# Records every MutationObserver.observe call with the script that made it.
OBSERVED = """
window.__observed = [];
const observe = MutationObserver.prototype.observe;
MutationObserver.prototype.observe = function (target, options) {
  const whole = target === document || target === document.documentElement || target === document.body;
  window.__observed.push({ whole, subtree: !!(options && options.subtree), stack: new Error().stack });
  return observe.call(this, target, options);
};
"""


def test_our_scripts_watch_no_whole_page(server, browser):
    """atlas.js and explore.js watch no whole page (a page-wide observer is told of every node
    Material's start-up inserts), yet the copy-button <nav> Material adds to a code block when it
    first comes into view still gets its accessible name."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OBSERVED)
    page = context.new_page()
    page.goto(f"{server}/schedulers/{ENTRIES[0].slug}/", wait_until="networkidle")
    ours = page.evaluate("__observed.filter(o => /assets\\/(atlas|explore)\\.js/.test(o.stack))")
    assert ours, "atlas.js no longer watches code blocks for their <nav>"
    assert [o["stack"] for o in ours if o["whole"] or o["subtree"]] == []
    details = page.locator("details.example").first
    details.locator("summary").click()
    page.wait_for_function(
        "d => d.querySelector('.md-code__nav')?.getAttribute('aria-label')?.startsWith('Code block ')",
        arg=details.element_handle(),
    )
    context.close()


def test_short_link_lands_on_the_page(server, browser):
    entry = ENTRIES[0]
    page = open_page(browser, f"{server}/{entry.name}/#{entry.cases[0].id}")
    page.wait_for_url(f"**/schedulers/{entry.slug}/#{entry.cases[0].id}")
    assert page.locator("h1").inner_text().startswith(entry.name)
    page.context.close()


def test_print_shows_the_page_without_the_site_around_it(server, browser):
    """Print media: no nav, header, footer or palette toggle; light plots only, even in dark mode."""
    entry = ENTRIES[0]
    page = open_page(browser, f"{server}/schedulers/{entry.slug}/", scheme="dark")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", "details.example"):
        assert page.eval_on_selector(chrome, "e => getComputedStyle(e).display") == "none", chrome
    case = entry.cases[0].id
    assert visible(page, f'img[src*="/{case}.light.svg"]')
    assert not visible(page, f'img[src*="/{case}.dark.svg"]')
    assert page.locator(".md-content .katex").first.is_visible()
    page.context.close()


def test_404_page_opens_search(server, browser):
    page = open_page(browser, f"{server}/404.html")
    assert page.errors == []
    page.click(".atlas-404-actions label[for='__search']")
    assert page.is_checked("#__search")
    page.keyboard.press("Escape")
    page.click("text=Go to the gallery")
    page.wait_for_url(f"{server}/")
    page.context.close()


class NotFound(Quiet):
    """Serves 404.html for a missing address, as GitHub Pages does."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "atlas" / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_site_works_under_a_sub_path(subpath_root, browser):
    """Hosted at /atlas/ (GitHub Pages' project sites): assets, plots, instant navigation, 404."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", SUB_PORT), functools.partial(NotFound, directory=str(subpath_root))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = SUB_URL.rstrip("/")
        entry = ENTRIES[0]
        page = open_page(browser, base + "/")
        responses: list[tuple[str, int]] = []
        page.on("response", lambda r: responses.append((r.url, r.status)))
        assert all(w > 0 for _, w in page.evaluate(IMAGES))
        page.evaluate("window.__still_here = true")
        page.click(f'.atlas-gallery a[href$="{entry.slug}/"] >> nth=1')
        landed(page, f"{base}/schedulers/{entry.slug}/")
        assert page.evaluate("window.__still_here === true")  # instant navigation under the sub-path
        assert all(w > 0 for _, w in page.evaluate(IMAGES))
        assert page.errors == []
        assert all(u.startswith(base + "/") for u in page.requests), page.requests
        assert [u for u, status in responses if status >= 400] == []
        page.context.close()
        page = open_page(browser, f"{base}/{entry.name}/")
        landed(page, f"{base}/schedulers/{entry.slug}/")
        page.context.close()
        page = open_page(browser, f"{base}/no/such/page/")
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
        assert all(w > 0 for _, w in page.evaluate(IMAGES))
        # The one error is the address's own 404 status; the page's assets all load.
        assert len(page.errors) == 1 and "status of 404" in page.errors[0], page.errors
        page.click("text=Go to the gallery")
        page.wait_for_url(SUB_URL)
        page.context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


# The Explore panel.

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
