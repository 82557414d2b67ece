"""orderctl.services package."""
