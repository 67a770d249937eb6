"""Index the chunks: BM25 over Vietnamese tokens and FAISS over sentence embeddings.

In: the chunks of every plan in corpus/ and an embedding model. Out: an `IndexBundle` (documents,
chunks, sparse and dense indexes) stored as plain files plus `manifest.json` under index/, rebuilt
when the corpus, the model or the ingest/Vietnamese-text code changes. `views` says what each index
sees of a chunk; `embeddings` loads any sentence-transformers model offline.
"""
