"""orderctl.domain package."""
