"""The chain: condense the question, retrieve, compose an answer with citations."""
