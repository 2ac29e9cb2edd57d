"""The Chinese edition's words: every text paired, pairs faithful to their English, one glossary."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from gen import i18n
from gen.catalog import ENTRIES
from gen.guides import GUIDES

ZH = Path(i18n.__file__).with_name("zh")
PAIR_FILES = sorted(p for p in ZH.rglob("*.toml") if p.name != "glossary.toml")
CJK = "\u4e00-\u9fff"
COSINE = next(e for e in ENTRIES if e.name == "CosineAnnealingLR")


def pairs(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("text", [])


@pytest.mark.parametrize("path", PAIR_FILES, ids=[p.relative_to(ZH).as_posix() for p in PAIR_FILES])
def test_every_pair_keeps_what_is_not_prose(path):
    """Code spans, link targets, math, format fields and template variables are the same in both
    languages; a Chinese paragraph is one line (a line break inside it shows as a space)."""
    for pair in pairs(path):
        en, zh = pair["en"], pair["zh"]
        assert zh.strip(), f"{path.name}: no Chinese for {en[:60]!r}"
        for pattern in (r"`[^`]+`", r"\]\([^)\s]+\)", r"\$[^$]+\$", r"(?<!\\text)\{[a-z_]+\}", r"%\(\w+\)s", r"%%"):
            # each span's spaces and line breaks aside; the Chinese may repeat one, or name one more
            found = [{" ".join(m.split()) for m in re.findall(pattern, text)} for text in (en, zh)]
            assert found[0] <= found[1], (path.name, pattern, en[:60], found[0] - found[1])
        assert not re.search(f"[{CJK}，。；：]\n[{CJK}]", zh), f"{path.name}: a line break inside {zh[:40]!r}"
        # the same Markdown blocks: paragraphs, list items, admonitions, table rows
        for block in (r"\n\s*\n", r"(?m)^\s*(?:[-*]|\d+\.) ", r"(?m)^\s*(?:!!!|\?\?\?)", r"(?m)^\|"):
            assert len(re.findall(block, en.strip())) == len(re.findall(block, zh.strip())), (path.name, block, en[:60])


def test_a_text_without_chinese_stops_the_build_naming_entry_and_field():
    entry = replace(COSINE, summary="A summary nobody has translated yet.")
    with i18n.edition("zh"), pytest.raises(i18n.TranslationError) as error:
        i18n.entry(entry)
    message = str(error.value)
    assert f"{entry.name}: summary" in message and "gen/zh/catalog/" in message, message


def test_an_edited_english_text_needs_its_pair_again():
    """A pair is found by its English: edit the English and its old Chinese no longer applies."""
    entry = COSINE
    case = entry.cases[0]
    edited = replace(entry, cases=(replace(case, title=case.title + " (edited)"), *entry.cases[1:]))
    with i18n.edition("zh"):
        assert i18n.entry(entry).cases[0].title != case.title
        with pytest.raises(i18n.TranslationError, match=rf"{entry.name}: case {case.id} title"):
            i18n.entry(edited)


def test_a_guide_text_without_chinese_names_the_guide_and_field():
    guide = replace(GUIDES[0], title="A title nobody has translated")
    with i18n.edition("zh"), pytest.raises(i18n.TranslationError, match=rf"guide {guide.slug}: title"):
        i18n.guide(guide)


def test_a_sentence_of_the_code_without_chinese_names_its_use():
    with i18n.edition("zh"), pytest.raises(i18n.TranslationError, match=r"caption: no Chinese .*gen/zh/code\.toml"):
        i18n.tr("an untranslated {n}", "caption", n=1)


def test_english_is_the_text_itself():
    assert i18n.tr("{n} steps", "check", n=5) == "5 steps"
    assert i18n.plural("batch") == "batches"
    assert i18n.plural("epoch") == "epochs"


def glossary() -> list[dict]:
    return tomllib.loads((ZH / "glossary.toml").read_text(encoding="utf-8"))["term"]


def test_the_glossary_names_each_english_term_once():
    english = [t["en"] for t in glossary()]
    assert len(english) == len(set(english))
    assert all(t["zh"].strip() for t in glossary())


def test_no_text_uses_a_rendering_the_glossary_rules_out():
    """Each term's `avoid` lists renderings a translator might reach for; none appears."""
    avoided = {word: t["zh"] for t in glossary() for word in t.get("avoid", [])}
    assert avoided, "the glossary lists no rendering to avoid"
    for path in PAIR_FILES:
        for pair in pairs(path):
            for word, term in avoided.items():
                assert word not in pair["zh"], f"{path.name}: {word!r} in {pair['zh'][:50]!r}; the glossary says {term}"


def test_search_knows_the_glossary_terms_as_words():
    words = i18n.terms()
    assert {"学习率", "余弦退火", "预热", "热重启"} <= set(words)
    assert all(re.fullmatch(f"[{CJK}]+", w) for w in words)


def test_every_glossary_term_is_used():
    """A term in the glossary is a term the pages use: each one's Chinese (its first CJK word,
    `调度器（学习率调度器）` -> `调度器`) appears in some translated text."""
    texts = "\n".join(pair["zh"] for path in PAIR_FILES for pair in pairs(path))
    unused = [t["zh"] for t in glossary() if re.findall(f"[{CJK}]+", t["zh"])[0] not in texts]
    assert not unused, f"glossary terms no page uses: {unused}"


def test_the_glossary_is_the_one_the_issue_names():
    """The terms every Chinese reader of these schedules meets first are in it, as written."""
    zh = {t["zh"] for t in glossary()}
    expected = {"学习率", "预热", "余弦退火", "热重启", "周期", "衰减", "步", "轮", "基础学习率", "最小学习率"}
    assert expected <= zh, expected - zh


def test_chinese_keeps_a_line_break_but_not_a_space_beside_its_punctuation(monkeypatch):
    """A piece of a sentence loses the space English put beside it where the Chinese ends in a
    full-width mark; a paragraph's closing line break stays (a list may follow it)."""
    monkeypatch.setattr(i18n, "table", lambda source: {"Two things differ:": "两点不同：", "and": "和"})
    with i18n.edition("zh"):
        assert i18n.t("Two things differ:\n", "x", "here") == "两点不同：\n"
        assert i18n.t("Two things differ: ", "x", "here") == "两点不同："
        assert i18n.t(" and ", "x", "here") == " 和 "
