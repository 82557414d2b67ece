"""orderctl.evidence package."""
