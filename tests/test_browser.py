"""The built site as people get it: served over HTTP on 127.0.0.1 and opened in Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import SUB_PORT, SUB_URL, Quiet, is_redirect
from gen.catalog import ENTRIES

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.xdist_group("browser")  # one worker serves the site on its agreed ports
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


AXE_RUN = "async () => await axe.run('.md-content', {resultTypes: ['violations']})"
PHONE, DESKTOP = 375, 1280


@dataclass(frozen=True)
class Visit:
    """What a page showed at one width, in one colour scheme."""

    errors: list[str]  # console errors of the load (both schemes: the same load)
    requests: list[str]
    images: list[tuple[str, int]]  # every <img>: its src and natural width, once all have loaded
    text: str  # VISIBLE_TEXT
    overflow: int  # horizontal overflow of the document, in CSS px
    figures: list  # FIGURES
    axe: list  # violations: (id, help, first targets); desktop only
    alts: list[str]  # the alt text of every figure image
    scheme: str  # Material's data-md-color-scheme as the page shows it


def read(page, width: int, errors: list[str], requests: list[str]) -> Visit:
    images = page.evaluate(IMAGES)
    violations = []
    if width == DESKTOP:
        render_everything(page)
        if not page.evaluate("'axe' in window"):
            page.add_script_tag(path=str(AXE))
        found = page.evaluate(AXE_RUN)["violations"]
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    return Visit(
        errors,
        requests,
        [tuple(i) for i in images],
        page.evaluate(VISIBLE_TEXT),
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"),
        page.evaluate(FIGURES),
        violations,
        page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.alt)"),
        page.get_attribute("body", "data-md-color-scheme"),
    )


def visit(context, url: str, width: int, settle: str) -> dict[str, Visit]:
    """One load of the page in the light scheme, read; then the reader's system turns dark and the
    reader switches the palette, read again: the dark page as a dark system loads it."""
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until=settle)
    light = read(page, width, errors, requests)
    page.emulate_media(color_scheme="dark")  # the pictures' media queries
    page.click("label[for='__palette_1']")  # Material reads the system's scheme at load only
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = read(page, width, errors, requests)
    page.evaluate("localStorage.clear()")  # the toggle's choice is kept: the next page starts light again
    page.close()
    return {"light": light, "dark": dark}


def visit_all(server: str, paths: list[str]) -> dict[tuple[str, int, str], Visit]:
    """Every page of `paths` at both widths, in a Chromium of this thread's own (Playwright's
    objects belong to the thread that made them)."""
    from chromium import ARGS, EXECUTABLE

    out = {}
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=EXECUTABLE, args=ARGS)
        for width in (DESKTOP, PHONE):
            context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
            for path in paths:
                # On a desktop the load waits for the network to fall quiet (every request a page
                # makes by itself is recorded); on a phone the page is read once it has loaded.
                settle = "networkidle" if width == DESKTOP else "load"
                for scheme, visited in visit(context, server + path, width, settle).items():
                    out[path, width, scheme] = visited
            context.close()
        chromium.close()
    return out


@pytest.fixture(scope="module")
def visits(site, server) -> dict[tuple[str, int, str], Visit]:
    """Every page, read at each width in each scheme: what the per-page checks below read. One
    load per page and width serves them all (a load per check per page made this file the
    suite's slowest), and two browsers share the pages out, one per core."""
    paths = all_pages(site)
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = pool.map(lambda half: visit_all(server, half), (paths[::2], paths[1::2]))
        out = {key: seen for part in found for key, seen in part.items()}
    assert len(out) == 4 * len(paths)
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
        alts = visits[f"/schedulers/{entry.slug}/", DESKTOP, "light"].alts
        assert len(alts) == 2 * len(entry.cases)
        for alt, case in zip(alts[::2], entry.cases, strict=True):
            assert alt.startswith(f"Line chart: {entry.name}("), alt
            for name in case.args:
                assert f"{name}=" in alt, (alt, name)


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
    assert visible(page, f'img[src*="/{second.cases[0].id}.dark.svg"]')
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
