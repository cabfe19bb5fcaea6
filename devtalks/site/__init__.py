"""Progress sites: audiences → pages (Jinja2 → Markdown) → mkdocs builds, with SVG charts.

Only engine.py and plugin.py (devtalks' own mkdocs plugins) import mkdocs; everything else
builds plain data and Markdown, so the site engine can be swapped without touching page
generation. request.py carries a `devtalks build` out.
"""
