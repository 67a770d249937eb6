"""Vietnamese text layer: the one place that knows how Vietnamese is written and typed.

In: raw strings (questions, document lines). Out: normalised strings (`clean`, `normalize`,
`fold_diacritics`, `squash`, `folded`), syllables and BM25 tokens, phrase matches against the data
files in `vi/data/` (abbreviations, places, synonyms, question cues, the domain lexicon), document
numbers ("198/KH-UBND"), agency names and sentences. Nothing here knows about plans or indexes.
"""
