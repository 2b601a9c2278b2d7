"""Benchmarks run by `make bench`: they print percentiles and ratios, they assert nothing."""
