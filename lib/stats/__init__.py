"""Statistics with no knowledge of the book: proportions and their comparison, SPC, disclosure control.

Pure: these modules import nothing of the project but :mod:`lib.errors`.
"""
