"""The `plain` fence gives exactly the markup of a `text` fence highlighted by Pygments."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.config import load_config

from gen.catalog import ENTRIES
from gen.reproduce import script

SAMPLES = [
    "x = \"<b>\" & 'y' \\ `z`\n  indented\ttab\n\n\ntrailing blank lines\n\n",
    "\n\nleading blank lines, & an entity: &amp; &#39;\n",
    "one line, no newline",
]


@pytest.fixture(scope="module")
def md() -> markdown.Markdown:
    config = load_config("mkdocs.yml")
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def fence(lang: str, body: str, header: str = "", indent: str = "") -> str:
    lines = [f"```{lang}{header}", *body.split("\n"), "```"]
    return "\n".join(indent + line if line else line for line in lines) + "\n"


def both(md: markdown.Markdown, body: str, header: str = "", block: str = "") -> tuple[str, str]:
    def convert(lang: str) -> str:
        md.reset()
        text = fence(lang, body, header, "    " if block else "")
        return md.convert(f"{block}\n\n{text}" if block else text)

    return convert("plain"), convert("text")


@pytest.mark.parametrize("body", SAMPLES)
@pytest.mark.parametrize("header", ["", ' title="a <b>.py"'])
def test_plain_is_text_without_pygments(md, body, header):
    ours, pygments = both(md, body, header)
    assert ours == pygments


def test_plain_in_a_collapsed_block_and_with_classes(md):
    ours, pygments = both(md, SAMPLES[0], ' title="x.py"', block='??? example "Reproduce"')
    assert ours == pygments and "<details" in ours
    md.reset()
    ours = md.convert(fence("", "msg", " { .plain .atlas-message }"))
    md.reset()
    assert ours == md.convert(fence("", "msg", " { .text .atlas-message }"))


def test_every_reproduce_script_is_shown_unchanged(md):
    for entry in ENTRIES:
        for case in entry.cases[:2]:
            code = script(entry, case)
            ours, pygments = both(md, code, f' title="{case.id}.py"')
            assert ours == pygments, (entry.name, case.id)
