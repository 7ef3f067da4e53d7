"""Pydantic input schemas (XCreate / XUpdate) and read-models (XRead) the services speak."""
