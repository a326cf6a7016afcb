"""Benchmark: joining the cards PDF's chunks and stamps (deckmark.exporters.pdf_pages), at the
size of a deck and repeated to the pages of a ten times bigger one.

Not a test; run it from a checkout with deckmark installed (``pip install -e .``)::

    python bench/pdf_join.py                     # 2,000 sections, chunks joined 1 and 10 times
    PYTHONPATH=<other checkout>/src python bench/pdf_join.py   # the same with other code

It builds the cards PDF of the generated corpus (bench/synthetic.py) once, keeping what the
join child is given (the chunks' PDFs and the numbers stamps), then runs the join on them, and
on them repeated ``--times`` times, each in a fresh process, and prints pages, wall time and
the join process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scale import Table, load  # bench/ on sys.path
from synthetic import notes_markdown

CAPTURE = """
import os, pickle, shutil, sys
from deckmark.exporters import pdf
def keep(job, *args):
    if job.__name__ == "assembled":
        pdfs, stamps, columns = args[:3]
        folder = sys.argv[1] + ".d"
        os.makedirs(folder, exist_ok=True)
        def kept(pdf, name):  # a file of the build's workspace, which goes with it
            return pdf if isinstance(pdf, bytes) else shutil.copy(pdf, f"{folder}/{name}.pdf")
        pdfs = [(kept(p, f"chunk{n}"), used) for n, (p, used) in enumerate(pdfs)]
        stamps = [kept(s, f"stamp{n}") for n, s in enumerate(stamps)]
        with open(sys.argv[1], "wb") as f:
            pickle.dump((pdfs, stamps, columns), f)
    return real(job, *args)
if __name__ == "__main__":
    real, pdf.in_child = pdf.in_child, keep
    from deckmark.cli import cli
    cli(sys.argv[2:])
"""

JOIN = """
import io, pickle, resource, sys, time
from pypdf import PdfReader
from deckmark.exporters.pdf_pages import assembled
with open(sys.argv[1], "rb") as f:
    pdfs, stamps, columns = pickle.load(f)
times = int(sys.argv[2])
start = time.perf_counter()
if isinstance(pdfs[0][0], bytes):  # a checkout whose join returns the PDF
    joined = assembled(pdfs * times, stamps * times, columns)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = len(PdfReader(io.BytesIO(joined)).pages)
else:  # files in, a file out
    assembled(pdfs * times, stamps * times, columns, sys.argv[1] + ".pdf")
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = len(PdfReader(sys.argv[1] + ".pdf").pages)
print(pages, f"{wall:.2f}", f"{peak:.0f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=2000)
    parser.add_argument("--times", default="1,10", help="repeats of the chunks, comma-separated")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {load()}, python {sys.version.split()[0]}")
    table = Table("sections", "repeats", "pages", "join wall s", "join peak RSS MB")
    with tempfile.TemporaryDirectory(prefix="deckmark-join-") as tmp:
        notes, inputs = Path(tmp) / "notes.md", Path(tmp) / "join.pickle"
        notes.write_text(notes_markdown(args.sections), encoding="utf-8")
        build = [notes, "-o", Path(tmp) / "out", "-f", "cards-pdf", "-q"]
        subprocess.run([sys.executable, "-c", CAPTURE, inputs, "build", *build], check=True)
        for times in (int(t) for t in args.times.split(",")):
            result = subprocess.run(
                [sys.executable, "-c", JOIN, inputs, str(times)],
                check=True,
                capture_output=True,
                text=True,
            )
            pages, wall, peak = result.stdout.split()
            table.add(f"{args.sections:,}", str(times), f"{int(pages):,}", wall, peak)
    table.show(f"Cards PDF join ({load()} at the end)")


if __name__ == "__main__":
    main()
