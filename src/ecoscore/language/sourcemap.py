"""Where each key of a TOML document stands: key path → (line, column).

tomli reports the position of a syntax error but not where a valid key is, and every
problem the loader finds (an unknown key, a band that overlaps another) must be reported
at its line. This module scans the text once and records the position of every key,
table header and array element, under the same dotted path the loader uses:
``indicator.pm25.bands[1].at_least``. It is best effort: a path it did not see has no
position, and the loader then prints the file and key without a line — never a guess.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping

__all__ = ["key_positions", "path_text"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_\-\u0080-\U0010ffff]+")


def path_text(parts: tuple[str | int, ...]) -> str:
    """Render a key path: ``("indicator", "pm25", "bands", 1)`` → ``indicator.pm25.bands[1]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = part if _BARE_KEY.fullmatch(part) else f'"{part}"'
            text += f".{shown}" if text else shown
    return text


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.positions: dict[str, tuple[int, int]] = {}
        self.array_counts: dict[tuple[str | int, ...], int] = {}

    # -- low-level ---------------------------------------------------------------
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.text[j] if j < len(self.text) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i < len(self.text) and self.text[self.i] == "\n":
                self.line += 1
                self.line_start = self.i + 1
            self.i += 1

    def column(self) -> int:
        return self.i - self.line_start + 1

    def skip_space(self, newlines: bool) -> None:
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.advance()
            else:
                return

    def record(self, path: tuple[str | int, ...], line: int, col: int) -> None:
        self.positions.setdefault(path_text(path), (line, col))

    # -- pieces ----------------------------------------------------------------------
    def string(self) -> str:
        quote = self.peek()
        if self.text.startswith(quote * 3, self.i):
            self.advance(3)
            end = self.text.find(quote * 3, self.i)
            end = len(self.text) if end < 0 else end
            value = self.text[self.i : end]
            self.advance(end + 3 - self.i)
            return value
        self.advance()
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in (quote, "\n"):
            if quote == '"' and self.text[self.i] == "\\":
                self.advance()
            self.advance()
        value = self.text[start : self.i]
        self.advance()
        if quote == '"':
            with contextlib.suppress(UnicodeDecodeError, UnicodeEncodeError):
                value = value.encode("latin-1", "backslashreplace").decode("unicode_escape")
        return value

    def key(self) -> tuple[list[str], int, int]:
        parts: list[str] = []
        line, col = self.line, self.column()
        while True:
            self.skip_space(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                m = _BARE_KEY.match(self.text, self.i)
                if not m:
                    break
                parts.append(m.group())
                self.advance(m.end() - self.i)
            self.skip_space(newlines=False)
            if self.peek() == ".":
                self.advance()
                continue
            break
        return parts, line, col

    def value(self, path: tuple[str | int, ...]) -> None:
        self.skip_space(newlines=False)
        c = self.peek()
        if c == "{":
            self.advance()
            self.inline_table(path)
        elif c == "[":
            self.advance()
            self.array(path)
        elif c in ('"', "'"):
            self.string()
        else:
            while self.i < len(self.text) and self.text[self.i] not in ",]}\n#":
                self.advance()

    def inline_table(self, path: tuple[str | int, ...]) -> None:
        while self.i < len(self.text):
            self.skip_space(newlines=True)
            if self.peek() == "}":
                self.advance()
                return
            if self.peek() == ",":
                self.advance()
                continue
            parts, line, col = self.key()
            if not parts:
                self.advance()
                continue
            for k in range(1, len(parts) + 1):
                self.record((*path, *parts[:k]), line, col)
            self.skip_space(newlines=False)
            if self.peek() == "=":
                self.advance()
                self.value((*path, *parts))

    def array(self, path: tuple[str | int, ...]) -> None:
        index = 0
        while self.i < len(self.text):
            self.skip_space(newlines=True)
            c = self.peek()
            if c == "]":
                self.advance()
                return
            if c == ",":
                self.advance()
                index += 1
                continue
            self.record((*path, index), self.line, self.column())
            self.value((*path, index))

    def document(self) -> dict[str, tuple[int, int]]:
        table: tuple[str | int, ...] = ()
        while self.i < len(self.text):
            self.skip_space(newlines=True)
            if self.i >= len(self.text):
                break
            line, col = self.line, self.column()
            if self.peek() == "[":
                is_array = self.peek(1) == "["
                self.advance(2 if is_array else 1)
                parts, _, _ = self.key()
                self.advance(2 if is_array else 1)
                table = tuple(parts)
                if is_array:
                    n = self.array_counts.get(table, 0)
                    self.array_counts[table] = n + 1
                    self.record(table, line, col)
                    table = (*table, n)
                for k in range(1, len(table) + 1):
                    self.record(table[:k], line, col)
                continue
            parts, line, col = self.key()
            if not parts:
                # Not a key: skip the line; tomli has already judged the syntax.
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.advance()
                continue
            for k in range(1, len(parts) + 1):
                self.record((*table, *parts[:k]), line, col)
            self.skip_space(newlines=False)
            if self.peek() == "=":
                self.advance()
                self.value((*table, *parts))
        return self.positions


def key_positions(text: str) -> Mapping[str, tuple[int, int]]:
    """Map each key path in a TOML document to the 1-based (line, column) where it stands."""
    return _Scanner(text).document()
