"""Leaders' files and pictures: the workbook, CSV and JSON, and charts, built from a neutral `domain.exports.Report`."""
