"""Shared test settings.

Hypothesis' per-example deadline is off: the first example of a run loads textrepair's
tables (about a second, once per process), which is not what the properties are about.
Running time is tested on purpose in tests/test_reliability.py. ``--hypothesis-profile
fuzz`` runs the fuzz tests' large budgets (``pytest -m fuzz``).
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("default", deadline=None)
settings.register_profile("fuzz", deadline=None, max_examples=20_000)
settings.load_profile("default")
