"""Find the clause: understand the question once, then filter, rank and fuse.

In: a question (and earlier questions of the conversation) and an `IndexBundle`. Out: a
`Retrieval` — the `QueryInfo` the question was analysed into (provinces, document numbers, years,
intent, topic, with their spans) and the ranked `Hit`s. `analysis` reads the question,
`followup` makes an elliptical question standalone, `retriever` filters by what the question names
and fuses BM25 with dense ranks (`fusion`), optionally reranked (`rerank`).
"""
