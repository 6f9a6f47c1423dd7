"""Portico benchmarks: `bash bench/run` (see bench/__main__.py); results in docs/benchmarks.md."""
