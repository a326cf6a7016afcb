"""Long property-based run: random notes and card files through build, diff and Anki's importer.

Not a test; the suite runs the same properties (tests/properties.py) on a bounded number of
examples. Run from a checkout with the test extra installed (``pip install -e '.[test]'``)::

    python bench/fuzz.py --examples 10000             # every example imported into Anki
    python bench/fuzz.py --examples 2000 --anki-every 10 --seed 7

Prints a table: examples, how many built and how many were refused with deckmark's own
file:line errors, failures, time. On a failure hypothesis shrinks it and the smallest failing
deck is printed; the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.properties

from hypothesis import HealthCheck, given, seed, settings
from tests.properties import check_deck, decks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument(
        "--anki-every", type=int, default=1, help="import every Nth example into Anki (1: all)"
    )
    parser.add_argument("--seed", type=int, default=None, help="default: a random run")
    args = parser.parse_args()

    outcomes: Counter[str] = Counter()
    counter = iter(range(10**12))

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(decks())
    def run(files: dict[str, str]) -> None:
        anki = next(counter) % args.anki_every == 0
        outcome = check_deck(files, anki=anki)
        outcomes[outcome + (" (Anki)" if anki else "")] += 1
        done = sum(outcomes.values())
        if done % 500 == 0:
            print(f"  {done} examples, {time.perf_counter() - started:.0f} s", flush=True)

    if args.seed is not None:
        run = seed(args.seed)(run)
    started = time.perf_counter()
    print(f"deckmark fuzz: {args.examples} examples", flush=True)
    failure = ""
    try:
        run()
    except Exception as e:  # the property failed: hypothesis has shrunk it
        traceback.print_exc()  # with hypothesis's note: the smallest failing deck
        failure = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    elapsed = time.perf_counter() - started
    total = sum(outcomes.values())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\ndeckmark fuzz: seed {args.seed if args.seed is not None else 'random'}, "
        f"load average {load}"
    )
    print("| measure | value |\n| --- | --- |")
    print(f"| examples run (incl. shrinking) | {total} |")
    for outcome, n in sorted(outcomes.items()):
        print(f"| {outcome} | {n} |")
    print(f"| failures | {1 if failure else 0} |")
    print(f"| time | {elapsed:.0f} s ({1000 * elapsed / max(total, 1):.0f} ms per example) |")
    if failure:
        print(f"\nfailure: {failure}")
    return 1 if failure else 0


if __name__ == "__main__":
    raise SystemExit(main())
