"""The mime types of forcebook's outputs (kept apart so the book's renderer imports nothing heavy)."""

TABLE = "application/vnd.forcebook.table+json"
DOWNLOAD = "application/vnd.forcebook.download+json"
LINKS = "application/vnd.forcebook.links+json"
TEXT = "application/vnd.forcebook.text+json"
CHART = "application/vnd.forcebook.chart+json"
BLOCKS = "application/vnd.forcebook.blocks+json"
