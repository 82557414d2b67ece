"""Demo steps contributed by each capability."""
