"""Debian's Chromium, as every browser check here starts it (Playwright cannot fetch its own here)."""

import shutil

EXECUTABLE = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def env() -> dict[str, str]:
    """Chromium's environment: this machine has no Chinese font (a reader's has), so fontconfig is
    also given the folder of the one the figures are drawn in, Noto Sans CJK SC from mplfonts."""
    import os
    import tempfile
    from importlib.metadata import files
    from pathlib import Path

    from gen.plot import CJK_FILE

    font = next(f for f in files("mplfonts") or () if f.name == CJK_FILE)
    conf = Path(tempfile.gettempdir()) / "atlas-fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>{Path(str(font.locate())).parent}</dir>\n</fontconfig>\n'
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}
