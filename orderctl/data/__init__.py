"""Package data: policies, checklists, templates and demo files."""
