"""Run each pitfall's code on real torch and capture the message it gives, word for word."""

from __future__ import annotations

import warnings

from gen import cache
from gen.model import CatalogError, Entry, Pitfall


def capture(entry: Entry, pitfall: Pitfall) -> str:
    """`<Class>: <message>` of the exception or warning `pitfall.expect` names.

    Cached by the code, the expectation and the torch version (in cache.key): constructing an
    optimizer imports torch's compiler stack, seconds a warm rebuild need not spend."""
    key = f"pitfall/{cache.key(pitfall.code, pitfall.expect)}.txt"
    stored = cache.get(key)
    if stored is not None:
        return stored.decode()
    message = run_pitfall(entry, pitfall)
    cache.put(key, message.encode())
    return message


def run_pitfall(entry: Entry, pitfall: Pitfall) -> str:
    owner = f"{entry.name} pitfall {pitfall.id!r}"
    raised: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compile(pitfall.code, f"<{owner}>", "exec"), {"__name__": "__pitfall__"})  # noqa: S102
        except Exception as exc:  # the point of the exercise
            raised = exc
    if raised is not None and type(raised).__name__ == pitfall.expect:
        return f"{pitfall.expect}: {raised}"
    for w in caught:
        if w.category.__name__ == pitfall.expect:
            return f"{pitfall.expect}: {w.message}"
    got = f"{type(raised).__name__}: {raised}" if raised else "nothing"
    raise CatalogError(f"{owner}: field 'expect' is {pitfall.expect!r}, but the code gave {got}")
