"""What Anki's .apkg importer does to users of an earlier deck when a note type changes.

    python bench/note_type_change.py

Why push's link to a note lives in the Source field and not in a new "deckmark id" field.
A user imported the old package (five notes, reviewed); then imports a newer one whose notes
carry an id. Each row is one way of carrying it, imported with Anki's default options (what
File > Import does) and with AnkiConnect's (importPackage: merge_notetypes). Uses Anki's own
engine (the test-only ``anki`` package) and genanki as deckmark's exporter does.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import genanki
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

FIELDS = [("Front", 6_114_730_081_922_301_001), ("Back", 6_114_730_081_922_301_002)]
ID_FIELD = ("DeckmarkId", 6_114_730_081_922_301_099)
TEMPLATE = {
    "name": "Forward",
    "qfmt": "{{Front}}",
    "afmt": "{{Back}}",
    "id": 6_114_730_081_922_302_001,
}
OLD_MOD, NEW_MOD = 1_764_000_000, 1_764_100_000


class TimedModel(genanki.Model):  # type: ignore[misc]
    def __init__(self, *args: Any, mod: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mod = mod

    def to_json(self, timestamp: float, deck_id: int) -> Any:
        return super().to_json(self.mod, deck_id)


class TimedNote(genanki.Note):  # type: ignore[misc]
    def __init__(self, *args: Any, mod: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def package(path: Path, how: str) -> None:
    """Five notes; ``how`` says where the newer package puts each note's id."""
    fields = [{"name": n, "id": i} for n, i in FIELDS]
    if how == "new field":
        fields.append({"name": ID_FIELD[0], "id": ID_FIELD[1]})
    mod = OLD_MOD if how == "old package" else NEW_MOD
    model = TimedModel(
        1_739_462_815, "deckmark Basic", fields=fields, templates=[dict(TEMPLATE)], mod=mod
    )
    deck = genanki.Deck(1_234_567_890_123, "Docker")
    for i in range(5):
        values = [f"question {i}", f"answer {i}"]
        if how == "new field":
            values.append(f"guid-{i}")
        elif how == "marker in a field":
            values[1] += f'<span class="dm-id" data-deckmark="guid-{i} 0"></span>'
        deck.add_note(TimedNote(model=model, fields=values, guid=f"guid-{i}", mod=mod))
    genanki.Package([deck]).write_to_file(str(path), timestamp=1_700_000_000)


def run(how: str, merge: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "old.apkg", Path(tmp) / "new.apkg"
        package(old, "old package")
        package(new, how)
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            options = ImportAnkiPackageOptions()
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(old), options=options)
            )
            options = ImportAnkiPackageOptions(merge_notetypes=merge)
            log = col.import_anki_package(
                ImportAnkiPackageRequest(package_path=os.path.abspath(new), options=options)
            ).log
            col.models._clear_cache()
            types = sorted(m["name"] for m in col.models.all() if m["name"].startswith("deckmark"))
            with_id = sum(
                1 for nid in col.find_notes("") if "guid-" in "".join(col.get_note(nid).fields)
            )
            return {
                "updated": len(log.updated),
                "duplicate": len(log.duplicate),
                "conflicting": len(log.conflicting),
                "note types": ", ".join(types),
                "notes with the id": with_id,
            }
        finally:
            col.close()


def main() -> None:
    warnings.simplefilter("ignore")
    rows = [
        (how, options, run(how, merge))
        for how in ("new field", "marker in a field")
        for options, merge in (("File > Import", False), ("importPackage", True))
    ]
    columns = ["updated", "duplicate", "conflicting", "notes with the id", "note types"]
    print(
        f"{'newer package':<18} {'import':<14} "
        + " ".join(f"{c:>17}" for c in columns[:-1])
        + "  note types"
    )
    for how, options, result in rows:
        cells = " ".join(f"{result[c]:>17}" for c in columns[:-1])
        print(f"{how:<18} {options:<14} {cells}  {result['note types']}")


if __name__ == "__main__":
    main()
