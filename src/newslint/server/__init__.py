"""newslint.server."""
