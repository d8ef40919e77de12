"""Benchmarks and evaluations; each writes its figures under reports/."""
