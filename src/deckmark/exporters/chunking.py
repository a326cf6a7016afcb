"""Where a long PDF is cut into Typst jobs: boundaries that stay put when one file changes.

Typst holds everything it lays out until the document is written, so a big deck is laid out a
chunk at a time, each chunk in a process of its own (deckmark.exporters.typst_jobs). The cuts
are content-defined, like rsync's or borg's: once a chunk holds ``minimum`` weight, it ends after
the first item whose key hashes to a multiple of ``spread`` (or at ``maximum``). A key names an
item, not its place, so an edit that adds or removes cards moves at most the cuts next to it:
every other chunk has the same data as before and its cached PDF is reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class ChunkSizes:
    """How big a chunk is, in the weight its items are given."""

    minimum: int
    """No cut before this much weight: each cut wastes the paper left on the chunk's last page."""
    maximum: int
    """Always a cut once this much (unless less than ``minimum`` follows): bounds a Typst job's
    memory to about ``maximum + minimum``."""
    spread: int
    """Past the minimum, one item in ``spread`` (by its key's hash) ends a chunk."""


def chunk_ranges(items: Sequence[tuple[str, int]], sizes: ChunkSizes) -> list[range]:
    """Consecutive ranges of ``items`` (``(key, weight)`` pairs) that cover them all in order.

    The last chunk holds at least ``minimum`` (or everything): a deck just over the minimum
    stays one chunk, with no paper wasted; only the cuts near the end depend on where it ends."""
    ranges: list[range] = []
    start, total = 0, 0
    rest = sum(weight for _, weight in items)  # what follows the current item
    for i, (key, weight) in enumerate(items):
        total += weight
        rest -= weight
        if rest < sizes.minimum:
            continue  # no small chunk at the end: the rest joins this one
        if total >= sizes.maximum or (total >= sizes.minimum and _hits(key, sizes.spread)):
            ranges.append(range(start, i + 1))
            start, total = i + 1, 0
    if start < len(items) or not ranges:
        ranges.append(range(start, len(items)))
    return ranges


def _hits(key: str, spread: int) -> bool:
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % spread == 0
