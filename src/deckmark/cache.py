"""A content-keyed build cache, kept next to the outputs in ``<out>/.deckmark-cache/``.

Each stage of a build stores its result under a hash of everything it depends on: a notes
file's cards under the file's text, its path and the deck's name; a deck under its files'
keys; identities under the deck's key and the lockfile's bytes; an output under the format,
its options, the deck's key and the lockfile it was built with. Sources are always read and
hashed, so a result is reused only for exactly the same input, never because of a file's
time. Every key also covers deckmark's own files and the versions of the libraries that shape
the outputs: another deckmark builds afresh.

An output is skipped only while the file on disk is still the one that build wrote (same
SHA-256); anything else (deleted, edited, replaced) is built again. Entries carry a checksum; a
missing, damaged or unreadable entry is a miss, never an error. The folder is safe to delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from deckmark.exporters import Export
from deckmark.model import Diagnostic

CACHE_DIR = ".deckmark-cache"
FORMAT_VERSION = 1
"""Bump when what is stored changes shape."""
KEEP_SECONDS = 7 * 24 * 3600
"""Entries no build has used for this long are removed."""
LATEST_ONLY = ("decks", "identities")
"""Whole decks (megabytes each): only those the last build used are kept, or every edit under
``--watch`` would add one. The files' entries they are made from stay for a week."""
LATEST_ONLY_IF_BUILT = "typst-"
"""Kinds named so (the Typst chunks of one PDF of one deck) keep only what the last build that
made that PDF used; the chunks of PDFs a build did not make stay as they were."""

_LIBRARIES = {
    "markdown_it": "markdown_it_py",
    "mdit_py_plugins": "mdit_py_plugins",
    "mdit_py_cjk_friendly": "mdit_py_cjk_friendly",
    "pygments": "pygments",
    "genanki": "genanki",
    "typst": "typst",
    "pypdf": "pypdf",
    "yaml": "pyyaml",
}
"""The libraries that shape the outputs: module → distribution (as in its dist-info name)."""


@cache
def code_version() -> str:
    """A hash of deckmark's own source files and of the library versions outputs depend on."""
    digest = hashlib.sha256(f"{FORMAT_VERSION} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".typ", ".css") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for module, distribution in _LIBRARIES.items():
        digest.update(f"\n{module}={_installed_version(module, distribution)}".encode())
    return digest.hexdigest()


def _installed_version(module: str, distribution: str) -> str:
    """Where a library is installed and its dist-info name (which holds its version), found
    without importing it or importlib.metadata (a no-change build must start fast)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "-"
    origin = Path(spec.origin)
    folder = origin.parent.parent if origin.name == "__init__.py" else origin.parent
    dist_infos = sorted(p.name for p in folder.glob("*.dist-info"))
    versions = (n for n in dist_infos if n.lower().startswith(f"{distribution}-"))
    return " ".join([str(origin), *versions])


def cache_key(*parts: str | bytes) -> str:
    """A key for a stage result that depends on exactly ``parts`` (and on the code)."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedExport:
    """What one exporter wrote, and the SHA-256 of each file as it was written."""

    names: tuple[str, ...]
    """File names in the output folder."""
    digests: tuple[str, ...]
    warnings: tuple[Diagnostic, ...]
    """The exporter's warnings, reported again when the output is kept."""


class BuildCache:
    """The cache of one output folder; ``None`` of it is needed for a correct build."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / CACHE_DIR
        self._pending: dict[Path, tuple[int, int]] = {}
        """Entries :meth:`save` writes: where each one is in the spool (offset, length)."""
        self._spool: BinaryIO | None = None
        """An anonymous temporary file with the pending entries (each a checksum, then its payload):
        the build's memory does not grow with what it will cache (a 20,000-section deck is
        some 100 MB pickled, its PDFs' chunks as much again)."""
        self._used: set[Path] = set()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or None."""
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        checksum, payload = data[:32], data[32:]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        try:
            value = pickle.loads(payload)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None  # written by another deckmark: build it again
        self._touch(path)
        return value

    def get_file(self, kind: str, key: str, target: Path) -> bool:
        """Copy the file stored under ``key`` (:meth:`put_file`) to ``target``; False (and no
        ``target``) if there is none or it is damaged."""
        path = self._path(kind, key).with_suffix(".file")
        try:
            with path.open("rb") as entry, target.open("wb") as out:
                checksum = entry.read(32)
                digest = hashlib.sha256()
                while block := entry.read(_BLOCK):
                    digest.update(block)
                    out.write(block)
        except OSError:
            target.unlink(missing_ok=True)
            return False
        if digest.digest() != checksum:
            target.unlink(missing_ok=True)
            return False
        self._touch(path)
        return True

    def _touch(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            os.utime(path)  # used: keep it
        self._used.add(path)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` when the build succeeds (:meth:`save`): a failed build writes nothing."""
        try:
            spool = self._spooled()
            start = spool.seek(0, os.SEEK_END)
            spool.write(bytes(32))  # the checksum, once the payload is written
            writer = _Hashing(spool)
            try:
                # Pickled straight into the spool, a frame at a time: never whole in memory.
                pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError):
                spool.truncate(start)  # not cached: costs time, never a build
                return
            self._pending_entry(self._path(kind, key), start, writer)
        except OSError:
            self.close()  # a full $TMPDIR: nothing of this build is cached, as in save()

    def put_file(self, kind: str, key: str, source: Path) -> None:
        """Store a copy of the file ``source`` (a PDF: kept as it is, not pickled), as
        :meth:`put` does."""
        try:
            spool = self._spooled()
            start = spool.seek(0, os.SEEK_END)
            spool.write(bytes(32))
            writer = _Hashing(spool)
            with source.open("rb") as f:
                while block := f.read(_BLOCK):
                    writer.write(block)
            self._pending_entry(self._path(kind, key).with_suffix(".file"), start, writer)
        except OSError:
            self.close()  # as in put()

    def _spooled(self) -> BinaryIO:
        if self._spool is None:
            # Closed by save() or close(); anonymous, so nothing is ever left on disk.
            self._spool = tempfile.TemporaryFile(prefix="deckmark-cache-")  # noqa: SIM115
        return self._spool

    def _pending_entry(self, path: Path, start: int, writer: _Hashing) -> None:
        spool = self._spooled()
        end = spool.tell()
        spool.seek(start)
        spool.write(writer.digest.digest())
        spool.seek(end)
        self._pending[path] = (start, end - start)

    def save(self) -> None:
        """Write what :meth:`put` stored; a cache that cannot be written only costs time."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        with spool:
            for path, (start, length) in self._pending.items():
                with contextlib.suppress(OSError):
                    path.parent.mkdir(parents=True, exist_ok=True)
                    # No fsync: an entry cut short by a crash fails its checksum and is rebuilt.
                    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
                    try:
                        with os.fdopen(fd, "wb") as f:
                            spool.seek(start)
                            _copy(spool, f, length)
                        os.replace(tmp, path)
                        self._used.add(path)
                    finally:
                        Path(tmp).unlink(missing_ok=True)
        self._pending.clear()

    def close(self) -> None:
        """Forget what :meth:`put` stored and not saved (the build failed)."""
        spool, self._spool = self._spool, None
        if spool is not None:
            with contextlib.suppress(OSError):  # flushing what a full disk refused
                spool.close()
        self._pending.clear()

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def unchanged_export(self, key: str, out_dir: Path) -> Export | None:
        """The export stored under ``key`` if every file it wrote is still as it was written."""
        stored = self.get("exports", key)
        if not isinstance(stored, CachedExport):
            return None
        paths = tuple(out_dir / name for name in stored.names)
        for path, digest in zip(paths, stored.digests, strict=True):
            if file_digest(path) != digest:
                return None
        return Export(paths=paths, warnings=stored.warnings)

    def record_export(self, key: str, export: Export, out_dir: Path) -> None:
        """Remember what an exporter wrote into ``out_dir`` (call once it is published)."""
        names = []
        for path in export.paths:
            if path.parent != out_dir:
                return  # only files directly in the output folder are known by name
            names.append(path.name)
        digests = [file_digest(path) for path in export.paths]
        if all(digests):
            stored = CachedExport(
                names=tuple(names),
                digests=tuple(d for d in digests if d),
                warnings=export.warnings,
            )
            self.put("exports", key, stored)

    def prune(self, now: float | None = None) -> None:
        """Remove entries (and stray temporary files) no build has used for a week, and the
        decks this build did not use."""
        week = (now if now is not None else time.time()) - KEEP_SECONDS
        built = {path.parent.name for path in self._used}
        with contextlib.suppress(OSError):
            for kind in self.folder.iterdir():
                latest_only = kind.name in LATEST_ONLY or (
                    kind.name.startswith(LATEST_ONLY_IF_BUILT) and kind.name in built
                )
                for entry in kind.iterdir():
                    with contextlib.suppress(OSError):
                        if (
                            latest_only and entry not in self._used
                        ) or entry.stat().st_mtime < week:
                            entry.unlink()


_BLOCK = 1 << 20
"""Bytes copied at a time between the spool, the cache's files and the outputs."""


class _Hashing:
    """A binary file's ``write`` that also hashes what it writes (pickle.dump's target)."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.digest.update(data)
        return self.file.write(data)


def _copy(source: BinaryIO, target: BinaryIO, length: int) -> None:
    while length > 0:
        block = source.read(min(_BLOCK, length))
        if not block:
            raise OSError("the cache's spool ended early")
        target.write(block)
        length -= len(block)


def pickled(value: Any) -> bytes | None:
    """``value`` pickled, or None if it holds something pickle cannot store: then it is not
    cached (and not part of a key), which costs time but never a build."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
