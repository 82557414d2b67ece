"""Shared test helpers (loopback HTTP servers, …)."""
