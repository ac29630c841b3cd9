"""Running a command in a fresh process and reading its time and peak memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time

__all__ = ["run_measured"]


def run_measured(argv: list[str]) -> tuple[float, float, str]:
    """Run ``argv``; its wall time in seconds, its peak resident memory in MiB and its
    standard output. Raises ``RuntimeError`` if it fails.

    ``os.wait4`` reports the resources of that one child (``RUSAGE_CHILDREN`` would give
    the largest of every child so far), so each measure is of one fresh process. Linux
    counts in a child's peak the memory of its parent when it forked: the caller must
    stay small (make large data in a child of its own).
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}):\n{text}")
    return seconds, usage.ru_maxrss / 1024, text  # ru_maxrss is in KiB on Linux
