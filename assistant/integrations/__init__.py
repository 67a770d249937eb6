"""Adapters that expose the assistant to other frameworks.

In: an `Assistant` (or its retriever). Out: objects those frameworks expect — LangChain's
`BaseRetriever` returning `Document`s with the clause's citation label in their metadata.
"""
