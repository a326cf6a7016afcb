"""Typst jobs, each in a child process of its own, one or two at a time.

typst-py keeps everything it has laid out for the life of the process (its memo cache is never
evicted and it exposes no way to evict it), so each compile runs in a process that exits
afterwards and gives its memory back. A child that dies (killed, out of memory) becomes a
PdfError; nothing is written then, as outputs are written only afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import multiprocessing.context
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from deckmark.errors import DeckmarkError


class PdfError(DeckmarkError):
    """Typst could not render a PDF."""


class TypstRejectedError(PdfError):
    """Typst reported an error in what it was given (not a Typst process that died)."""


_R = TypeVar("_R")


def in_child(job: Callable[..., _R], *args: Any) -> _R:
    """``job(*args)`` in a fresh child process that exits afterwards."""
    [result] = in_children([(job, args)], workers=1)
    return result


def in_children(
    jobs: Sequence[tuple[Callable[..., _R], tuple[Any, ...]]], workers: int
) -> list[_R]:
    """Each ``job(*args)`` in a fresh child process, ``workers`` at a time; results in order."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if not jobs:
        return []
    with ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(jobs))),
        mp_context=_child_context(),
        max_tasks_per_child=1,
    ) as pool:
        futures = [pool.submit(job, *args) for job, args in jobs]
        try:
            return [future.result() for future in futures]
        except BrokenProcessPool as e:
            raise PdfError(
                f"Typst stopped before finishing (killed or out of memory?): {e}"
            ) from None
        finally:
            for future in futures:
                future.cancel()


@functools.cache
def _child_context() -> multiprocessing.context.BaseContext:
    """Forkserver where there is one (a child forks from a server that imported Typst once),
    spawn elsewhere; never a plain fork of this process, which may hold threads and a big heap."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["typst", __name__])
    return context


_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
"""Where Typst looks for system fonts beside its own (fontdb's folders on Linux)."""


@functools.cache
def fonts_key() -> str:
    """A hash of the system fonts Typst can use (path, size and time of each file): a chunk
    laid out before a font was installed or removed is not reused."""
    digest = hashlib.sha256()
    folders = [
        *_FONT_FOLDERS,
        os.path.join(os.environ.get("XDG_DATA_HOME", "~/.local/share"), "fonts"),
    ]
    for folder in sorted({os.path.expanduser(f) for f in folders}):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                with contextlib.suppress(OSError):
                    stat = os.stat(os.path.join(dirpath, name))
                    digest.update(f"{dirpath}/{name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# The Typst jobs, run in a child process.


def typst_pdf(root: str, template: str, data: str) -> bytes:
    """The PDF of ``template`` (a file in ``root``) given ``data`` as ``sys.inputs.data``."""
    with _typst_errors(template):
        pdf = _typst_compiler(root, template, data).compile(format="pdf", pdf_tags=False)
    if not isinstance(pdf, bytes):  # a list is for PNG or SVG, one image a page
        raise PdfError(f"Typst made no PDF of {template}")
    return pdf


def typst_pdf_file(
    root: str, template: str, data_file: str, pdf_file: str, selector: str | None
) -> str:
    """:func:`typst_pdf` of the data in ``data_file``, written to ``pdf_file``, and what
    ``selector`` finds in the layout (JSON; ``[]`` without one). Files, so that neither the
    data nor the PDF passes through the build process's memory."""
    data = Path(data_file).read_text(encoding="utf-8")
    with _typst_errors(template):
        compiler = _typst_compiler(root, template, data)
        pdf = compiler.compile(format="pdf", pdf_tags=False)
        found: str = (
            compiler.query(selector, field="value", format="json") if selector is not None else "[]"
        )
    if not isinstance(pdf, bytes):
        raise PdfError(f"Typst made no PDF of {template}")
    Path(pdf_file).write_bytes(pdf)
    return found


def typst_query(root: str, template: str, data: str, selector: str) -> str:
    """The values of the metadata ``selector`` finds in the laid-out document, as JSON."""
    with _typst_errors(template):
        found: str = _typst_compiler(root, template, data).query(
            selector, field="value", format="json"
        )
    return found


def _typst_compiler(root: str, template: str, data: str) -> Any:
    import typst  # heavy; imported only when a PDF is built

    return typst.Compiler(Path(root) / template, root=root, sys_inputs={"data": data})


@contextlib.contextmanager
def _typst_errors(template: str) -> Iterator[None]:
    try:
        yield
    except RuntimeError as e:  # typst.TypstError, or a bare RuntimeError from typst-py
        raise TypstRejectedError(f"Typst failed on {template}: {e}") from None
