"""The manifest of a run: what went in and how, so that it can be repeated and compared.

A manifest names the criteria and every data file with its SHA-256, the ecoscore
version, the versions of Python and of the libraries that read the inputs, and every
setting of the command line. It holds no time stamp unless one is asked for, so the same
command on the same files gives the same manifest byte for byte::

    {"format": "ecoscore-manifest/1",
     "command": "score",
     "ecoscore": "0.1.0",
     "python": "3.11.7",
     "libraries": {"openpyxl": "3.1.5", "simpleeval": "1.0.8", "tomli": "2.5.0"},
     "criteria": {"path": "criteria.toml", "sha256": "…"},
     "data": {"path": "data.xlsx", "sha256": "…"},
     "previous": [{"path": "2023.xlsx", "sha256": "…"}],
     "settings": {"lang": "zh", "sheet": null, "encoding": null, …}}

Paths are written as they were given, so a manifest does not depend on where the files
happen to live; the hashes say whether they are the same files.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import os
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ecoscore._version import __version__

__all__ = ["FORMAT", "build_manifest", "file_entry", "sha256_of"]

#: The name and version of the manifest form.
FORMAT = "ecoscore-manifest/1"

# The libraries whose behaviour can change what is read or computed.
_LIBRARIES = ("openpyxl", "simpleeval", "tomli")


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, in hex; raises ``OSError``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: str | os.PathLike[str]) -> dict[str, str]:
    """``{"path": <as given>, "sha256": <hex>}`` for one input file."""
    return {"path": Path(path).as_posix(), "sha256": sha256_of(path)}


def _library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def build_manifest(
    *,
    command: str,
    criteria: str | os.PathLike[str],
    data: str | os.PathLike[str] | None = None,
    previous: Sequence[str | os.PathLike[str]] = (),
    settings: Mapping[str, Any] | None = None,
    stamp: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The manifest of one run, as JSON-ready data; hashes every file named.

    ``stamp`` adds a ``"created"`` time (ISO 8601, UTC); without it the manifest is the
    same for the same inputs and settings.
    """
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "command": command,
        "ecoscore": __version__,
        "python": platform.python_version(),
        "libraries": _library_versions(),
        "criteria": file_entry(criteria),
        "data": None if data is None else file_entry(data),
        "previous": [file_entry(p) for p in previous],
        "settings": dict(sorted((settings or {}).items())),
    }
    if stamp is not None:
        manifest["created"] = stamp.astimezone(datetime.timezone.utc).isoformat()
    return manifest
