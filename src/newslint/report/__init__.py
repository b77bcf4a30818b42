"""newslint.report."""
