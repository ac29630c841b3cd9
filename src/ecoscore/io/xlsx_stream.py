"""The one module that imports XlsxWriter: workbooks written row by row, in constant memory.

The results workbook of a large evaluation has millions of cells. XlsxWriter's
constant-memory mode writes each row out as the next one begins, so memory stays flat
whatever the number of units, and it writes about three times as fast as openpyxl's
write-only mode on ecoscore's rows (``benchmarks/bench_xlsx_writers.py``); it also lets
column widths be set after the rows, so they fit every cell. openpyxl (``workbook.py``)
still reads workbooks and writes the blank submission form, which needs its data
validation and comments.
"""

import re

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

__all__ = [
    "ILLEGAL_CHARACTERS",
    "MAX_ROWS",
    "Format",
    "Workbook",
    "Worksheet",
    "streaming_workbook",
]

#: Rows of a worksheet, the header included ("Worksheet size: 1,048,576 rows", Excel
#: specifications and limits).
MAX_ROWS = 1_048_576

#: Control characters that XML 1.0 (and so a worksheet) cannot hold.
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def streaming_workbook(path: str) -> Workbook:
    """A workbook at ``path`` whose rows are written out one after the other.

    Rows must be written in order; numbers are written as given, texts as texts (never
    read as formulas or numbers).
    """
    return Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
