"""Re-create the local real-notes corpus in bench/real-notes/files/ from sources.toml.

    python bench/collect_real_notes.py [--mirrors /work/.mirror] [--no-clone] [ID ...]

Each file is read at its pinned commit from a local git mirror (``<mirrors>/<owner>+<name>/repo``,
or ``<mirrors>/<owner>+<name>`` itself, as the search tool's ``fetch`` leaves them), otherwise from
a blob-less clone of GitHub kept in bench/real-notes/.clones/ (when GitHub is reachable).
Idempotent: files already holding the right content are left alone, files no source lists are
removed from a deck folder. Prints what it could not get and exits 1 if anything is missing.
The notes stay out of git (bench/real-notes/files/ is ignored): they are other people's text.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from corpus import FILES, Source, load_sources

CLONES = FILES.parent / ".clones"
DEFAULT_MIRRORS = Path(os.environ.get("DECKMARK_MIRRORS", "/work/.mirror"))


def git(git_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        check=False,
    )


def blob_id(data: bytes) -> str:
    """Git's object id of a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def mirror_for(repo: str, mirrors: Path) -> Path | None:
    base = mirrors / repo.replace("/", "+")
    for candidate in (base / "repo", base, base / ".git"):
        if candidate.is_dir() and git(candidate, "rev-parse", "--git-dir").returncode == 0:
            return candidate
    return None


def clone_for(repo: str, commit: str) -> tuple[Path | None, str]:
    """A blob-less bare clone holding ``commit``, or None and why not."""
    target = CLONES / (repo.replace("/", "+") + ".git")
    url = f"https://github.com/{repo}.git"
    try:
        if not target.is_dir():
            CLONES.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(
                ["git", "clone", "--bare", "--filter=blob:none", "--quiet", url, str(target)],
                capture_output=True,
                timeout=300,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
                check=False,
            )
            if done.returncode != 0:
                return None, f"git clone {url} failed: {done.stderr.decode().strip()[:200]}"
        if git(target, "cat-file", "-e", commit).returncode != 0:
            git(target, "fetch", "--quiet", "--filter=blob:none", "origin", commit, timeout=300)
    except subprocess.TimeoutExpired:
        return None, f"git clone {url} timed out"
    return target, ""


def collect(source: Source, mirrors: Path, allow_clone: bool) -> list[str]:
    """Bring one source's files up to date; the problems, one line each."""
    git_dir = mirror_for(source.repo, mirrors)
    where = f"mirror {git_dir}" if git_dir else f"no mirror under {mirrors}"
    if git_dir is not None and git(git_dir, "cat-file", "-e", source.commit).returncode != 0:
        where = f"mirror {git_dir} lacks commit {source.commit[:12]}"
        git_dir = None
    if git_dir is None and allow_clone:
        git_dir, why = clone_for(source.repo, source.commit)
        where += f"; {why}" if why else ""
    if git_dir is None:
        return [f"{source.id}: cannot read {source.repo}@{source.commit[:12]} ({where})"]
    problems = []
    wanted = set()
    for repo_path in source.files:
        local = source.deck_dir / source.local_path(repo_path)
        wanted.add(local)
        spec = f"{source.commit}:{repo_path}"
        expected = git(git_dir, "rev-parse", spec).stdout.decode().strip()
        if local.is_file() and blob_id(local.read_bytes()) == expected:
            continue
        shown = git(git_dir, "cat-file", "blob", spec)
        if shown.returncode != 0:
            detail = shown.stderr.decode().strip().splitlines()[-1:] or ["missing"]
            problems.append(f"{source.id}: {source.repo}:{repo_path}: {detail[0]}")
            continue
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(shown.stdout)
    for stray in (p for p in source.deck_dir.rglob("*") if p.is_file()):
        if stray not in wanted:
            stray.unlink()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*", help="only these source ids")
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--no-clone", action="store_true", help="never try GitHub")
    args = parser.parse_args()
    sources = load_sources(only=args.ids)
    problems: list[str] = []
    for source in sources:
        problems.extend(collect(source, args.mirrors, allow_clone=not args.no_clone))
    complete = len(sources) - len({p.split(":", 1)[0] for p in problems})
    print(f"{complete}/{len(sources)} sources complete in {FILES}")
    for problem in problems:
        print(f"missing: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
