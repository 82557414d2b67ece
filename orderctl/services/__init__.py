"""The use cases, one package per job; they never print, prompt, read stdin or exit.

- ``orders``: the order book (add, edit, rm, list, show), import/export, ``due``.
- ``tracking``: ``track`` — plan, fetch through a provider, merge into the orders.
- ``inspection``: ``inspect`` and ``checklists`` — the guided checklist and its evidence.
- ``receipt``: ``confirm`` and ``feedback`` — releasing the money and the review draft.
- ``disputes``: ``note``, ``contact``, ``dispute``, ``dispute-progress``, ``verify``.

``context`` (what every use case needs) and ``evidence_files`` (where an
inspection's stored files are) are shared by several packages.
"""
