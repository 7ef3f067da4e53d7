"""Async use-cases: the only code that opens transactions. Inputs are schemas, outputs
read-models plus a `Changes` value."""
