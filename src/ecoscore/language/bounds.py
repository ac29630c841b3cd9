"""The checks a criteria file passes before it is parsed: its bytes, its text, its nesting.

Each returns the problems it finds, located at a line and column where the file has one
(``criteria.toml:3:7``), so that the loader can stop before tomli or the walk is asked to
read what would exhaust it: a file of gigabytes, a binary, an array nested 10,000 deep.
Ids are judged here too, since an id that is not an ASCII identifier is refused the same
way wherever it stands.
"""

from __future__ import annotations

import codecs
import keyword
import re
import unicodedata

from ecoscore.errors import Location, Problem
from ecoscore.limits import Limits, size_text

__all__ = ["decode_criteria", "id_problem", "nesting_problem", "parser_failure", "text_problems"]

# A TOML string, comment or bracket: what the nesting scan needs to tell apart.
_TOKEN = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
# Characters that show as nothing: a zero-width space, joiners, a BOM inside the text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: Names an id cannot take: Python's keywords and the words of the expression language.
RESERVED = frozenset({*keyword.kwlist, "true", "false", "previous", "class_of"})


def decode_criteria(
    data: bytes, source: str, limits: Limits, *, size: int = 0
) -> tuple[str | None, list[Problem]]:
    """The text of a criteria file's bytes, or ``None`` and the problem: too large (``size``
    is the file's, when known), binary, UTF-16, or not UTF-8 (located at the line and
    column of the first bad byte)."""
    size = max(size, len(data))
    if size > limits.criteria_bytes:
        return None, [_too_large(size, source, limits)]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(data) >= 2 and (data[0] == 0) != (data[1] == 0)
    ):
        return None, [
            Problem(
                "UTF-16 text, not UTF-8",
                Location(source, 1, 1),
                "save the file as UTF-8 (in Notepad: Save as, Encoding UTF-8)",
            )
        ]
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        return None, [
            Problem(
                "a binary file, not TOML text (a NUL byte)",
                Location(source, line, column),
                "a criteria file is a text file (.toml) saved as UTF-8",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        hint = "save the file as UTF-8"
        try:
            data.decode("gb18030")
            hint = "it reads as GBK (GB18030): save the file as UTF-8"
        except UnicodeDecodeError:
            pass
        return None, [
            Problem(
                f"not UTF-8 text (byte {error.start})",
                Location(source, line, column),
                hint,
            )
        ]
    return text, []


def text_problems(text: str, source: str, limits: Limits) -> list[Problem]:
    """What is wrong with a criteria text before tomli reads it: too large, empty, or
    arrays and inline tables nested deeper than ``limits.toml_depth``."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.criteria_bytes:
        return [_too_large(size, source, limits)]
    if not text.strip():
        return [
            Problem(
                "the criteria file is empty",
                Location(source, 1, 1),
                "it starts with ecoscore = 1, id = …, title = …",
            )
        ]
    depth = 0
    for match in _TOKEN.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limits.toml_depth:
                return [
                    Problem(
                        f"arrays or tables nested more than {limits.toml_depth} deep",
                        _at(text, match.start(), source),
                    )
                ]
        elif bracket in "]}":
            depth = max(0, depth - 1)
    return []


_LONG_INTEGER = re.compile(r"(?<![\w.])[+-]?\d[\d_]{4000,}")
# A key of many dotted parts (a.b.c.d.e.f.g.h.i); a number has one dot at most.
_DOTTED = re.compile(r"(?:[\w-]+[ \t]*\.[ \t]*){8,}[\w-]+")


def nesting_problem(
    document: dict[str, object], text: str, source: str, limits: Limits
) -> Problem | None:
    """A problem when the parsed document nests tables and arrays deeper than
    ``limits.toml_depth`` (dotted keys nest without a bracket: ``a.b.c = 1``)."""
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        value, level = stack.pop()
        if level > limits.toml_depth:
            return _too_nested(text, source, limits)
        if isinstance(value, dict):
            stack.extend((child, level + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, level + 1) for child in value)
    return None


def _too_nested(text: str, source: str, limits: Limits) -> Problem:
    deepest = max(_DOTTED.finditer(text), key=lambda m: m.group().count("."), default=None)
    where = Location(source, 1, 1) if deepest is None else _at(text, deepest.start(), source)
    return Problem(
        f"keys or tables nested more than {limits.toml_depth} deep (a.b.c … with too many parts)",
        where,
    )


def parser_failure(text: str, source: str, error: Exception, limits: Limits) -> Problem:
    """The problem behind an exception tomli is not meant to raise, located where the
    text shows its cause: an integer too long for Python to read (``ValueError``), or
    keys dotted more deeply than tomli's recursion allows (``RecursionError``)."""
    if isinstance(error, ValueError):
        found = _LONG_INTEGER.search(text)
        where = Location(source, 1, 1) if found is None else _at(text, found.start(), source)
        return Problem(
            "a whole number too long to read (more than 4,000 digits)",
            where,
            "a figure or a bound has at most 34 significant digits",
        )
    return _too_nested(text, source, limits)


def _at(text: str, offset: int, source: str) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(source, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def id_problem(name: str) -> tuple[str, str | None] | None:
    """Why ``name`` is not an id (an ASCII identifier, not a reserved word), with a
    suggestion; ``None`` when it is one."""
    if _IDENTIFIER.fullmatch(name) and name not in RESERVED:
        return None
    if name in RESERVED:
        return f"{name!r} is a reserved word, not an id", f"did you mean {name + '_'!r}?"
    suggestion = _suggest(name)
    hint = f"did you mean {suggestion!r}?" if suggestion else None
    shown = ascii(name) if any(c.isspace() or not c.isprintable() for c in name) else repr(name)
    why = "an id is ASCII letters, digits and _, and does not start with a digit"
    return f"{shown} is not an id: {why}", hint or "the Chinese name goes in zh = …"


def _suggest(name: str) -> str | None:
    # Full-width letters and digits (ｐｍ25) fold to ASCII; invisible characters go;
    # spaces and dashes become _; a leading digit gets a _ before it.
    folded = unicodedata.normalize("NFKC", name).translate(_INVISIBLE).strip()
    folded = re.sub(r"[\s\-.]+", "_", folded)
    if folded[:1].isdigit():
        folded = "_" + folded
    if _IDENTIFIER.fullmatch(folded) and folded not in RESERVED:
        return folded
    return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _too_large(size: int, source: str, limits: Limits) -> Problem:
    return Problem(
        f"the criteria file is {size_text(size)}, more than the limit of "
        f"{size_text(limits.criteria_bytes)}",
        Location(source),
        "see docs/limits.md: Limits(criteria_bytes=…) raises it",
    )
