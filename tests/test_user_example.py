"""A user's own regression test, exactly as in the textrepair.strategies docstring."""

from hypothesis import given, settings

import textrepair
from textrepair.strategies import CHARACTER_DAMAGE, damaged

SAMPLE = (
    "The café in Zürich reopened on Monday.\n"
    "Its owners said the “new” menu — priced in € — would stay.\n"
)


def my_pipeline(text: str) -> list[str]:
    # Stands in for your own code: here, the lowercased words of the text.
    return text.lower().split()


# No deadline: textrepair reads its word lists on first use, which takes a second.
@settings(deadline=None)
@given(damaged(SAMPLE, kinds=CHARACTER_DAMAGE))
def test_pipeline_gives_the_same_output_on_repaired_text(text: str) -> None:
    assert my_pipeline(textrepair.clean(text)) == my_pipeline(SAMPLE)
