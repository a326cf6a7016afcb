"""Errors the library raises. The CLI turns them into messages and exit codes (cli.user_errors)."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from deckmark.model import Diagnostic
from deckmark.output import display_path


class DeckmarkError(Exception):
    """Base class: a problem with the user's input or the build, never a bug in deckmark."""


class InputError(DeckmarkError):
    """One or more problems in the user's files, each reported as ``file:line: message``."""

    def __init__(self, problems: Iterable[Diagnostic | str]) -> None:
        self.problems = tuple(str(p) for p in problems)
        super().__init__("\n".join(self.problems))


def raise_if_any(problems: Iterable[Diagnostic | str]) -> None:
    """Raise one InputError carrying every collected problem, if there are any."""
    problems = list(problems)
    if problems:
        raise InputError(problems)


class FileAccessError(DeckmarkError):
    """A file or folder deckmark cannot read or write: ``path: what is wrong``."""


_REASONS = {
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.EEXIST: "already exists and is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted (read-only or immutable?)",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (a file-size limit?)",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "name too long",
    errno.EIO: "input/output error",
}


def describe_os_error(error: OSError) -> str:
    """``path: what is wrong`` for an OSError, naming the path the user knows."""
    # A failed rename names the temporary file first and the user's file second.
    name = error.filename2 if error.filename2 is not None else error.filename
    reason = _REASONS.get(error.errno or 0) or (error.strerror or str(error)).lower()
    if name is None:
        return reason
    path = Path(os.fsdecode(name))
    if error.errno == errno.EEXIST and path.is_symlink() and not path.exists():
        reason = "is a symbolic link to nothing (a dangling link)"
    return f"{display_path(path)}: {reason}"


@contextlib.contextmanager
def file_errors(writing: Path | None = None) -> Iterator[None]:
    """The one place where OSErrors become FileAccessErrors, one line each.

    ``writing``: the file being written, named when the error names none (sqlite, which
    genanki writes with, reports a full disk or a file-size limit as "disk I/O error").
    """
    try:
        yield
    except OSError as e:
        if e.filename is None and writing is not None:
            e.filename = str(writing)
        raise FileAccessError(describe_os_error(e)) from e
    except sqlite3.OperationalError as e:
        where = display_path(writing) if writing else "output"
        message = f"{where}: could not write ({e}: disk full or a file-size limit?)"
        raise FileAccessError(message) from e
