"""Every internal link and anchor in the built HTML resolves; every data file (the schedulers' and
the guides') is linked from a page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from gen.figure import HIGHLIGHT

SKIP_SCHEMES = ("http:", "https:", "mailto:", "data:", "javascript:")
THEME_SWITCHES = ("only-light", "only-dark")  # Material's image fragments, not anchors


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key) and tag in {"a", "img", "link", "script", "source"}:
                self.links.append(a[key] or "")


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text())
    return page


def target(site: Path, page: Path, link: str) -> tuple[Path, str]:
    """The file a relative link points at, and its fragment."""
    url = urlsplit(urljoin("/" + page.relative_to(site).as_posix(), link))
    path = site / unquote(url.path).lstrip("/")
    if url.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, url.fragment


def internal(link: str) -> bool:
    return not link.startswith(SKIP_SCHEMES) and not link.startswith("//")


def test_internal_links_and_anchors_resolve(site):
    parsed = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, html in parsed.items():
        for link in filter(internal, html.links):
            path, fragment = target(site, page, link)
            if not path.exists():
                broken.append((str(page.relative_to(site)), link, "no such file"))
            elif fragment and path.suffix == ".html" and fragment not in parsed[path].ids:
                broken.append((str(page.relative_to(site)), link, "no such anchor"))
            elif fragment and path.suffix != ".html" and fragment not in THEME_SWITCHES:
                broken.append((str(page.relative_to(site)), link, "fragment on a file"))
    assert broken == []


def test_every_data_file_is_linked(site):
    linked = {
        target(site, page, link)[0] for page in site.rglob("*.html") for link in filter(internal, parse(page).links)
    }
    published = [
        p
        for d in ("schedulers", "guides")
        for p in (site / d).rglob("*")
        if p.suffix in {".csv", ".json", ".py", ".svg"}
    ]
    assert published and any(p.name == HIGHLIGHT for p in published)
    published = [p for p in published if p.name != HIGHLIGHT]  # the page script's asset, not data
    assert [str(p.relative_to(site)) for p in published if p not in linked] == []


def test_the_stable_links_page_names_every_page_of_the_nav(site):
    """Every page of the built site (short links' redirects aside) is on the Stable links page: by
    its own address, or, for a scheduler page, by the /schedulers/<slug>/ scheme it shows."""
    import html
    import re

    from conftest import is_redirect

    text = html.unescape((site / "links" / "index.html").read_text())
    listed = set(re.findall(r"<code>(/[^<]*)</code>", text))
    pages = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if not is_redirect(p)]
    missing = []
    for page in pages:
        path = "/" if page == "." else f"/{page}/"
        path = path.removeprefix("/zh")  # the Chinese edition: `/zh/` before each address, as the page says
        if path not in listed and not (path.startswith("/schedulers/") and path.count("/") == 3):
            missing.append(path)
    assert "<code>/schedulers/<slug>/</code>" in text and "<code>/zh/</code>" in text
    assert len(pages) > 40 and missing == [], missing
