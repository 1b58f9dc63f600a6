"""Imports: the ledger of files loaded, the source base and register, and the readers that
every app's sources share."""
