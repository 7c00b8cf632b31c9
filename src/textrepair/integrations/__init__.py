"""textrepair inside the tools corpus builders already use.

- `textrepair.integrations.datatrove`: a formatter that stands where datatrove's
  ``FTFYFormatter`` stands, and a spin-score filter (``pip install "textrepair[datatrove]"``).
- `textrepair.integrations.datasets`: a batched function for Hugging Face
  ``Dataset.map(batched=True)`` (``pip install "textrepair[datasets]"``).

Each module imports its tool only when it is imported, so ``import textrepair`` never
needs either. See docs/integrations.md.
"""
