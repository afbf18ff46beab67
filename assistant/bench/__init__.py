"""Benchmarks: our pipeline vs the naive LangChain pipeline, and the scale run."""
