"""Server-side KaTeX: arithmatex's `\\(...\\)` and `\\[...\\]` become HTML at build time.

Pages carry rendered math (and MathML for screen readers), so there is no math script to load,
nothing to re-render on instant navigation, and the formulas print and work without JavaScript.
Rendered formulas are cached on disk; a warm build does not start Node at all.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from gen import cache

KATEX = cache.ROOT / "node_modules" / "katex"
SCRIPT = Path(__file__).with_name("katex.mjs")
MATH = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.S,
)


class MathError(RuntimeError):
    pass


def katex_version() -> str:
    try:
        return json.loads((KATEX / "package.json").read_text())["version"]
    except FileNotFoundError:
        raise MathError(f"KaTeX is not installed at {KATEX}; run `npm ci` in {cache.ROOT}") from None


class Renderer:
    """One Node process per build, started on the first formula the cache does not hold."""

    def __init__(self) -> None:
        self.name = f"katex/{cache.key('katex', katex_version())}.json"
        stored = cache.get(self.name)
        self.known: dict[str, str] = json.loads(stored) if stored else {}
        self.fresh = False
        self.node: subprocess.Popen[str] | None = None

    def tex(self, tex: str, display: bool, where: str) -> str:
        key = f"{int(display)}{tex}"
        if key not in self.known:
            if self.node is None:
                self.node = subprocess.Popen(
                    ["node", str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=cache.ROOT
                )
            assert self.node.stdin and self.node.stdout
            self.node.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.node.stdin.flush()
            answer = json.loads(self.node.stdout.readline() or '{"error": "KaTeX exited"}')
            if "error" in answer:
                raise MathError(f"{where}: KaTeX cannot render {tex!r}: {answer['error']}")
            self.known[key], self.fresh = answer["html"], True
        return self.known[key]

    def page(self, content: str, where: str) -> str:
        def swap(m: re.Match) -> str:
            if m["display"] is None:
                return self.tex(html.unescape(m["inline"]).strip(), False, where)
            # A wide formula scrolls in its own box: keyboard users must be able to reach it too.
            out = self.tex(html.unescape(m["display"]).strip(), True, where)
            return out.replace('<span class="katex-display">', '<span class="katex-display" tabindex="0">', 1)

        return MATH.sub(swap, content)

    def close(self) -> None:
        if self.node:
            self.node.stdin.close()  # type: ignore[union-attr]
            self.node.wait()
            self.node = None
        if self.fresh:
            cache.put(self.name, json.dumps(self.known, sort_keys=True).encode())
            self.fresh = False


def copy_assets(site_dir: Path) -> None:
    """KaTeX's stylesheet and its woff2 fonts (every browser we serve reads woff2)."""
    target = site_dir / "assets" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = (KATEX / "dist" / "katex.min.css").read_text()
    css = re.sub(r',url\(fonts/[^)]+\.(woff|ttf)\) format\("(woff|truetype)"\)', "", css)
    (target / "katex.min.css").write_text(css)
    for font in sorted((KATEX / "dist" / "fonts").glob("*.woff2")):
        shutil.copyfile(font, target / "fonts" / font.name)
