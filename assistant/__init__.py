"""Trợ lý ảo: Vietnamese retrieval-augmented QA over provincial digital-transformation plans.

The pipeline reads top to bottom in the subpackages, each depending only on those above it:

- `vi`          Vietnamese text: normalisers, tokens, phrase lexicons, document numbers, sentences.
- `ingest`      load → parse → chunk: a plan file becomes clause-sized `Chunk`s with heading paths.
- `indexing`    BM25 and FAISS indexes over the chunks, stored under index/ with a manifest.
- `retrieve`    question analysis, follow-ups, filtering, BM25 + dense ranking and fusion → `Hit`s.
- `answer`      the extractive (or generative) answerer: quote the clause, cite it, or refuse.
- `pipeline`    the `Assistant` object tying them together, shared by the CLI, the API and eval.
- `api`, `cli`  the HTTP server (chat page, widget, JSON) and the `assistant` command.
- `evaluation`  datasets, metrics, reports and the CI gate.
- `integrations` adapters for other frameworks (LangChain).
"""
