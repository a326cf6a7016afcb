"""How long deckmark push takes against a real AnkiConnect-compatible server.

    python bench/push_bench.py [DECK]        # default: cards/docker

Starts anki-connect-server (tests/ankiconnect_server.py, with the Python in
$DECKMARK_ANKICONNECT_PYTHON or .venv-ankiconnect, as the tests make it) on a free loopback
port with a new collection, then times, each as its own deckmark process: the first push
(every note added), a push with nothing to do, a dry run, and a push after one answer was
reworded. Prints one row per step.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    python = os.environ.get("DECKMARK_ANKICONNECT_PYTHON") or str(
        ROOT / ".venv-ankiconnect" / "bin" / "python"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "ANKICONNECT_PORT": str(port),
        "ANKICONNECT_BIND": "127.0.0.1",
        "ANKICONNECT_COLLECTION_PATH": str(folder / "collection.anki2"),
    }
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [python, str(ROOT / "tests" / "ankiconnect_server.py")], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1):
                return server, url
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"anki-connect-server did not start; see {folder / 'server.log'}")


def timed(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "deckmark", *args], cwd=cwd, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"deckmark {' '.join(args)} failed:\n{result.stderr}")
    return seconds, result.stdout.strip().splitlines()[-1]


def main() -> None:
    deck = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "cards" / "docker").resolve()
    with tempfile.TemporaryDirectory(prefix="deckmark-push-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(deck, work / deck.name, ignore=shutil.ignore_patterns("deckmark.lock"))
        os.environ["DECKMARK_CONFIG"] = str(work / "no-config.toml")
        server, url = start_server(work)
        try:
            steps = [("first push", ["push", deck.name, "--url", url])]
            steps += [("push, nothing to do", ["push", deck.name, "--url", url])]
            steps += [("dry run", ["push", deck.name, "--url", url, "--dry-run"])]
            rows = [(name, *timed(args, work)) for name, args in steps]
            notes = next(p for p in sorted((work / deck.name).rglob("*.md")))
            text = notes.read_text("utf-8")
            notes.write_text(text.replace(" is ", " is really ", 1), "utf-8")
            rows.append(("push after one edit", *timed(steps[0][1], work)))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(f"{'step':<22} {'seconds':>8}  result")
    for name, seconds, line in rows:
        print(f"{name:<22} {seconds:>8.2f}  {line}")


if __name__ == "__main__":
    main()
