"""newslint.knowledge."""
