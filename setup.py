"""Compiles the message catalogues (devtalks/locale/<lang>/LC_MESSAGES/devtalks.po → .mo) whenever
the package is built: a wheel, an install from source and `pip install -e .` alike."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    def run(self):
        sys.path.insert(0, str(HERE))
        from devtalks.i18n import LANGUAGES, compile_po, po_path  # stdlib and Babel only

        for language in LANGUAGES:
            po = po_path(language)
            po.with_suffix(".mo").write_bytes(compile_po(po))
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
