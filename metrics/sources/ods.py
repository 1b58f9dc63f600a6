"""Placeholder until the source lands."""
