"""The `plain` fence: scripts, embed snippets and torch's messages, shown as text.

It gives the markup Pygments' text lexer gives (tests/test_fences.py holds it to that), without
running Pygments: the pages hold some 450 such blocks, and highlighting them as `text` was a third
of MkDocs' Markdown time on every build. The scripts get their colours in the browser, from
highlight.json (gen/pages.py)."""

from __future__ import annotations

import html
from typing import Any


def plain(source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    classes = " ".join([*kwargs.get("classes", []), "highlight"])
    title = options.get("title")
    head = f'<span class="filename">{html.escape(title, quote=False)}</span>' if title else ""
    text = html.escape(source.strip("\n"), quote=False)
    return f'<div class="{classes}">{head}<pre><span></span><code>{text}\n</code></pre></div>'
