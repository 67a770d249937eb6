"""AssistantRetriever is a LangChain retriever over the assistant's own hybrid retrieval."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant.integrations.langchain import AssistantRetriever, format_docs

METADATA_KEYS = {"doc_id", "chunk_id", "section", "label", "score", "start", "end"}


@pytest.mark.parametrize(("question", "doc_id"), [
    ("Mục tiêu kinh tế số của tỉnh Đồng Nai đến năm 2025 là gì?", "dong-nai-kh-198-2022"),
    ("Kế hoạch chuyển đổi số năm 2024 của Bà Rịa - Vũng Tàu giao nhiệm vụ gì cho Sở Thông tin và Truyền thông?",
     "ba-ria-vung-tau-kh-cds-2024"),
    ("Hải Dương đặt mục tiêu gì về chính quyền số?", "hai-duong-kh-780-2022"),
])
def test_invoke_returns_documents_of_the_plan_the_question_names(fast_assistant, question, doc_id):
    docs = AssistantRetriever(source=fast_assistant, k=5).invoke(question)
    assert len(docs) == 5 and all(isinstance(d, Document) for d in docs)
    assert docs[0].metadata["doc_id"] == doc_id
    assert set(docs[0].metadata) == METADATA_KEYS


def test_documents_mirror_the_assistant_search(fast_assistant):
    question = "Tỷ lệ hồ sơ trực tuyến của Thành phố Hồ Chí Minh năm 2025?"
    hits = fast_assistant.search(question, k=4, mode="bm25").hits
    docs = AssistantRetriever(source=fast_assistant, k=4, mode="bm25").invoke(question)
    assert [d.page_content for d in docs] == [h.chunk.text for h in hits]
    first, hit = docs[0].metadata, hits[0]
    assert first == {"doc_id": hit.chunk.doc_id, "chunk_id": hit.chunk.chunk_id, "section": hit.chunk.section,
                     "label": hit.chunk.label, "score": hit.score, "start": hit.chunk.start, "end": hit.chunk.end}
    assert docs[0].id == hit.chunk.chunk_id


def test_wraps_a_bare_hybrid_retriever_and_filters_by_document(fast_assistant):
    retriever = AssistantRetriever(source=fast_assistant.retriever, k=3, doc_ids=["phu-yen-qd-1728-2020"])
    docs = retriever.invoke("chuyển đổi số trong nông nghiệp")
    assert len(docs) == 3 and {d.metadata["doc_id"] for d in docs} == {"phu-yen-qd-1728-2020"}


def test_composes_in_an_lcel_chain(fast_assistant):
    retriever = AssistantRetriever(source=fast_assistant, k=2)
    chain = {"context": retriever | RunnableLambda(format_docs), "question": RunnablePassthrough()} | RunnableLambda(
        lambda x: f"{x['context']}\n\nCâu hỏi: {x['question']}")
    prompt = chain.invoke("Mục tiêu kinh tế số của Đồng Nai đến năm 2025?")
    assert prompt.startswith("[C1] (") and "\n\n[C2] (" in prompt
    assert prompt.endswith("Câu hỏi: Mục tiêu kinh tế số của Đồng Nai đến năm 2025?")


async def _ainvoke(retriever: AssistantRetriever, question: str) -> list[Document]:
    return await retriever.ainvoke(question)


def test_async_invoke_matches_sync(fast_assistant):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    retriever = AssistantRetriever(source=fast_assistant, k=3)
    question = "Đồng Nai phát triển hạ tầng số như thế nào?"
    # A thread of its own: an earlier test (Playwright's sync API) may leave this thread's loop running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        async_docs = pool.submit(asyncio.run, _ainvoke(retriever, question)).result()
    assert async_docs == retriever.invoke(question)
