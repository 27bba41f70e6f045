"""The model file: a small header (kind, model and scikit-learn versions, fingerprint), then
the pickled model. The header is read first, so a stale file is refused before unpickling it."""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path

import sklearn

# Bump when the model's stored attributes or scoring change: old files must be rebuilt.
# 2: reasons are data (matching.documents.Reason), the everyday-words vocabulary, grades.
# 3: named titles, wish clauses, the student's actions. The header also carries a digest of
# this package's code, so a file written by other code is rebuilt even when no one bumped it.
MODEL_VERSION = 3
KIND = "profmarshrut-matching"
PACKAGE = Path(__file__).resolve().parent


@cache
def code_digest() -> str:
    """A short hash of the matching package's own modules (not its evaluation)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


class ModelError(Exception):
    """The model file is missing, unreadable or not a matching model."""


class StaleModelError(ModelError):
    """The model file was written by another model or scikit-learn version; rebuild it."""


def header(fingerprint: str) -> dict[str, object]:
    """What the file says about itself."""
    return {
        "kind": KIND,
        "version": MODEL_VERSION,
        "sklearn": sklearn.__version__,
        "code": code_digest(),
        "fingerprint": fingerprint,
    }


def write(path: str | Path, model: object, fingerprint: str) -> None:
    """Write the header and ``model`` to ``path``, replacing it atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump(header(fingerprint), f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    # Workers loading meanwhile see the old file or the new one, never half of one.
    tmp.replace(path)


def read(path: str | Path) -> object:
    """The model stored at ``path`` (a trusted file of our own: it is a pickle).

    :raises StaleModelError: when another model or scikit-learn version wrote it.
    :raises ModelError: when it is missing, unreadable or not a model file.
    """
    try:
        with Path(path).open("rb") as f:
            _check(pickle.load(f), path)
            return pickle.load(f)
    except ModelError:
        raise
    except OSError as error:
        raise ModelError(f"cannot read the matching model {path}: {error}") from error
    except Exception as error:  # a damaged pickle fails in many ways; all mean "rebuild it"
        raise ModelError(f"{path} is damaged or not a matching model: {error}") from error


def _check(found: object, path: str | Path) -> None:
    if not isinstance(found, dict) or found.get("kind") != KIND:
        raise ModelError(f"{path} is not a matching model")
    mine = header("")
    if any(found.get(key) != mine[key] for key in ("version", "sklearn", "code")):
        raise StaleModelError(
            f"{path} holds model version {found.get('version')} (scikit-learn "
            f"{found.get('sklearn')}, code {found.get('code')}); this code needs "
            f"{MODEL_VERSION} (scikit-learn {sklearn.__version__}, code {mine['code']}): "
            "rebuild it with `flask --app app matching build`"
        )
