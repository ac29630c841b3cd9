"""Files at the edges: submission spreadsheets read into located cells and checked
submissions, and output files written safely.

``tables`` reads CSV, XLSX (through ``workbook``, the one module that imports openpyxl)
and JSON (``json_table``) into ``grid`` tables of text cells; ``cells`` reads a cell's
text as people type it; ``columns`` matches headers and unit names to the criteria;
``submissions`` turns a table into each period's ``Submission`` values. ``atomic`` writes
outputs atomically and never over an input; ``manifest`` records what went into a run.
"""
