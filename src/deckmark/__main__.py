from deckmark.cli import cli

cli(prog_name="deckmark")
