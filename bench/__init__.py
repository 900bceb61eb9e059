"""Benchmarks: each of our paths beside its reference, in the same run, on the same data."""
