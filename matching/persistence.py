"""Model files: the one place learned models (occupation classifier, ranker) are written and read.

A file is a JSON header — what the model is, its features, the library versions it was built
with, when, on what data and how well it scored — followed by the pickled model. Unpickling runs
code, so a model is loaded only from a folder the caller trusts (the app's instance folder), and
only after its header has been checked against what the caller expects.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

MAGIC = b"JIUYE-MODEL 1\n"
# A pickled scikit-learn model is only guaranteed to load on the versions that wrote it.
LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba")


class ModelRefused(ValueError):
    """A model file that will not be used; the message says why and how to fix it."""


@dataclass(frozen=True)
class ModelMetadata:
    """What a model file holds, readable without unpickling anything."""

    kind: str  # e.g. "occupation-classifier", "ranker"
    feature_names: tuple[str, ...]
    trained_at: str  # ISO 8601, UTC
    libraries: dict[str, str]
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)  # summary of the training data
    sha256: str = ""  # of the pickled model, filled in by save_model

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def library_versions() -> dict[str, str]:
    """Versions of Python (major.minor) and of the libraries a pickled model depends on."""
    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for name in LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def model_metadata(
    kind: str,
    feature_names: Sequence[str],
    *,
    metrics: Mapping[str, Any] | None = None,
    training: Mapping[str, Any] | None = None,
) -> ModelMetadata:
    """Metadata for a model trained now, with this process's library versions."""
    return ModelMetadata(
        kind=kind,
        feature_names=tuple(feature_names),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        libraries=library_versions(),
        metrics=dict(metrics or {}),
        training=dict(training or {}),
    )


def save_model(path: str | Path, model: object, metadata: ModelMetadata) -> ModelMetadata:
    """Write `model` with its metadata (atomically: readers see the old file or the new one)."""
    path = Path(path)
    payload = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    metadata = replace(metadata, sha256=hashlib.sha256(payload).hexdigest())
    header = metadata.as_json().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC)
            out.write(len(header).to_bytes(8, "big"))
            out.write(header)
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return metadata


def _read(path: Path) -> tuple[ModelMetadata, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelRefused(f"no model file at {path}") from None
    if not raw.startswith(MAGIC):
        raise ModelRefused(f"{path} is not a Jiuye model file")
    start = len(MAGIC) + 8
    size = int.from_bytes(raw[len(MAGIC) : start], "big")
    try:
        fields = json.loads(raw[start : start + size].decode("utf-8"))
        fields["feature_names"] = tuple(fields["feature_names"])
        metadata = ModelMetadata(**fields)
    except (ValueError, TypeError, KeyError) as error:
        raise ModelRefused(f"{path} has an unreadable header: {error}") from None
    return metadata, raw[start + size :]


def read_metadata(path: str | Path) -> ModelMetadata:
    """The header of a model file, without loading the model."""
    return _read(Path(path))[0]


def load_model(
    path: str | Path,
    expected_kind: str,
    *,
    expected_features: Sequence[str] | None = None,
    trusted_dir: str | Path | None = None,
) -> tuple[object, ModelMetadata]:
    """The model and its metadata; raises ModelRefused when the file does not match.

    Refused: a path outside `trusted_dir`, another kind of model, other feature names, other
    library versions than this process's, or a payload that is not the one the header describes.
    """
    path = Path(path)
    if trusted_dir is not None and not path.resolve().is_relative_to(Path(trusted_dir).resolve()):
        raise ModelRefused(f"refusing to load a model from outside {trusted_dir}: {path}")
    metadata, payload = _read(path)
    retrain = "; train it again with this version of the code"
    if metadata.kind != expected_kind:
        raise ModelRefused(f"{path} holds a {metadata.kind!r} model, not {expected_kind!r}")
    if expected_features is not None and tuple(expected_features) != metadata.feature_names:
        raise ModelRefused(
            f"{path} was trained on features {list(metadata.feature_names)}, "
            f"this code computes {list(expected_features)}{retrain}"
        )
    current = library_versions()
    differences = [
        f"{name} {version} (now {current.get(name, 'absent')})"
        for name, version in sorted(metadata.libraries.items())
        if current.get(name) != version
    ]
    if differences:
        raise ModelRefused(f"{path} was built with {', '.join(differences)}{retrain}")
    if hashlib.sha256(payload).hexdigest() != metadata.sha256:
        raise ModelRefused(f"{path} is damaged: its model does not match its header{retrain}")
    # the path is trusted (the caller's instance folder) and the header matched
    return pickle.loads(payload), metadata  # noqa: S301
