"""Staffing: Erlang queueing, shift rostering, control-room demand, and the two staffing chapters' models."""
