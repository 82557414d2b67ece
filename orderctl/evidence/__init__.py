"""Evidence: files the user hands over, and the dispute bundles built from them.

The only package that imports Pillow and Jinja2, and only inside functions,
so importing any module here stays cheap for CLI start-up.

- ``sniff``: media type from content; ``kind_of``.
- ``store``: content-addressed, deduplicated evidence store (``add_evidence``).
- ``photos``: EXIF/GPS/XMP stripping and re-encoding for export.
- ``names``: safe member names for bundles.
- ``bundle``: folder + zip bundle with ``manifest.json``, all-or-nothing.
- ``verify``: check a bundle against its manifest.
- ``report``: HTML and Markdown dispute reports.
"""
