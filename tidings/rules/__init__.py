"""tidings.rules."""
