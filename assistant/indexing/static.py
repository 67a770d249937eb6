"""A static (model2vec-style) encoder distilled locally from the configured sentence-transformers model.

Embedding 10^5 chunks with the torch MiniLM on 2 cores takes over an hour (~25 chunks/s). A static
encoder keeps one vector per vocabulary token — the model's own output for that token alone — and
encodes a text as the mean of its tokens' vectors: tens of thousands of chunks a second, no
network, no other model. The table is computed once per model (one forward pass over the
vocabulary, about a minute) and kept as `.npy` in the build cache folder, checked by shape on load.
It loses word order and context, so measure it before trusting it: `benchmarks/bench_scale.py`
prints its speed and retrieval quality against the torch path.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SUFFIX = "+static"
_BATCH = 512


def table_path(folder: Path, model_path: str) -> Path:
    """Where the distilled table of a model is kept (one file per model path)."""
    tag = hashlib.sha256(model_path.encode()).hexdigest()[:12]
    return Path(folder) / f"static-{tag}.npy"


def distill_table(model, tokenizer) -> np.ndarray:
    """One vector per token id: the model's pooled output for `[CLS] token [SEP]`, normalised."""
    import torch

    special = set(tokenizer.all_special_ids)
    vocab = tokenizer.vocab_size
    get_dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    table = np.zeros((vocab, get_dimension()), dtype="float32")
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    transformer = model[0].auto_model
    ids = np.array([i for i in range(vocab) if i not in special])
    with torch.inference_mode():
        for start in range(0, len(ids), _BATCH):
            part = torch.tensor(ids[start:start + _BATCH]).unsqueeze(1)
            inputs = torch.cat([torch.full_like(part, cls_id), part, torch.full_like(part, sep_id)], dim=1)
            hidden = transformer(input_ids=inputs, attention_mask=torch.ones_like(inputs)).last_hidden_state
            table[ids[start:start + _BATCH]] = hidden.mean(dim=1).numpy()  # the model's mean pooling
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    return table / np.maximum(norms, 1e-9)


class StaticEmbedder:
    """Mean of per-token vectors distilled from a sentence-transformers model; same dimension."""

    def __init__(self, model_name: str, model_path: str, cache_folder: Path, *, max_tokens: int = 256) -> None:
        from tokenizers import Tokenizer

        self.name = model_name + SUFFIX
        self.max_tokens = max_tokens
        self._tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_tokens + 2)
        self.table = self._load_or_distill(model_path, Path(cache_folder))
        self.dimension = int(self.table.shape[1])
        self._special = {self._tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]") if self._tokenizer.token_to_id(t) is not None}

    def _load_or_distill(self, model_path: str, folder: Path) -> np.ndarray:
        path = table_path(folder, model_path)
        vocab = self._tokenizer.get_vocab_size()
        try:
            table = np.load(path)
            if table.ndim == 2 and table.shape[0] == vocab and np.isfinite(table).all():
                return table
            log.warning("static table %s has the wrong shape; distilling again", path)
        except (OSError, ValueError):
            pass
        from transformers import AutoTokenizer

        from assistant.indexing.embeddings import load_sentence_transformer

        model = load_sentence_transformer(model_path, "cpu")
        table = distill_table(model, AutoTokenizer.from_pretrained(model_path))
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, table)
        tmp.replace(path)
        return table

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Token counts as a sparse matrix times the table: one BLAS call, not a Python loop per text."""
        from scipy.sparse import csr_matrix

        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        rows, cols = [], []
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            ids = [i for i in encoding.ids if i not in self._special]
            rows += [row] * len(ids)
            cols += ids
        counts = csr_matrix((np.ones(len(cols), dtype="float32"), (rows, cols)), shape=(len(texts), len(self.table)))
        out = np.asarray(counts @ self.table, dtype="float32")  # the mean up to scale; normalised below
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._encode(texts)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)
