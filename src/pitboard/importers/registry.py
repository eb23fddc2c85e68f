"""The one place importers are registered; built-in ones register the same way as others.

Registration names the class by path, so that listing importers (for ``pitboard --help``)
imports neither pandas nor Django; the class loads when its import runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pitboard.importers.base import Importer


@dataclass(frozen=True)
class Registration:
    name: str  # pitboard import NAME
    path: str  # "module:Class"
    help: str
    source_option: bool  # True: takes --source DIR_OR_URL with a default; False: a FILE argument
    target_help: str
    selects: bool = False  # takes --series SLUG,… and --seasons A-B (Importer.select)

    def load(self) -> type[Importer]:
        module, _, cls = self.path.partition(":")
        loaded: type[Importer] = getattr(import_module(module), cls)
        return loaded


IMPORTERS: dict[str, Registration] = {}


def register(registration: Registration) -> None:
    IMPORTERS[registration.name] = registration


register(
    Registration(
        "nascar",
        "pitboard.importers.nascar:NascarImporter",
        "NASCAR Cup, NXS and Truck results from nascaR.data",
        True,
        "folder with cup, nxs, truck (.parquet or .csv), one such file, or a base URL "
        "(default: $PITBOARD_NASCAR_SOURCE, else https://nascar.kylegrealis.com)",
    )
)
register(
    Registration(
        "results",
        "pitboard.importers.results_format:ResultsFormatImporter",
        "results in pitboard's generic format (CSV or JSON; see docs/results-format.md)",
        False,
        "a .csv or .json file",
    )
)
register(
    Registration(
        "racing-reference",
        "pitboard.importers.racing_reference:RacingReferenceImporter",
        "ARCA, East, West, regional tours, Pinty's, Mexico… from racing-reference.info",
        True,
        "folder of series folders (<series>/race_results, <series>/schedule) or the base URL "
        "(default: $PITBOARD_RACING_REFERENCE_SOURCE, else armstjc/racing-data-repository on "
        "GitHub)",
        selects=True,
    )
)
