"""What every renderer is handed: the bundle's index and the reader's words."""

from __future__ import annotations

from dataclasses import dataclass

from core.records.summary.index import BundleIndex
from core.records.summary.words import Words


@dataclass(frozen=True, slots=True)
class Ctx:
    index: BundleIndex
    words: Words
