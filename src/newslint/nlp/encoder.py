"""Sentence and token encoder backed by an int8 ONNX export of all-MiniLM-L6-v2.

The packaged model (``newslint/nlp/models/encoder/``) is produced by
``python scripts/export_encoder.py``.  The ONNX graph returns the token-level
``last_hidden_state``; mean pooling and L2 normalisation happen here in numpy,
so the same forward pass serves both sentence embeddings
(:meth:`Encoder.encode`) and token features for token-classification heads
(:meth:`Encoder.encode_tokens`).

The shipped graph is fine-tuned in place (``scripts/finetune_encoder.py``
whole-encoder mode, exported with ``--finetuned``): still one output and one
pass, its sentence vectors kept close to the original model's.

A graph exported with a fine-tuned task branch (``scripts/finetune_encoder.py``)
has a second output, ``task_hidden_state``: the shared lower layers run once and
feed both the original top layers (whose states give the unchanged sentence
embeddings) and fine-tuned copies of them (whose states the technique heads
read).  :meth:`Encoder.encode` asks only for ``last_hidden_state``, but ONNX
Runtime still runs the whole graph: measured, a two-layer branch makes
``encode`` as slow as ``encode_tokens`` (about 1.33x the plain model), so such
a graph is not shipped (see the technique model card).

Reproducibility (issue 20): a text's vectors depend on the text alone, on every AVX2 CPU.
The graph quantises each token's activations with its own scale (symmetric 8-bit, per token)
against 7-bit per-channel weights, so ONNX Runtime's u8s8 integer kernels cannot saturate on
CPUs without VNNI (AVX2's ``vpmaddubsw`` adds pairs of u8 x s8 products into int16), and it
computes softmax from ReduceMax/Exp/ReduceSum/Div, whose kernels are the same on AVX2 and
AVX-512 (ONNX Runtime's fused Softmax is not).  Texts are batched only with texts of
the same token length, so nothing is ever padded: measured, a text's states are then
bit-identical whatever its batch mates, the thread count or the CPU among those with AVX2 and
FMA (AVX-512 with VNNI and AMX natively, AVX2 under ``qemu-x86_64 -cpu Haswell``).  CPUs without
FMA (SSE4.2 only, before 2013) differ in the last bits of the float kernels (MatMul, LayerNorm,
Exp, Erf) and so in the states (cosine >= 0.998); see MODEL_CARD.md and
``scripts/requantise_encoder.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

__all__ = ["Encoder", "TokenStates", "default_model_dir"]

MODEL_FILENAME: Final = "model.onnx"
TOKENIZER_FILENAME: Final = "tokenizer.json"
EMBEDDING_DIM: Final = 384
DEFAULT_MAX_LENGTH: Final = 256
_MAX_POSITIONS: Final = 512
_OUTPUT_NAME: Final = "last_hidden_state"
_TASK_OUTPUT_NAME: Final = "task_hidden_state"
_EXPORT_HINT: Final = "run `python scripts/export_encoder.py` from the repository root to create it"

FloatArray = npt.NDArray[np.float32]


def default_model_dir() -> Path:
    """Return the folder holding the packaged encoder (``model.onnx``, ``tokenizer.json``)."""
    return Path(__file__).resolve().parent / "models" / "encoder"


@dataclass(frozen=True, eq=False)
class TokenStates:
    """Token-level encoder output for one text.

    Attributes:
        hidden: float32 array ``[n_tokens, 384]`` of final hidden states, padding
            removed, ``[CLS]`` first and ``[SEP]`` last.
        offsets: one ``(start, end)`` character span into the original text per
            token; ``(0, 0)`` for the special tokens.
        sentence: float32 array ``[384]``, the mean-pooled, L2-normalised
            sentence vector (identical to what :meth:`Encoder.encode` returns
            for the text, whatever it is batched with).
        task: float32 array ``[n_tokens, 384]`` of the fine-tuned task branch's
            states (same rows as ``hidden``), or ``None`` when the model has no
            task branch.
    """

    hidden: FloatArray
    offsets: list[tuple[int, int]]
    sentence: FloatArray
    task: FloatArray | None = None


class Encoder:
    """ONNX Runtime wrapper around the packaged MiniLM sentence encoder.

    Loads the ONNX session and the tokenizer once; instances are safe to share
    between threads for inference (no state is mutated after ``__init__``).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        intra_op_num_threads: int = 1,
        max_length: int = DEFAULT_MAX_LENGTH,
    ) -> None:
        """Load the model.

        Args:
            model_dir: folder containing ``model.onnx`` and ``tokenizer.json``;
                defaults to :func:`default_model_dir`.
            intra_op_num_threads: ONNX Runtime intra-op threads (``0`` lets ONNX
                Runtime choose).
            max_length: truncation length in tokens, special tokens included.

        Raises:
            FileNotFoundError: if the model or tokenizer file is missing.
            ValueError: on an invalid thread count or ``max_length``.
        """
        if intra_op_num_threads < 0:
            raise ValueError(f"intra_op_num_threads must be >= 0, got {intra_op_num_threads}")
        if not 2 < max_length <= _MAX_POSITIONS:
            raise ValueError(f"max_length must be in 3..{_MAX_POSITIONS}, got {max_length}")
        directory = Path(model_dir) if model_dir is not None else default_model_dir()
        model_path = directory / MODEL_FILENAME
        tokenizer_path = directory / TOKENIZER_FILENAME
        if not model_path.is_file():
            raise FileNotFoundError(f"encoder model not found at {model_path}; {_EXPORT_HINT}")
        if not tokenizer_path.is_file():
            raise FileNotFoundError(
                f"encoder tokenizer not found at {tokenizer_path}; {_EXPORT_HINT}"
            )

        self._model_dir: Final = directory
        self._max_length: Final = max_length

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The upstream tokenizer.json pads to a fixed 128 and truncates at 128;
        # padding is done per batch below and truncation follows the
        # sentence-transformers setting (256).
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer: Final = tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_num_threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: Final = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names: Final = frozenset(i.name for i in self._session.get_inputs())
        output_names = [o.name for o in self._session.get_outputs()]
        if _OUTPUT_NAME not in output_names:
            raise ValueError(
                f"{model_path} has no '{_OUTPUT_NAME}' output (outputs: {output_names})"
            )
        self._has_task: Final = _TASK_OUTPUT_NAME in output_names

    @classmethod
    def default_model_dir(cls) -> Path:
        """Return the packaged model folder (same as the module-level function)."""
        return default_model_dir()

    @property
    def dim(self) -> int:
        """Embedding dimension (384)."""
        return EMBEDDING_DIM

    @property
    def model_dir(self) -> Path:
        """Folder the model was loaded from."""
        return self._model_dir

    @property
    def has_task_branch(self) -> bool:
        """Whether the model has the fine-tuned ``task_hidden_state`` output."""
        return self._has_task

    @property
    def max_length(self) -> int:
        """Truncation length in tokens, special tokens included."""
        return self._max_length

    def encode(self, texts: Sequence[str], batch_size: int = 8) -> FloatArray:
        """Embed texts as mean-pooled, L2-normalised float32 vectors ``[n, 384]``.

        Texts are sorted by token count before batching (less padding) and
        the result is returned in input order.  Empty input gives ``(0, 384)``.
        """
        texts = _as_text_list(texts)
        _check_batch_size(batch_size)
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        for idx in _length_sorted_batches(encodings, batch_size):
            (hidden,), mask = self._forward([encodings[i] for i in idx], (_OUTPUT_NAME,))
            out[idx] = _mean_pool_normalise(hidden, mask)
        return out

    def encode_tokens(self, texts: Sequence[str], batch_size: int = 8) -> list[TokenStates]:
        """Return per-token hidden states, character offsets and sentence vectors.

        One :class:`TokenStates` per input text, in input order.  Texts longer
        than ``max_length`` tokens are truncated; their offsets cover only the
        encoded prefix.
        """
        texts = _as_text_list(texts)
        _check_batch_size(batch_size)
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        results: list[TokenStates | None] = [None] * len(texts)
        names = (_OUTPUT_NAME, _TASK_OUTPUT_NAME) if self._has_task else (_OUTPUT_NAME,)
        for idx in _length_sorted_batches(encodings, batch_size):
            batch = [encodings[i] for i in idx]
            outputs, mask = self._forward(batch, names)
            hidden = outputs[0]
            task = outputs[1] if len(outputs) > 1 else None
            sentences = _mean_pool_normalise(hidden, mask)
            for row, (i, enc) in enumerate(zip(idx.tolist(), batch, strict=True)):
                n_tokens = len(enc.ids)
                offsets = [
                    (0, 0) if special else (int(start), int(end))
                    for (start, end), special in zip(
                        enc.offsets, enc.special_tokens_mask, strict=True
                    )
                ]
                results[i] = TokenStates(
                    hidden=np.ascontiguousarray(hidden[row, :n_tokens]),
                    offsets=offsets,
                    sentence=sentences[row],
                    task=None if task is None else np.ascontiguousarray(task[row, :n_tokens]),
                )
        return [r for r in results if r is not None]

    def _forward(
        self, batch: Sequence[Encoding], names: Sequence[str]
    ) -> tuple[list[FloatArray], npt.NDArray[np.int64]]:
        """Run the model on one batch (padding to the longest encoding in it) for ``names``."""
        seq_len = max(len(enc.ids) for enc in batch)
        input_ids = np.zeros((len(batch), seq_len), dtype=np.int64)
        attention_mask = np.zeros((len(batch), seq_len), dtype=np.int64)
        token_type_ids = np.zeros((len(batch), seq_len), dtype=np.int64)
        for row, enc in enumerate(batch):
            n = len(enc.ids)
            input_ids[row, :n] = enc.ids
            attention_mask[row, :n] = enc.attention_mask
            token_type_ids[row, :n] = enc.type_ids
        feeds = {
            name: value
            for name, value in (
                ("input_ids", input_ids),
                ("attention_mask", attention_mask),
                ("token_type_ids", token_type_ids),
            )
            if name in self._input_names
        }
        outputs = self._session.run(list(names), feeds)
        return [np.asarray(o, dtype=np.float32) for o in outputs], attention_mask


def _as_text_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    result = list(texts)
    for text in result:
        if not isinstance(text, str):
            raise TypeError(f"texts must contain only str, got {type(text).__name__}")
    return result


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")


def _length_sorted_batches(
    encodings: Sequence[Encoding], batch_size: int
) -> list[npt.NDArray[np.intp]]:
    """Indices of ``encodings`` grouped into batches of equal token length, shortest first.

    Texts of different lengths never share a batch, so no row is padded and a text's output
    does not depend on what else is being encoded (padding changes the summation order of the
    softmax over the padded length).
    """
    lengths = np.fromiter((len(enc.ids) for enc in encodings), dtype=np.int64, count=len(encodings))
    order = np.argsort(lengths, kind="stable")
    batches: list[npt.NDArray[np.intp]] = []
    start = 0
    while start < len(order):
        end = start + 1
        while (
            end < len(order)
            and end - start < batch_size
            and (lengths[order[end]] == lengths[order[start]])
        ):
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


def _mean_pool_normalise(hidden: FloatArray, mask: npt.NDArray[np.int64]) -> FloatArray:
    """Mean over unmasked tokens then L2 normalisation (as sentence-transformers does).

    Summed in float64: numpy's float32 reductions take CPU-specific SIMD paths, whose last bits
    differ; rounded back to float32 from float64 the vectors are the same on every CPU.
    """
    weights = mask.astype(np.float64)[:, :, None]
    summed = (hidden.astype(np.float64) * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled = summed / counts
    norms = np.sqrt((pooled * pooled).sum(axis=1, keepdims=True))
    normalised: FloatArray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
    return normalised
