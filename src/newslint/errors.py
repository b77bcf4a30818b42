"""Errors that reach the user as one line and an exit code, never as a traceback."""

from __future__ import annotations


class NewslintError(Exception):
    """Base class: ``str(error)`` is the one-line message shown to the user."""

    exit_code = 2


class UsageError(NewslintError):
    """Bad flags, settings or arguments."""


class InputError(NewslintError):
    """An input that cannot be analysed: missing, unreadable, empty, binary or too large."""


class ModelError(NewslintError):
    """A shipped model or knowledge file is missing or damaged."""


class AnalysisTimeout(NewslintError):
    """One analysis ran past ``Settings.max_seconds``."""


class InputTooLarge(InputError):
    """An input over a size limit (``Settings.max_bytes``, a fetch cap): HTTP 413 in the server."""


class AnalysisCancelled(NewslintError):
    """An analysis stopped because its caller asked (``should_stop``), e.g. the client left."""
