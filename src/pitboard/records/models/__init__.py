"""The results database: every table pitboard keeps, one module per part of the sport."""

from pitboard.records.models.identity import IdentityChange, IdentityReview, SlugRedirect
from pitboard.records.models.organization import (
    Championship,
    ChampionshipRace,
    SanctioningBody,
    Season,
    Series,
    SeriesName,
)
from pitboard.records.models.people import (
    Driver,
    Manufacturer,
    ManufacturerAlias,
    Person,
    PersonAlias,
    Team,
    TeamAlias,
)
from pitboard.records.models.provenance import ImportRun, Source
from pitboard.records.models.races import Penalty, Race, Result, Session, SessionResult
from pitboard.records.models.reports import ErrorReport
from pitboard.records.models.standings import CarTally, Milestone, SeasonTally, StandingRow
from pitboard.records.models.statements import (
    Change,
    PersonStatement,
    RaceStatement,
    ResultStatement,
    SourceKey,
)
from pitboard.records.models.tracks import Track, TrackName
from pitboard.records.models.versions import DataVersion

__all__ = [
    "CarTally",
    "Championship",
    "ChampionshipRace",
    "Change",
    "DataVersion",
    "Driver",
    "ErrorReport",
    "IdentityChange",
    "IdentityReview",
    "ImportRun",
    "Manufacturer",
    "ManufacturerAlias",
    "Milestone",
    "Penalty",
    "Person",
    "PersonAlias",
    "PersonStatement",
    "Race",
    "RaceStatement",
    "Result",
    "ResultStatement",
    "SanctioningBody",
    "Season",
    "SeasonTally",
    "Series",
    "SeriesName",
    "Session",
    "SessionResult",
    "SlugRedirect",
    "Source",
    "SourceKey",
    "StandingRow",
    "Team",
    "TeamAlias",
    "Track",
    "TrackName",
]
