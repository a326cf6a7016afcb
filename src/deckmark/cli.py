"""The command line: thin click commands over deckmark.build."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from deckmark import __version__
from deckmark.errors import DeckmarkError, InputError
from deckmark.model import Diagnostic

PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path, exists=False, dir_okay=True)
)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """The one place where library errors become CLI errors: one line each, exit 1."""
    try:
        yield
    except InputError as e:
        for problem in e.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1) from e
    except DeckmarkError as e:
        raise click.ClickException(str(e)) from e


def _echo_warnings(warnings: Iterable[Diagnostic]) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckmark")
def cli() -> None:
    """Turn Markdown study notes into atomic flashcards: Anki decks and printable PDFs.

    \b
    Example:
      deckmark build my-notes.md        # writes build/my-notes.apkg
      deckmark check cards/docker       # what each heading of the notes became
    """


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
def build(
    paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], paper: str, duplex: str
) -> None:
    """Build decks from PATHS (deck folders or Markdown files); none means every deck in cards/.

    \b
    Examples:
      deckmark build                      # every deck folder under cards/
      deckmark build my-notes.md -o out   # writes out/my-notes.apkg
      deckmark build cards/docker -f apkg
    """
    from deckmark.build import anki_card_count, kind_counts
    from deckmark.build import build as run_build
    from deckmark.exporters import DEFAULT_FORMATS, ExportOptions

    with user_errors():
        result = run_build(
            list(paths),
            out_dir,
            list(formats or DEFAULT_FORMATS),
            ExportOptions(paper=paper, duplex=duplex),  # type: ignore[arg-type]
        )
    _echo_warnings(result.warnings)
    for path in result.outputs:
        click.echo(f"wrote {path.as_posix()}")
    cards = [card for deck in result.decks for card in deck.cards]
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(kind_counts(cards).items()))
    deck_word = "deck" if len(result.decks) == 1 else "decks"
    click.echo(
        f"{len(result.decks)} {deck_word}, {len(cards)} notes "
        f"({sum(map(anki_card_count, cards))} Anki cards: {kinds}), "
        f"{len(result.warnings)} warnings"
    )


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
        click.echo(coverage_report(deck))
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
        click.echo(format_changes(deck.name, result), nl=False)
        _echo_warnings(result.warnings)
