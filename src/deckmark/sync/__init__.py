"""Live sync into a running Anki through AnkiConnect: above build, never below it.

client.py speaks the AnkiConnect protocol, plan.py compares the built decks with what Anki
holds, apply.py carries the plan out, watch.py rebuilds (and pushes) on save.
"""
