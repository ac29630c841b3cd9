"""Writing output files safely: atomically, and never over an input.

An output is written to a temporary file in the same directory as its target and then
moved over the target with ``os.replace``, so a reader never sees half a file and a
failed run leaves the previous file as it was. The temporary file lives in the target's
directory because a rename is only atomic within one file system.

Before writing, ``refuse_inputs`` compares the target with every input file: the same
resolved path (symbolic links followed) or the same file on disk (a hard link, another
spelling of the path) is refused with a ``UsageError`` (exit code 2). Overwriting the
data a result came from is a mistake no user means to make.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ecoscore.errors import Location, Problem, UsageError

__all__ = ["atomic_path", "open_text", "refuse_inputs", "write_bytes", "write_text"]


def refuse_inputs(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise ``UsageError`` if ``target`` is one of ``inputs`` (by path or on disk)."""
    out = Path(target)
    resolved = out.resolve()
    for item in inputs:
        source = Path(item)
        same = resolved == source.resolve()
        if not same and out.exists() and source.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(out, source)
        if same:
            raise UsageError(
                (
                    Problem(
                        f"refusing to write over the input file {os.fspath(item)}"
                        f" (不会覆盖输入文件)",
                        Location(file=os.fspath(target)),
                        hint="choose another output file name",
                    ),
                )
            )


def _mode_for(target: Path) -> int:
    """The permissions a new file would get, or those of the file being replaced."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        # os.umask can only be read by setting it; set it straight back.
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``target``; on a clean exit it replaces ``target``.

    For writers that want a path (openpyxl's ``Workbook.save``). On an exception the
    temporary file is removed and ``target`` is left untouched. An ``OSError`` names
    ``target``, never the temporary file, and a read-only ``target`` is not replaced,
    as opening it for writing would not.
    """
    final = Path(target)
    if final.exists() and not os.access(final, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(final))
    try:
        # mkstemp creates the file (no race with another writer); the suffix is kept
        # because some writers look at it.
        handle, name = tempfile.mkstemp(
            dir=final.parent, prefix=f".{final.name}.", suffix=f".tmp{final.suffix}"
        )
    except OSError as error:
        raise _about(error, final) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(final))
        os.replace(temporary, final)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError) and error.filename in (name, temporary):
            raise _about(error, final) from None
        raise


def _about(error: OSError, target: Path) -> OSError:
    """The same error, about the target file."""
    return type(error)(error.errno, error.strerror, os.fspath(target))


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as temporary, open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_text(target: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically, with ``\\n`` line ends on every system."""
    write_bytes(target, text.encode(encoding))


@contextlib.contextmanager
def open_text(target: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file to write ``target`` piece by piece; on a clean exit it replaces it.

    For outputs too large to hold as one text (the JSON form of a large evaluation): the
    pieces go to a temporary file next to ``target``, as with ``atomic_path``, and line
    ends are written as given (``\\n`` on every system).
    """
    with atomic_path(target) as temporary, open(temporary, "w", encoding=encoding, newline="") as f:
        yield f
        f.flush()
        os.fsync(f.fileno())
