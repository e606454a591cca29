"""Leaders files: the neutral report, the workbook, CSV and JSON, charts, streaming and the worker."""
