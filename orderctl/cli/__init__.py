"""orderctl.cli package."""
