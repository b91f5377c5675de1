"""Input files: their contracts, loading and validation, the seeded demo data, and what each file held."""
