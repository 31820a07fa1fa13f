"""The ``st:MODEL`` encoder (sentence-transformers, the ``st`` extra), on a tiny model built here
with random weights: nothing comes from the network. Vectors, the ``align`` command end to
end, and the messages for a missing model, an unusable device and a missing package."""

from __future__ import annotations

import importlib.util
import string
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from aligner_cli.common import OK, USAGE
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner import st
from aligner.encode import MAX_CHARS, get_encoder
from aligner.errors import ConfigError
from aligner.export.links import read_links

from .conftest import EN_SEED, IT_SEED

# Skipped without importing the package: importing sentence-transformers takes 15-25 s, which
# pytest.importorskip would spend while collecting every run, the quick one included.
if importlib.util.find_spec("sentence_transformers") is None:
    pytest.skip("the 'st' extra (sentence-transformers) is not installed", allow_module_level=True)

# Slow: the first of these tests imports sentence-transformers and torch (15-25 s on 2 cores).
pytestmark = pytest.mark.slow

runner = CliRunner()
#: Width of the tiny model's vectors.
DIM = 32
#: Its WordPiece vocabulary: special tokens, letters (whole and as word pieces) and a few words.
CHARS = string.ascii_lowercase + string.digits + "àèéìòùç.,;:!?'\"()-–«»’%/&"
WORDS = "il la le di che e un una per in del della non the of and to a is that for on was".split()  # noqa: SIM905
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *CHARS, *(f"##{c}" for c in CHARS), *WORDS]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sentence-transformers model (2 BERT layers of width 32, mean pooling) saved with
    ``SentenceTransformer.save()``; its weights are random, from a fixed seed."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:  # sentence_transformers.models warns that it moved here in 5.4
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:
        from sentence_transformers.models import Pooling, Transformer

    root = tmp_path_factory.mktemp("st")
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(dict.fromkeys(VOCAB)) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(dict.fromkeys(VOCAB)),
        hidden_size=DIM,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
    )
    BertModel(config).save_pretrained(root / "hf")
    BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True).save_pretrained(root / "hf")
    modules = [Transformer(str(root / "hf"), max_seq_length=128), Pooling(DIM, "mean")]
    SentenceTransformer(modules=modules, device="cpu").save(str(root / "tiny"))
    return root / "tiny"


def _align(*args: str):
    return runner.invoke(app, ["align", str(IT_SEED), str(EN_SEED), "--format", "links", *args])


def test_vectors_are_unit_rows_of_the_models_width_the_same_each_time(tiny: Path) -> None:
    enc = get_encoder(f"st:{tiny}", "cpu")
    assert (enc.key, enc.dim, enc.languages) == (f"st:{tiny}", DIM, None)
    assert enc.name.startswith(f"st:{tiny}(sentence-transformers-")
    texts = ["Il governo ha approvato la legge.", "The government passed the law.", ""]
    vectors = enc.encode(texts)
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, DIM)
    again = st.SentenceTransformerEncoder(str(tiny), "cpu").encode(texts[::-1])[::-1]
    assert np.allclose(vectors, again, atol=1e-6)


def test_texts_are_cut_at_max_chars(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = get_encoder(f"st:{tiny}", "cpu").inner
    seen: list[list[str]] = []

    def encode(texts: list[str], **_: object) -> np.ndarray:
        seen.append(texts)
        return np.ones((len(texts), DIM), dtype=np.float32)

    monkeypatch.setattr(inner._model, "encode", encode)
    inner.encode(["x" * (MAX_CHARS + 500), "short"])
    assert [len(t) for t in seen[0]] == [MAX_CHARS, 5]


def test_align_command_end_to_end(tiny: Path) -> None:
    res = _align("--encoder", f"st:{tiny}", "--device", "cpu")
    assert res.exit_code == OK, res.output
    lines = res.stdout.splitlines()
    assert len(lines) >= 10
    links = read_links(lines)  # raises on a line that is not a link line
    assert all(0.0 <= link.score <= 1.0 for link in links)
    # Random weights: which sentences are linked is anyone's guess, but each is in one link.
    src = sorted(i for link in links for i in link.src)
    tgt = sorted(j for link in links for j in link.tgt)
    assert src == list(range(len(src))) and tgt == list(range(len(tgt)))


def test_a_model_that_does_not_exist_is_named(tmp_path: Path) -> None:
    absent = tmp_path / "no-such-model"
    res = _align("--encoder", f"st:{absent}", "--device", "cpu")
    assert res.exit_code == USAGE
    assert f"cannot load the sentence-transformers model '{absent}': there is no such folder" in res.stderr
    assert "SentenceTransformer.save()" in res.stderr
    assert "Traceback" not in res.output


def test_cuda_without_a_gpu_is_a_usage_error(tiny: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    res = _align("--encoder", f"st:{tiny}", "--device", "cuda")
    assert res.exit_code == USAGE
    assert "--device cuda cannot be used: torch sees no CUDA GPU here" in res.stderr
    assert "Traceback" not in res.output


def test_a_device_that_is_no_device() -> None:
    import torch

    with pytest.raises(ConfigError, match="--device gpu0 cannot be used: not a device name"):
        st.pick_device(torch, "gpu0")


@pytest.mark.parametrize(
    ("cuda", "mps", "picked"), [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")]
)
def test_no_device_given_takes_a_gpu_when_one_is_present(cuda: bool, mps: bool, picked: str) -> None:
    torch = SimpleNamespace(
        cuda=SimpleNamespace(is_available=lambda: cuda),
        backends=SimpleNamespace(mps=SimpleNamespace(is_available=lambda: mps)),
    )
    assert st.pick_device(torch, None) == picked


def test_a_missing_package_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "installed", lambda module: False)
    with pytest.raises(ConfigError, match=r'pip install -e "\.\[st\]"'):
        st.SentenceTransformerEncoder("sentence-transformers/LaBSE", "cpu")
