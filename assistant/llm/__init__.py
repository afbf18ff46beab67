"""LLM mode: a chat model writes the answer from numbered sources, and the grounding check keeps it honest."""
