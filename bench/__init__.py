"""Benchmarks (not tests): how fast, how heavy, how it grows. `python -m bench` runs them all; see bench/README.md."""
