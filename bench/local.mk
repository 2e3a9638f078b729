# Benchmarks and their reports.
