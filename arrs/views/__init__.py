"""ARRS workforce pages."""
