"""tidings.nlp."""
