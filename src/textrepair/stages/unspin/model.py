"""The context model as the stage asks it: remembered answers, whole sequences.

Evidence, decoding and confidence ask the same questions many times, within a document
and across documents; the answer depends only on the word and the last ``order - 1``
words of context. This is the floor every model question goes through.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ...language_model import LanguageModel

# Language-model answers remembered per process (about 150 bytes each: 2M is ~300 MB
# at worst, far more than a corpus of news needs; the memory is cleared when full).
MAX_CACHED_ANSWERS = 1_000_000


class CachedModel:
    """A language model that remembers its answers (bounded by `MAX_CACHED_ANSWERS`)."""

    def __init__(self, model: LanguageModel) -> None:
        self.model = model
        self.order = model.order
        self._answers: dict[tuple[str, ...], float] = {}

    def logprob(self, word: str, context: Sequence[str]) -> float:
        return self.sequence(tuple(context[len(context) - self.order + 1 :]), (word,))

    def sequence(self, context: tuple[str, ...], words: Sequence[str]) -> float:
        """log10 probability of `words` following `context`, word by word."""
        keep = self.order - 1
        history = context[len(context) - keep :] if keep else ()
        answers = self._answers
        total = 0.0
        for word in words:
            # The key is the history and the word in one flat tuple: the word's own
            # n-gram, whose last `keep` words are the next history.
            key = (*history, word)
            answer = answers.get(key)
            if answer is None:
                if len(answers) >= MAX_CACHED_ANSWERS:
                    answers.clear()
                answer = answers[key] = self.model.logprob(word, history)
            total += answer
            history = key[-keep:] if keep else ()
        return total


@functools.cache
def shared_model(model: LanguageModel) -> CachedModel:
    """One remembering wrapper per model per process."""
    return CachedModel(model)


def sequence_logprob(model: LanguageModel, context: Sequence[str], words: Sequence[str]) -> float:
    """log10 probability of `words` after `context`, with any model."""
    if isinstance(model, CachedModel):
        return model.sequence(tuple(context), words)
    history = list(context)
    total = 0.0
    for word in words:
        total += model.logprob(word, history)
        history.append(word)
    return total
