"""Measure the assistant: datasets in, metrics, reports and a regression gate out.

In: question sets in the format of shared/CONTRACT.md (`dataset`) and an `Assistant`.
Out: retrieval (Recall@k, MRR, nDCG), answer, citation and refusal metrics and latency (`run`),
a Markdown/JSON/PNG report (`report`), and the comparison with eval/baseline.json.
"""
