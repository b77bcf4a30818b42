"""Kept for old imports: the fetcher lives in ``newslint.ingest.fetch``."""

from __future__ import annotations

from newslint.ingest.fetch import Fetched, fetch, is_url

__all__ = ["Fetched", "fetch", "is_url"]
