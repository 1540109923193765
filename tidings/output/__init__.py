"""tidings.output."""
