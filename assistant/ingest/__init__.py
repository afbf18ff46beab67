"""Ingestion: load files, chunk them, and keep the index in step with them."""
