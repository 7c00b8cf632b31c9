"""The pipeline stages, one module each.

Every stage exposes ``NAME`` and ``find_edits(text, options) -> list[Edit]``: it reads
its input and returns sorted, non-overlapping edits on it, never the new text, so the
pipeline can explain and undo everything.
"""
