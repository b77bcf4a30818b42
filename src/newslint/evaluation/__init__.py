"""Evaluation commands on public benchmarks (``newslint eval ...``).

Each module exposes ``evaluate(...) -> dict`` returning a JSON-ready mapping of metrics.
"""
