"""The pipeline: build a period (params → facts → notebooks → book), publish versions, provenance, the CLI."""
