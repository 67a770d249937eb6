"""Load → parse → chunk: a plan file becomes clause-sized chunks that know where they stand.

In: a file in corpus/ (.txt, .md, .docx, .pdf) and its optional `<doc_id>.meta.json`.
Out: a `ParsedDocument` (header, sections I./1./1.1./a)/Điều/Phụ lục, bullets, table rows,
signature, metadata) and its `Chunk`s, each with a heading path, a citation label and offsets.
`lines` holds the line-shape grammar (list markers, headings) every parser shares.
"""
