"""newslint.batch."""
