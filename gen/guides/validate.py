"""Checks on the guides before anything runs: names that must be unique, templates that must exist."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gen.guides.model import Guide
from gen.model import CatalogError
from gen.pages import ENV

ANCHOR = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check_guides(guides: Sequence[Guide]) -> None:
    """Pitfall ids share one page (the pitfalls page), so they are unique across all guides."""
    seen_slugs: set[str] = set()
    seen_traps: dict[str, str] = {}
    for guide in guides:
        if guide.slug in seen_slugs:
            raise CatalogError(f"guide {guide.slug!r} field 'slug': used twice; expected one guide per URL")
        seen_slugs.add(guide.slug)
        if guide.template not in ENV.list_templates():
            raise CatalogError(f"guide {guide.slug!r} field 'template': no gen/templates/{guide.template}")
        ids = [p.id for p in guide.plots] + [t.id for t in guide.pitfalls]
        for name in ids:
            if not ANCHOR.fullmatch(name):
                raise CatalogError(f"guide {guide.slug!r}: id {name!r} is not a lower-case, hyphenated anchor")
            if ids.count(name) > 1:
                raise CatalogError(f"guide {guide.slug!r}: id {name!r} used twice; expected unique anchors")
        for trap in guide.pitfalls:
            if trap.id in seen_traps:
                raise CatalogError(
                    f"guide {guide.slug!r} pitfall {trap.id!r}: id also used in guide {seen_traps[trap.id]!r}; "
                    "expected unique anchors on the pitfalls page"
                )
            seen_traps[trap.id] = guide.slug
