"""The process that reads and prepares an import's next batch while the run writes this one
(``base.Ahead``). Importable before Django is set up: the importer comes pickled and is
unpickled once the worker has set Django up (its module defines models)."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pitboard.importers.base import Importer, Member
    from pitboard.importers.files import InputFile

_importer: Importer | None = None


def start(importer: bytes) -> None:
    import django

    django.setup()
    global _importer
    _importer = pickle.loads(importer)


def read_batch(items: list[InputFile]) -> list[Member] | None:
    assert _importer is not None, "the worker was not started"
    return _importer.read_batch(items, ahead=True)
