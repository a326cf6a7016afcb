"""Recipes: one module per card kind over the shared outline, phrasing helpers beside them.

- ``definition``: "What is X?" from the section's defining sentence
- ``fact``: one statement → a cloze on what it teaches; ``Key: value`` facts
- ``lists``: a closed list under a ``label:`` or a numbered list
- ``comparison``: "X vs Y" sections
- ``table``: property tables
- ``code``: commented code and command outputs (``comments`` pairs lines with comments)
- ``qa``: question headings and their answers
- ``walk``: hands each block of a section to the recipe for its shape
- ``collector``: the section's card collector and topic state; ``phrasing``: templates
"""
