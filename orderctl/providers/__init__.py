"""Tracking providers: the only package that imports httpx.

Kept import-free so ``orderctl.providers.settings`` loads without httpx. Entry
points: ``settings.resolve_provider``, ``engine.refresh`` (→ ``RefreshOutcome``),
``replay.replay_transport`` / ``replay.demo_settings`` for the offline demo.
"""
