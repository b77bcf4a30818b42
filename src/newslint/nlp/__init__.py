"""newslint.nlp."""
