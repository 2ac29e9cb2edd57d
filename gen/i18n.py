"""The two editions' words: every English text of the site beside its Simplified Chinese form.

The English lives where it always did (the catalog, the guides, the templates, the code that writes
captions); its Chinese form lives in `gen/zh/<source>.toml`, one `[[text]]` pair per text, the English
repeated beside it. A text is found by its English: an English text edited without its pair, or a
pair left without Chinese, stops the build naming where the text is used. There is no fallback.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import tomllib
from collections.abc import Iterator
from importlib import resources

import jinja2

from gen.model import CatalogError

LANGUAGES = ("en", "zh")  # the first is the site's root; each other edition is under <code>/
NAMES = {"en": "English", "zh": "简体中文"}
FULL_WIDTH = "，。；：、（）！？"
_language = contextvars.ContextVar("language", default="en")
_missing: list[tuple[str, str, str]] | None = None  # (source, where, text) while `missing()` runs


class TranslationError(CatalogError):
    """A text has no Chinese form; the message names where it is used and the file to add it to."""


def folder(code: str) -> str:
    """An edition's folder under the site's root: "" (English) or "zh/"."""
    return "" if code == "en" else f"{code}/"


def root() -> str:
    """The current edition's folder under the site's root."""
    return folder(language())


def shared(folder: str) -> str:
    """From a page of the current edition in `folder` (e.g. "schedulers/step-lr") to the same
    folder of the English edition, whose data files and scripts both editions show."""
    return "" if language() == "en" else "../" * (folder.count("/") + 2) + folder + "/"


def page(name: str) -> bytes:
    """The current edition's own form of a handwritten page of docs/ (e.g. about.md), which it
    writes in place of the English: gen/<language>/pages/<name>."""
    path = resources.files("gen") / language() / "pages" / name
    if not path.is_file():
        raise TranslationError(f"docs/{name}: no {NAMES[language()]} form; write it as gen/{language()}/pages/{name}")
    return path.read_bytes()


def language() -> str:
    """The edition being written: 'en' or 'zh'."""
    return _language.get()


@contextlib.contextmanager
def edition(code: str) -> Iterator[None]:
    """Write in this language while inside the block."""
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


@contextlib.contextmanager
def missing() -> Iterator[list[tuple[str, str, str]]]:
    """For translators (`python -m gen --missing-zh`): inside the block a text without Chinese is
    recorded, (source, where, text), and left in English, so one run lists them all."""
    global _missing
    _missing = found = []
    try:
        yield found
    finally:
        _missing = None


@functools.cache
def table(source: str) -> dict[str, str]:
    """English -> Chinese of `gen/zh/<source>.toml` (e.g. 'catalog/step'), or of every file in the
    folder `gen/zh/<source>/` (the templates: one file per template)."""
    folder, file = resources.files("gen") / "zh" / source, resources.files("gen") / "zh" / f"{source}.toml"
    paths = sorted(folder.iterdir(), key=str) if folder.is_dir() else [file] if file.is_file() else []
    out = {}
    for p in paths:
        pairs = tomllib.loads(p.read_text(encoding="utf-8")).get("text", [])
        out |= {p["en"].strip(): p["zh"].strip() for p in pairs if p.get("zh", "").strip()}
    return out


def english(path) -> set[str]:
    """The English of every pair in a file, with or without its Chinese."""
    return {p["en"].strip() for p in tomllib.loads(path.read_text(encoding="utf-8")).get("text", [])}


def t(text: str, source: str, where: str) -> str:
    """`text` in the current edition's language. `where` names its use (entry and field) for the
    error a missing translation raises."""
    if language() == "en" or not text.strip():
        return text
    zh = table(source).get(text.strip())
    if zh is None and _missing is not None:
        _missing.append((source, where, text.strip()))
        return text
    if zh is None:
        raise TranslationError(f"{where}: no Chinese for {text.strip()[:80]!r}; add it to gen/zh/{source}.toml")
    head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    # The English spaces around a piece of a sentence; none beside Chinese punctuation (`，其中`).
    # (a line break stays: it may end a paragraph before a list)
    head = head if "\n" in head or zh[0] not in FULL_WIDTH else ""
    tail = tail if "\n" in tail or zh[-1] not in FULL_WIDTH else ""
    return head + zh + tail


@jinja2.pass_context
def gettext(context: jinja2.runtime.Context, message: str) -> str:
    """The templates' `{% trans %}` blocks: their Chinese is in `gen/zh/templates/<template>.toml`."""
    return t(message, "templates", f"template {context.name}")


def install(env: jinja2.Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, lambda s, p, n: s if n == 1 else p, newstyle=True)  # type: ignore[attr-defined]


def terms() -> list[str]:
    """The glossary's Chinese words (学习率, 余弦退火, 预热, ...), for the search's word segmenter:
    each is indexed as one word, so a query for it finds it."""
    glossary = tomllib.loads((resources.files("gen") / "zh" / "glossary.toml").read_text(encoding="utf-8"))
    return sorted({word for term in glossary["term"] for word in re.findall(r"[\u4e00-\u9fff]+", term["zh"])})


def toml_string(text: str) -> str:
    """`text` as a TOML value: a literal multi-line string keeps LaTeX and quotes as written."""
    if "\n" not in text and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return f"'''\n{text}\n'''"


def tr(template: str, where: str, **values: object) -> str:
    """A sentence the code writes, in the current language, then filled in: its Chinese is in
    `gen/zh/code.toml`, with the same `{name}` fields."""
    return t(template, "code", where).format(**values)


def plural(unit: str) -> str:
    """'step' -> 'steps' (步), 'batch' -> 'batches': a count's unit after its number."""
    return tr({"batch": "batches"}.get(unit, unit + "s"), "units")


def _source(entry_name: str) -> str:
    from gen.catalog import MODULES

    for module in MODULES:
        if any(e.name == entry_name for e in module.ENTRIES):
            return "catalog/" + module.__name__.rsplit(".", 1)[-1]
    raise TranslationError(f"{entry_name}: not in any catalog module")


def entry(e):  # gen.model.Entry -> the same entry with its prose in the current language
    """Every prose field of a catalog entry, translated; its code, values and formulas as they are."""
    from dataclasses import replace

    if language() == "en":
        return e
    src = _source(e.name)

    def t_(text: str, field: str) -> str:
        return t(text, src, f"{e.name}: {field}")

    f = e.formula
    formula = replace(
        f,
        symbols=tuple((sym, t_(what, f"formula symbol {sym}")) for sym, what in f.symbols),
        closed_title=t_(f.closed_title, "formula closed_title"),
        recursive_title=t_(f.recursive_title, "formula recursive_title"),
        note=t_(f.note, "formula note"),
    )
    marks = None
    if e.marks is not None:
        own = e.marks

        def marks(args, own=own):
            return [(x, t_(label, "marks")) for x, label in own(args)]

    explore = e.explore
    if explore is not None:
        controls = tuple(replace(c, label=t_(c.label, f"explore control {c.arg}")) for c in explore.controls)
        explore = replace(explore, controls=controls)
    return replace(
        e,
        summary=t_(e.summary, "summary"),
        about=t_(e.about, "about"),
        extra=t_(e.extra, "extra"),
        args=tuple(replace(a, meaning=t_(a.meaning, f"argument {a.name}")) for a in e.args),
        formula=formula,
        cases=tuple(
            replace(c, title=t_(c.title, f"case {c.id} title"), text=t_(c.text, f"case {c.id} text")) for c in e.cases
        ),
        pitfalls=tuple(pitfall(p, lambda text, field, p=p: t_(text, f"pitfall {p.id} {field}")) for p in e.pitfalls),
        marks=marks,
        explore=explore,
    )


def title(e) -> str:  # gen.model.Entry -> its page's title
    """The schedule's name, and in Chinese what it is called: `CosineAnnealingLR：余弦退火`."""
    if language() == "en":
        return e.name
    return f"{e.name}：{t(e.name, 'names', f'{e.name}: its Chinese name')}"


def trace(tr):  # gen.model.Trace -> the same run, its entry and case in the current language
    """A run's words (titles, marks, captions) in the current language; its script and data as run."""
    from dataclasses import replace

    local = entry(tr.entry)
    return replace(tr, entry=local, case=next(c for c in local.cases if c.id == tr.case.id))


def pitfall(p, t_):
    from dataclasses import replace

    return replace(
        p,
        title=t_(p.title, "title"),
        cause=t_(p.cause, "cause"),
        fix=t_(p.fix, "fix"),
        symptom=t_(p.symptom, "symptom"),
    )


def guide(g):  # gen.guides.model.Guide -> the same guide with its prose in the current language
    from dataclasses import replace

    if language() == "en":
        return g
    src = "guides/" + g.template.removeprefix("guide_").removesuffix(".md.j2")

    def t_(text: str, field: str) -> str:
        return t(text, src, f"guide {g.slug}: {field}")

    def words(formula: str, field: str) -> str:  # the twin's LaTeX: translated where a \text{} holds words
        return t_(formula, field) if re.search(r"\\text\{[^}]*[A-Za-z]{2}", formula) else formula

    plots = tuple(
        replace(
            p,
            title=t_(p.title, f"figure {p.id} title"),
            caption=t_(p.caption, f"figure {p.id} caption"),
            multiples=tuple(t_(m, f"figure {p.id} multiples") for m in p.multiples),
            formula=words(p.formula, f"figure {p.id} formula"),
        )
        for p in g.plots
    )
    pitfalls = tuple(pitfall(p, lambda text, field, p=p: t_(text, f"pitfall {p.id} {field}")) for p in g.pitfalls)
    return replace(g, title=t_(g.title, "title"), summary=t_(g.summary, "summary"), plots=plots, pitfalls=pitfalls)
