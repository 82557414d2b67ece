"""orderctl.store package."""
