"""The gen-files script (mkdocs.yml, `gen-files: scripts:`): everything the generator makes, the
pages, data files and drawings, goes into the site through `mkdocs_gen_files.open`.

gen.hooks imported the generator afresh in on_config (so `mkdocs serve` shows every edit); this
script runs in the gen-files plugin's on_files, and is done when every drawing is written. Each
edition's build (mkdocs.yml, mkdocs.zh.yml) runs it for its own language.
"""

from __future__ import annotations

import mkdocs_gen_files

from gen.build import generate

config = mkdocs_gen_files.config
# The site's root: an edition's own site_url is the English one plus its folder (gen/hooks.py).
site = generate(site_url=config.extra["editions"]["en"], language=config.theme["language"])
try:
    for path, data in sorted(site.files.items()):
        with mkdocs_gen_files.open(path, "wb") as f:
            f.write(data)
    for path in sorted(site.drawings):  # each as soon as its worker has drawn it
        with mkdocs_gen_files.open(path, "wb") as f:
            f.write(site.fetch(path))
finally:
    site.close()
