"""tidings.evaluation."""
