"""Pages of a long list: the one shape every paged page and API response uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    count: int

    @classmethod
    def of(cls, count: int, page: int = 1, per_page: int = PER_PAGE) -> Paging:
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        return cls(max(1, page), per_page, count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def offset(self) -> int:
        """Where the page starts; a page past the last starts at the end (an empty page), so a
        huge page number never reaches the database as an offset it cannot hold."""
        return min((self.page - 1) * self.per_page, self.count)

    def window(self, items: list[Any]) -> list[Any]:
        return items[self.offset : self.offset + self.per_page]

    def as_dict(self) -> dict[str, int]:
        return {
            "page": self.page,
            "per_page": self.per_page,
            "count": self.count,
            "pages": self.pages,
        }
