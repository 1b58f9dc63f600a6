"""The board's models live in their own modules; imported here so Django finds them."""

from board.pack.models import BoardPack, PackStatus

__all__ = ["BoardPack", "PackStatus"]
