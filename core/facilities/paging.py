"""One page of a longer list, the shape every "search"/"list" in the registries returns.

Why pages everywhere: a USSD screen holds five lines and an SMS three segments, so nothing that
can grow (facilities in a district, a person's records) is ever returned whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from core.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int  # 1-based
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def check_paging(page: int, page_size: int, *, error_code: str) -> tuple[int, int]:
    """The offset and limit of a 1-based page; `error_code` with `field` when out of range."""
    if type(page) is not int or page < 1:
        raise InvalidInput(error_code, field="page")
    if type(page_size) is not int or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(error_code, field="page_size")
    return (page - 1) * page_size, page_size
