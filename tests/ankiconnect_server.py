"""Run anki-connect-server's AnkiConnect API (what ``anki-connect-server api`` runs).

Started by the ``ankiconnect`` fixture with the server's own Python (3.12+, see .ci/run);
settings come from ANKICONNECT_* environment variables. One fix: anki-connect-server 0.5.0's
importPackage passes a path where anki expects a request object and always fails. The
AnkiConnect add-on runs ``anki.importing.AnkiPackageImporter(collection, path).run()``, which in
anki 26 imports with merge_notetypes, with_scheduling and with_deck_configs set; this does the
same through that very class, so the server imports packages as Anki with AnkiConnect does.
"""

import warnings

from anki_connect_server.anki_wrapper import AnkiWrapper
from anki_connect_server.api import run_server


def import_package(self: AnkiWrapper, path: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the add-on's legacy name
        from anki.importing import AnkiPackageImporter

    AnkiPackageImporter(self.col, path).run()
    return True


AnkiWrapper.import_package = import_package  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    run_server()
