"""Run anki-connect-server's AnkiConnect API (what ``anki-connect-server api`` runs).

Started by the ``ankiconnect`` fixture with the server's own Python (3.12+, see .ci/run);
the collection comes from ANKICONNECT_COLLECTION_PATH, and it serves on the listening socket
the fixture passes down (its descriptor in DECKMARK_ANKICONNECT_FD), so no other process can
take the port between the fixture choosing it and the server starting. Two fixes, each making an
action do what the AnkiConnect add-on does: 0.5.0's importPackage passes a path where anki
expects a request object and always fails (the add-on runs
``anki.importing.AnkiPackageImporter(collection, path).run()``, which in anki 26 imports with
merge_notetypes, with_scheduling and with_deck_configs set; this calls that very class), and
its updateModelTemplates writes each template given over every template of the note type.
"""

import os
import warnings
from typing import Any

import uvicorn
from anki_connect_server.anki_wrapper import AnkiWrapper
from anki_connect_server.api import app


def import_package(self: AnkiWrapper, path: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the add-on's legacy name
        from anki.importing import AnkiPackageImporter

    AnkiPackageImporter(self.col, path).run()
    return True


def update_model_templates(self: AnkiWrapper, model: dict[str, Any]) -> None:
    # 0.5.0 writes every given template over all of the note type's templates; the add-on
    # updates each template named in the request.
    notetype = self.col.models.by_name(model["name"])
    for template in notetype["tmpls"]:
        update = model["templates"].get(template["name"], {})
        template["qfmt"] = update.get("Front", template["qfmt"])
        template["afmt"] = update.get("Back", template["afmt"])
    self.col.models.update_dict(notetype)


AnkiWrapper.import_package = import_package  # type: ignore[method-assign,assignment]
AnkiWrapper.update_model_templates = update_model_templates  # type: ignore[method-assign]

if __name__ == "__main__":
    # What run_server does, on the inherited socket instead of a port it binds itself.
    uvicorn.run(app, fd=int(os.environ["DECKMARK_ANKICONNECT_FD"]))
