"""Publishing: addresses that never vanish, short links, the data index, licence, link previews, 404."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CASES, SITE_URL
from gen.catalog import ENTRIES
from gen.figure import HIGHLIGHT
from gen.guides import GUIDES, PITFALLS
from gen.library import torch_version
from gen.publish import FILES, LICENSE
from published_urls import published, recorded


def local(site: Path, url: str) -> Path:
    """The built file behind an absolute URL of this build."""
    assert url.startswith(SITE_URL), url
    path = site / urlsplit(url).path.removeprefix(urlsplit(SITE_URL).path)
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def test_no_published_address_disappears(site):
    gone = sorted(recorded() - published(site))
    assert gone == [], f"{len(gone)} published addresses are gone (add a redirect, or keep the file): {gone[:20]}"


def test_the_list_covers_every_kind_of_address():
    urls = recorded()
    entry, case = CASES[0]
    assert {"/", f"/schedulers/{entry.slug}/", f"/{entry.name}/", "/data/", "/data/index.json"} <= urls
    assert {f"/schedulers/{entry.slug}/{case.id}.{s}" for s in FILES.values()} <= urls


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_short_link_redirects_to_the_page(site, entry):
    html = (site / entry.name / "index.html").read_text()
    assert f'content="0; url=../schedulers/{entry.slug}/"' in html
    assert f'location.href="../schedulers/{entry.slug}/"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html  # readable on a phone
    assert '<meta name="robots" content="noindex">' in html  # the page is indexed, not its alias
    assert (site / "schedulers" / entry.slug / "index.html").exists()


def test_data_index_lists_every_data_file(site):
    doc = json.loads((site / "data/index.json").read_text())
    assert doc["site"] == SITE_URL
    assert doc["torch"] == torch_version()
    assert doc["license"] == LICENSE.json()
    listed = {(c["scheduler"], c["case"]): c for c in doc["cases"]}
    assert len(listed) == len(doc["cases"]) == len(CASES)
    for entry, case in CASES:
        item = listed[(f"{entry.module}.{entry.name}", case.id)]
        assert item["steps"] == case.steps
        assert item["page"] == f"{SITE_URL}schedulers/{entry.slug}/#{case.id}"
        assert set(item["files"]) == set(FILES)
        for url in item["files"].values():
            assert local(site, url).stat().st_size > 0, url
    on_disk = {
        p for d in ("schedulers", "guides") for p in (site / d).rglob("*") if p.suffix in {".csv", ".json", ".py"}
    }
    on_disk = {p for p in on_disk if p.name != HIGHLIGHT}  # the page script's asset, not data
    items = doc["cases"] + doc["guides"]
    indexed = {local(site, u) for c in items for k, u in c["files"].items() if k in {"csv", "json", "py"}}
    indexed |= {local(site, x["file"]) for x in doc["explore"]}  # each page's Explore grid
    assert [x["scheduler"] for x in doc["explore"]] == [f"{e.module}.{e.name}" for e in ENTRIES if e.explore]
    assert on_disk == indexed


def test_data_index_lists_every_guide_figure(site):
    """Each guide figure with its page, title and files; every SVG a guide publishes is listed too."""
    doc = json.loads((site / "data/index.json").read_text())
    figures = [(g, p) for g in (*GUIDES, PITFALLS) for p in g.plots]
    assert [(x["guide"], x["figure"]) for x in doc["guides"]] == [(g.title, p.id) for g, p in figures]
    svgs = set()
    for item, (guide, plot) in zip(doc["guides"], figures, strict=True):
        assert item["title"] == plot.title
        assert item["page"] == f"{SITE_URL}guides/{guide.slug}/#{plot.id}"
        assert f'id="{plot.id}"' in local(site, item["page"].split("#")[0]).read_text()
        assert set(item["files"]) == set(FILES)
        assert item["files"] == {k: f"{SITE_URL}guides/{guide.slug}/{plot.id}.{s}" for k, s in FILES.items()}
        assert item["columns"][0] == "step" and len(item["multiples"] if plot.multiples else []) == len(plot.multiples)
        sidecar = json.loads(local(site, item["files"]["json"]).read_text())
        assert item["steps"] == sidecar["steps"] and item["columns"] == sidecar["columns"]
        for files in [item["files"], *item.get("multiples", [])]:
            svgs |= {local(site, u) for k, u in files.items() if k.startswith("svg")}
    assert {p for p in (site / "guides").rglob("*.svg")} == svgs
    assert all(p.stat().st_size > 0 for p in svgs)


def test_data_page_links_every_guide_file(site):
    html = (site / "data/index.html").read_text()
    for guide in (*GUIDES, PITFALLS):
        for plot in guide.plots:
            assert f'href="../guides/{guide.slug}/#{plot.id}"' in html
            for suffix in FILES.values():
                assert f'href="../guides/{guide.slug}/{plot.id}.{suffix}"' in html


def test_data_page_links_every_data_file(site):
    html = (site / "data/index.html").read_text()
    for entry, case in CASES:
        for suffix in FILES.values():
            assert f'href="../schedulers/{entry.slug}/{case.id}.{suffix}"' in html


@pytest.mark.parametrize(("entry", "case"), CASES[:1])
def test_sidecar_states_the_licence(site, entry, case):
    sidecar = json.loads((site / "schedulers" / entry.slug / f"{case.id}.json").read_text())
    assert sidecar["license"] == {"figures_and_data": "CC-BY-4.0", "url": LICENSE.figures_url, "code": "MIT"}


def test_footer_states_the_licence(site):
    footer = re.search(r'class="md-copyright__highlight">(.*?)</div>', (site / "index.html").read_text(), re.S)
    assert footer and "CC BY 4.0" in footer[1] and "MIT" in footer[1]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_embed_block_per_figure(site, entry):
    html = (site / "schedulers" / entry.slug / "index.html").read_text()
    assert html.count("Embed or cite this figure") == len(entry.cases)
    for case in entry.cases:
        for suffix in FILES.values():
            assert f"{SITE_URL}schedulers/{entry.slug}/{case.id}.{suffix}" in html
        assert f"{SITE_URL}schedulers/{entry.slug}/#{case.id}" in html
        assert f'id="{case.id}"' in html


def meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:]+)" content="([^"]*)"', html))


def test_link_previews_with_an_image_that_exists(site):
    pages = ["index.html", *(f"schedulers/{e.slug}/index.html" for e in ENTRIES)]
    for path in pages:
        tags = meta((site / path).read_text())
        assert tags["og:title"] and tags["og:description"] and tags["twitter:title"], path
        assert tags["twitter:card"] == "summary_large_image", path
        assert tags["og:image"] == tags["twitter:image"], path
        image = local(site, tags["og:image"])
        assert image.suffix == ".png", path  # card renderers do not show SVG
        data = image.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        assert struct.unpack(">II", data[16:24]) == (1200, 630), path  # the size card renderers expect
    assert meta((site / "schedulers" / ENTRIES[0].slug / "index.html").read_text())["og:title"] == ENTRIES[0].name
    home = (site / "index.html").read_text()  # the site's name once, not "Home" nor twice
    assert re.search(r"<title>(.*?)</title>", home)[1] == meta(home)["og:title"] == "LR Scheduler Atlas"
    for path in ("about/index.html", "links/index.html", "data/index.html", "status/index.html"):
        assert meta((site / path).read_text())["og:title"], path


def test_404_offers_search_and_the_gallery(site):
    html = (site / "404.html").read_text()
    assert re.search(r'<label class="md-button[^"]*" for="__search">Search', html)
    assert 'href="/">Go to the gallery</a>' in html
    assert 'id="__search"' in html


def test_status_page_names_the_build(site):
    html = (site / "status/index.html").read_text()
    assert f"<td>{torch_version()}</td>" in html
    assert "If your torch is different" in html


def test_every_guide_is_in_the_nav(site):
    html = (site / "index.html").read_text()
    for path in ("data/", "links/", "status/", "about/"):
        assert f'href="{path}"' in html, path
