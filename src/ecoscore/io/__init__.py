"""Input and output at the edges: spreadsheets in and out (CSV, XLSX, JSON), and reports."""
