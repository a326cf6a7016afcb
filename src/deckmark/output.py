"""Writing output files without ever leaving a half-written one behind, and naming files
the way the user would type them.

Every temporary file deckmark makes is named ``.<name>.deckmark-<pid>-<random>.tmp`` next to
its target, so one left by a killed build is recognisable and removed by the next one
(:func:`remove_leftovers`). Inside :func:`all_or_nothing`, files are published together: a
build's outputs and its lockfile are never out of step.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

_LEFTOVER = re.compile(r"^\..+\.deckmark-(\d+)-[^.]*\.tmp$")


@dataclass(frozen=True, slots=True)
class _Staged:
    temporary: Path
    target: Path


_batch: ContextVar[list[_Staged] | None] = ContextVar("deckmark_output_batch", default=None)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see the old file or the new one, never a partial write; on failure the temporary
    file is removed and ``path`` is untouched. Inside :func:`all_or_nothing` the rename waits
    until the whole batch is written.
    """
    with atomic_file(path) as tmp, tmp.open("wb") as f:
        f.write(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary file next to ``path`` to write (by any process): when the block ends it
    becomes ``path`` as :func:`write_atomic` makes it, or is removed if the block fails.

    For outputs too big to hold in memory (a PDF of thousands of pages is written as it is
    joined)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.deckmark-{os.getpid()}-", suffix=".tmp"
        )
    except OSError as e:
        e.filename = str(path)  # the user knows the file, not our temporary name
        raise
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.fchmod(fd, 0o666 & ~umask)
        os.close(fd)
        yield Path(tmp_name)
        fd = os.open(tmp_name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        batch = _batch.get()
        if batch is None:
            os.replace(tmp_name, path)
        else:
            batch.append(_Staged(Path(tmp_name), path))
    except BaseException as e:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(e, OSError) and e.errno is not None and e.filename in (None, tmp_name):
            e.filename = str(path)  # a full disk names no file
        raise


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Publish every file written inside the block at its end, or none of them.

    If the block fails, nothing is replaced. If a replacement fails while publishing (an
    immutable file, a folder in the way), the files already replaced get their old content back.
    """
    batch: list[_Staged] = []
    token = _batch.set(batch)
    try:
        yield
        _batch.reset(token)
        _publish(batch)
    finally:
        if _batch.get() is batch:
            _batch.reset(token)
        for staged in batch:
            staged.temporary.unlink(missing_ok=True)


def _publish(batch: list[_Staged]) -> None:
    replaced: list[tuple[_Staged, Path | None]] = []  # with the backup of the old file, if any
    try:
        for staged in batch:
            backup = _backup(staged.target)
            try:
                os.replace(staged.temporary, staged.target)
            except BaseException:
                if backup is not None:
                    backup.unlink()
                raise
            replaced.append((staged, backup))
    except BaseException:
        for staged, backup in reversed(replaced):
            if backup is None:
                staged.target.unlink(missing_ok=True)
            else:
                os.replace(backup, staged.target)
        raise
    for _, backup in replaced:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _backup(target: Path) -> Path | None:
    """A copy of the file ``target`` (a hard link where possible), or None if there is none."""
    if not target.is_file():
        return None
    backup = target.with_name(f".{target.name}.deckmark-{os.getpid()}-old.tmp")
    backup.unlink(missing_ok=True)
    try:
        os.link(target, backup)
    except OSError:  # no hard links here (FAT, some network file systems)
        shutil.copy2(target, backup)
    return backup


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files that killed deckmark builds left in ``folder``.

    A file whose process still runs belongs to a concurrent build and is left alone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return  # not there (yet), or unreadable: the build itself will say so
    for name in names:
        match = _LEFTOVER.match(name)
        if match and not _process_exists(int(match.group(1))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it.

    A symbolic link keeps its own name (a dangling link or a loop is reported as itself).
    """
    cwd = Path.cwd()
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        try:
            relative = Path(os.path.relpath(candidate, cwd))
        except ValueError:  # another drive on Windows
            break
        if relative.parts[:1] != ("..",):
            return relative.as_posix()
    return path.as_posix()
