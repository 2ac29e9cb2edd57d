"""The content-hash store: whole files only, even with writers racing in threads and processes."""

from __future__ import annotations

import threading

from gen import cache


def test_concurrent_writers_never_collide(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    errors = []

    def write(value: bytes) -> None:
        try:
            for _ in range(100):
                cache.put("signature/same.json", value)
        except Exception as exc:  # the bug this guards against: a shared temporary file
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(bytes([65 + i]) * 1000,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.get("signature/same.json") in {bytes([65 + i]) * 1000 for i in range(4)}
    assert [p.name for p in (tmp_path / "signature").iterdir()] == ["same.json"]


def test_key_names_library_versions():
    assert cache.key("a") != cache.key("b")
    assert cache.key("a") == cache.key("a")
