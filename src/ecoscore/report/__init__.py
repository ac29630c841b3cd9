"""Reports of results for people: terminal text, Markdown, HTML (with its chart), XLSX, CSV.

Also the criteria's outline as ``ecoscore check`` prints it and the blank submission form
(``template``). ``words`` holds every fixed word in Chinese and English, ``common`` what
the renderers share (exact numbers, grade colours, the tree in display order). A renderer
reads ``ecoscore.results`` values and never recomputes a number.
"""
