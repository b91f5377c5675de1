"""The compliance chapter: rates with n and intervals, tested changes and control charts."""
