"""Words as the word index and search see them: case- and accent-folded, with printed variants.

A word is a run of letters and digits (``\\w+``), so "Shyapnikov–Labour" holds two words and
"People's" holds "people" and "s", as a regular expression's ``\\b...\\b`` finds them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

WORD = re.compile(r"\w+")
SHORTEST_VARIANT = 4  # shorter words differ by one letter too often to be the same name


def fold(text: str) -> str:
    """Lower case without accents: 'Lenín' -> 'lenin'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, repeats kept."""
    return WORD.findall(fold(text))


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter changed, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    at = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[at:] == long[at + 1:]


def spelling_variants(names: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Printed variants -> the spelling of the label, from (label, aliases) of each resource.

    The data records a misprint as an alias ("L. B. Ramenev" beside "L. B. Kamenev"); a word of
    an alias one letter away from a word of the label is the same word misprinted.
    """
    found: dict[str, str] = {}
    for label, aliases in names:
        proper = set(words(label))
        for alias in aliases:
            for word in set(words(alias)) - proper:
                match = next((p for p in sorted(proper) if len(p) >= SHORTEST_VARIANT and one_edit_apart(word, p)), None)
                if match is not None:
                    found[word] = match
    return found


def indexed_words(text: str, variants: dict[str, str]) -> set[str]:
    """Every word ``text`` is found by: its own words and the proper spelling of its misprints."""
    own = set(words(text))
    return own | {variants[w] for w in own if w in variants}
