"""The command line: thin click commands over deckmark.build."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from deckmark.errors import DeckmarkError, InputError
from deckmark.model import Diagnostic
from deckmark.output import display_path
from deckmark.report import terminal_text

if TYPE_CHECKING:
    from deckmark.sync.apply import PushResult
    from deckmark.sync.client import AnkiConnect
    from deckmark.sync.plan import Change, PushPlan

PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)
SOURCE_LINK = click.option(
    "--source-link",
    metavar="TEMPLATE",
    help="Make each card's source line a link, e.g. 'vscode://file/{path}:{line}' or "
    "'obsidian://open?vault={vault}&file={file}'. Default: the config file's source_link.",
)


WATCH = click.option(
    "--watch", is_flag=True, help="Keep running: redo it for each deck whose notes change."
)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """The one place where library errors become CLI errors: one line each, exit 1."""
    try:
        yield
    except InputError as e:
        _echo_error(e)
        raise SystemExit(1) from e
    except DeckmarkError as e:
        raise click.ClickException(terminal_text(str(e))) from e


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Every line that can hold the user's text goes out through here: controls escaped."""
    click.echo(terminal_text(text), err=err, nl=nl)


def _echo_error(e: DeckmarkError) -> None:
    """An error as one line per problem (what user_errors prints, and watch mode goes on)."""
    for problem in e.problems if isinstance(e, InputError) else (f"Error: {e}",):
        _echo(problem if problem.startswith("Error: ") else f"error: {problem}", err=True)


def _watch(paths: tuple[Path, ...], run: Callable[[list[Path]], None]) -> None:
    from deckmark.sync.watch import watch

    def ready(folders: list[Path]) -> None:
        shown = ", ".join(display_path(f) for f in folders)
        _echo(f"watching {shown} (Ctrl-C to stop)", err=True)

    with user_errors():
        watch(list(paths), run, _echo_error, on_ready=ready)
    click.echo("stopped watching", err=True)


def _source_link(option: str | None) -> str | None:
    """The link template: the option, else the config file's (checked either way)."""
    from deckmark.config import load_config
    from deckmark.render.source_link import check_template

    template = option or load_config().source_link
    if template:
        check_template(template)
    return template


def _echo_warnings(warnings: Iterable[Diagnostic]) -> None:
    for warning in warnings:
        _echo(f"warning: {warning}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deckmark", prog_name="deckmark")
def cli() -> None:
    """Turn Markdown study notes into atomic flashcards: Anki decks and printable PDFs.

    \b
    Example:
      deckmark build my-notes.md        # writes build/my-notes.apkg
      deckmark check cards/docker       # what each heading of the notes became
    """
    # A build keeps every token, card and field of its decks alive and makes almost no
    # cyclic garbage; CPython's default thresholds (700, 10, 10) scan those survivors again
    # thousands of times: 6 % of a 2,000-section build, 17 % of a 20,000-section one.
    gc.set_threshold(100_000, 50, 100)


def _format_choice() -> click.Choice[str]:
    from deckmark.exporters import FORMATS

    return click.Choice(list(FORMATS))


@cli.command()
@PATHS
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("build"),
    show_default=True,
    help="Folder for the outputs.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=_format_choice(),
    help="Output to write (repeatable). Default: every default format.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of the PDFs.",
)
@click.option(
    "--duplex",
    type=click.Choice(["long", "short", "none"]),
    default="long",
    show_default=True,
    help="How the card sheets are flipped; 'none' writes fronts and backs separately.",
)
@click.option("--strict", is_flag=True, help="Write nothing and exit 1 if there are warnings.")
@SOURCE_LINK
@WATCH
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build everything again, ignoring the cache in the output folder (.deckmark-cache).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Only warnings and errors: no progress, no summary."
)
@click.option("-v", "--verbose", is_flag=True, help="List every step of the build with its time.")
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    paper: str,
    duplex: str,
    strict: bool,
    source_link: str | None,
    watch: bool,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build decks from PATHS (deck folders or Markdown files); none means every deck in cards/.

    \b
    Examples:
      deckmark build                      # every deck folder under cards/
      deckmark build my-notes.md -o out   # writes out/my-notes.apkg
      deckmark build cards/docker -f apkg
      deckmark build --strict cards/docker  # no warnings or no build (CI)
      deckmark build cards/docker --watch   # rebuild on every save
      deckmark build -q                     # only warnings and errors
    """
    from deckmark.build import anki_card_count, kind_counts
    from deckmark.build import build as run_build
    from deckmark.exporters import DEFAULT_FORMATS, ExportOptions
    from deckmark.progress import ProgressLine

    with user_errors():
        options = ExportOptions(
            paper=paper,  # type: ignore[arg-type]
            duplex=duplex,  # type: ignore[arg-type]
            source_link=_source_link(source_link),
        )

    def run(deck_paths: list[Path]) -> None:
        # Progress goes to stderr, and only to a terminal: stdout stays the build's report.
        with ProgressLine(sys.stderr, verbose=verbose and not quiet) as shown:
            result = run_build(
                deck_paths,
                out_dir,
                list(formats or DEFAULT_FORMATS),
                options,
                strict=strict,
                use_cache=not no_cache,
                progress=None if quiet else shown,
            )
        _echo_warnings(result.warnings)
        if quiet:
            return
        for path in result.outputs:
            _echo(f"{'unchanged' if path in result.unchanged else 'wrote'} {path.as_posix()}")
        cards = [card for deck in result.decks for card in deck.cards]
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(kind_counts(cards).items()))
        deck_word = "deck" if len(result.decks) == 1 else "decks"
        click.echo(
            f"{len(result.decks)} {deck_word}, {len(cards)} notes "
            f"({sum(map(anki_card_count, cards))} Anki cards: {kinds}), "
            f"{len(result.warnings)} warnings"
        )

    if watch:
        _watch(paths, run)
    else:
        with user_errors():
            run(list(paths))


@cli.command()
@PATHS
@click.option("--strict", is_flag=True, help="Exit 1 if there are warnings.")
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """Report what every heading of the notes became, without writing files.

    \b
    Examples:
      deckmark check cards/docker
      deckmark check --strict my-notes.md   # exit 1 on any warning (CI)
    """
    from deckmark.build import check as run_check
    from deckmark.report import coverage_report

    with user_errors():
        decks = run_check(list(paths))
    for deck in decks:
        _echo(coverage_report(deck))
        _echo_warnings(deck.warnings)
    warnings = sum(len(deck.warnings) for deck in decks)
    if strict and warnings:
        raise click.ClickException(f"{warnings} warnings (--strict)")


@cli.command()
@PATHS
def diff(paths: tuple[Path, ...]) -> None:
    """Show what importing the next build will do, relative to the last build (deckmark.lock).

    Lists new, updated, renamed and removed cards. Importing never deletes notes, so removed
    cards come with a search to paste into Anki's browser.

    \b
    Examples:
      deckmark diff cards/docker
      deckmark diff my-notes.md
    """
    from deckmark.build import diff as run_diff
    from deckmark.identity import format_changes

    with user_errors():
        results = run_diff(list(paths))
    for index, (deck, result) in enumerate(results):
        if index:
            click.echo()
        _echo(format_changes(deck.name, result), nl=False)
        _echo_warnings(result.warnings)


@cli.command()
@PATHS
@click.option(
    "--url", help="AnkiConnect's address. Default: the config file's, else 127.0.0.1:8765."
)
@click.option("--key", help="AnkiConnect's API key, if you set one in the add-on's config.")
@click.option("--dry-run", is_flag=True, help="Show what the push would do; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Delete removed cards' notes without asking.")
@click.option("--force", is_flag=True, help="Overwrite notes that were edited in Anki.")
@SOURCE_LINK
@WATCH
def push(
    paths: tuple[Path, ...],
    url: str | None,
    key: str | None,
    dry_run: bool,
    yes: bool,
    force: bool,
    source_link: str | None,
    watch: bool,
) -> None:
    """Sync decks into a running Anki through AnkiConnect: add, update, move, delete notes.

    Only notes deckmark made are touched; notes edited in Anki are reported, not overwritten.

    \b
    Examples:
      deckmark push cards/docker --dry-run
      deckmark push cards/docker --yes
      deckmark push cards/docker --watch  # push on every save
    """
    from deckmark.config import load_config
    from deckmark.sync.client import DEFAULT_URL, AnkiConnect

    with user_errors():
        config = load_config()
        link = _source_link(source_link)
    client = AnkiConnect(url or config.anki_url or DEFAULT_URL, key or config.anki_key)

    def run(deck_paths: list[Path]) -> None:
        _push_once(client, deck_paths, dry_run=dry_run, yes=yes, force=force, source_link=link)

    if watch:
        _watch(paths, run)
    else:
        with user_errors():
            run(list(paths))


def _push_once(
    client: AnkiConnect,
    paths: list[Path],
    *,
    dry_run: bool,
    yes: bool,
    force: bool,
    source_link: str | None,
) -> None:
    """One push: plan, show, confirm deletions, apply; DeckmarkErrors pass up."""
    import sys

    from deckmark.sync.apply import apply_plan
    from deckmark.sync.plan import Action
    from deckmark.sync.push import prepare_push

    prepared = prepare_push(paths, client, force=force, dry_run=dry_run, source_link=source_link)
    _echo_warnings(prepared.warnings)
    for plan in prepared.plans:
        for change in plan.of(Action.CONFLICT):
            _echo(
                f"conflict: {change.label}: {change.detail}; kept Anki's version, "
                "--force overwrites",
                err=True,
            )
        for note_id, label in plan.copies:
            _echo(
                f"warning: note {note_id} in Anki is a copy of a deckmark note ({label}); "
                "push leaves it alone",
                err=True,
            )
        for name in plan.restyled_note_types:
            click.echo(
                f"warning: note type {name!r}: templates or styling changed in Anki; kept them "
                "(this deckmark version's look is not applied)",
                err=True,
            )
        if dry_run:
            for action in (Action.ADD, Action.UPDATE, Action.MOVE, Action.DELETE):
                for change in plan.of(action):
                    _echo(f"{action.value:8} {change.label}{_change_detail(change)}")
            _echo(_push_summary(plan, dry_run=True))
            continue
        deletions = plan.of(Action.DELETE)
        for change in deletions:
            _echo(f"delete   {change.label}")
        delete = yes
        if deletions and not yes and sys.stdin.isatty():
            delete = click.confirm(f"Delete these {len(deletions)} notes from Anki?", err=True)
        result = apply_plan(client, plan, delete=delete, now=prepared.now, source_link=source_link)
        if plan.stale_note_types:
            click.echo(f"{plan.deck.name}: updated note types {', '.join(plan.stale_note_types)}")
        if result.deletions_skipped:
            click.echo(
                f"warning: {plan.deck.name}: {result.deletions_skipped} notes not deleted "
                "(rerun with --yes to delete them)",
                err=True,
            )
        _echo(_push_summary(plan, dry_run=False, result=result))


def _change_detail(change: Change) -> str:
    """What a dry run adds to a change's line: the fields an update rewrites, a move's decks."""
    from deckmark.sync.plan import Action

    if change.action is Action.MOVE:
        return f" (from {change.detail} to {change.deck})"
    if change.action is Action.UPDATE:
        parts = list(change.differs) + (["tags"] if change.tags or change.stale_tags else [])
        return f" (changed: {', '.join(parts)})" if parts else " (push marker only)"
    return ""


def _push_summary(plan: PushPlan, dry_run: bool, result: PushResult | None = None) -> str:
    """One line per deck: what the push did (or would do)."""
    from deckmark.sync.plan import Action

    if result is None:
        counts = [len(plan.of(a)) for a in (Action.ADD, Action.UPDATE, Action.MOVE, Action.DELETE)]
    else:
        counts = [result.added, result.updated, result.moved, result.deleted]
    verbs = (
        ("add", "update", "move", "delete") if dry_run else ("added", "updated", "moved", "deleted")
    )
    parts = ", ".join(f"{verb} {n}" for verb, n in zip(verbs, counts, strict=True))
    text = f"{plan.deck.name}: {'would ' if dry_run else ''}{parts}; {plan.unchanged} unchanged"
    if result is not None and result.relinked:
        text += f", {result.relinked} imported earlier without a push marker updated and linked"
    if plan.of(Action.CONFLICT):
        text += f", {len(plan.of(Action.CONFLICT))} conflicts kept"
    unlinked = plan.unlinked - (result.relinked if result else 0)
    if unlinked > 0:
        text += f"; {unlinked} notes of deckmark's note types without a push marker left alone"
    return text
