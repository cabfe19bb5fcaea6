"""The W3C Nu HTML checker (vnu.jar) for tests/site/test_site_html.py, fetched once into a cache folder.

    python tools/vnu.py        # prints the jar's path, fetching it first when it is not there

vnu.jar comes from the npm package `vnu-jar`, pinned to VERSION and checked against INTEGRITY
(the package's sha512, as its registry lists it). `npm pack` only downloads the package: its
install script, which would fetch a Java runtime of its own, never runs. The jar lives in
$DEVTALKS_TOOLS_CACHE or ~/.cache/devtalks-tools, outside every repository.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "26.9.27"
INTEGRITY = "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
MEMBER = "package/build/dist/vnu.jar"


def folder() -> Path:
    return Path(os.environ.get("DEVTALKS_TOOLS_CACHE") or Path.home() / ".cache" / "devtalks-tools") / f"vnu-jar-{VERSION}"


def cached() -> Path | None:
    """The jar when it was fetched before, else None."""
    jar = folder() / "vnu.jar"
    return jar if jar.is_file() else None


def fetch() -> Path:
    """The jar, fetched with `npm pack` when it is not cached yet; SystemExit with the reason when that fails."""
    jar = cached()
    if jar:
        return jar
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch vnu-jar (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", f"vnu-jar@{VERSION}", "--pack-destination", tmp],
                              capture_output=True, text=True)
        packed = Path(tmp) / f"vnu-jar-{VERSION}.tgz"
        if done.returncode != 0 or not packed.is_file():
            raise SystemExit(f"npm pack vnu-jar@{VERSION} failed: {done.stderr.strip()}")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(packed.read_bytes()).digest()).decode()
        if digest != INTEGRITY:
            raise SystemExit(f"vnu-jar {VERSION} is not the package pinned here: {digest}")
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(packed) as tgz, tgz.extractfile(MEMBER) as src:
            partial = target / "vnu.jar.part"  # a fetch cut short never looks like a jar
            with open(partial, "wb") as out:
                shutil.copyfileobj(src, out)
            partial.replace(target / "vnu.jar")
    return target / "vnu.jar"


if __name__ == "__main__":
    print(fetch())
