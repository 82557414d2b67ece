"""orderctl.providers package."""
