"""The one module that imports openpyxl: the names the readers and writers use.

Keeping the dependency behind one module means one place to look when openpyxl
changes, and one place that says which of its parts ecoscore relies on.
"""

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "ILLEGAL_CHARACTERS_RE",
    "Alignment",
    "Cell",
    "Comment",
    "DataValidation",
    "Font",
    "InvalidFileException",
    "PatternFill",
    "ReadOnlyWorksheet",
    "Workbook",
    "Worksheet",
    "get_column_letter",
    "load_workbook",
    "quote_sheetname",
]
