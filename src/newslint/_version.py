"""The package version, kept apart so that importing the model never imports the pipeline."""

__version__ = "0.1.0"
