"""The shapes of the API's documents, as published in its OpenAPI description."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeAlias

from ninja import Field, Schema

from pitboard.core.milestones import Kind
from pitboard.core.rules import ChampionshipKind


class Problem(Schema):
    """Every error: a one-line reason, and for invalid parameters what was wrong with each."""

    detail: str
    errors: list[dict[str, object]] | None = None


class Ref(Schema):
    name: str
    slug: str


class DriverRef(Schema):
    id: str
    name: str
    slug: str


class StatRow(Schema):
    series: str | None
    season: int | None
    track: str | None
    starts: int
    wins: int
    top5: int
    top10: int
    poles: int
    laps: int
    laps_led: int
    avg_start: float | None
    avg_finish: float | None
    best_finish: int | None
    dnf: int
    points: int


class Career(Schema):
    driver: DriverRef
    rows: list[StatRow]
    total: StatRow


class MilestoneRace(Schema):
    """The race a milestone came in: its own series, season and round."""

    series: str
    season: int
    round: int
    name: str
    track: Ref


class TiedRace(Schema):
    """A race that may have come first: the same season, the same day or a date unknown."""

    series: str
    season: int
    round: int
    name: str
    date: str | None


class Milestone(Schema):
    kind: Kind
    series: str | None  # null: over the whole career
    season: int
    round: int  # in *series* (a combination race's round in the series that counts it)
    date: str | None
    race: MilestoneRace
    driver: Ref
    value: int  # the finish; for win_number, the number of the win
    tied_with: list[TiedRace]


class Milestones(Schema):
    driver: DriverRef
    milestones: list[Milestone]


class Cite(Schema):
    n: int  # the number of the source in `sources`
    span: list[int] | None  # [start, end): character offsets into the publication's text


class PersonLink(Schema):
    name: str
    slug: str | None  # a driver's slug; null for people who are not drivers


class StatedPerson(PersonLink):
    id: int  # the person's: GET /api/v1/people/{id}, a page at /people/{id}/ for non-drivers


class _Stated(Schema):
    id: int
    property: str
    label: str
    value: dict[str, Any]
    qualifiers: dict[str, Any]
    rank: Literal["preferred", "normal", "deprecated"]
    rank_reason: str | None
    cites: list[Cite]


class Statement(_Stated):
    other: StatedPerson | None  # the person a relationship names


class Mention(_Stated):
    subject: StatedPerson  # whose statement names this person


class Publication(Schema):
    n: int
    key: str
    title: str
    publisher: str | None
    author: str | None
    url: str | None
    published: str | None
    published_after: str | None  # undated: the range its text allows
    published_before: str | None
    date_note: str | None
    note: str | None  # where the title, author and address come from


class Statements(Schema):
    driver: DriverRef
    statements: list[Statement]
    mentions: list[Mention]
    sources: list[Publication]


class PersonStatements(Schema):
    person: StatedPerson
    statements: list[Statement]
    mentions: list[Mention]
    sources: list[Publication]


class PlaceStatements(Schema):
    """What publications say of a track (its location) or a series (its names)."""

    statements: list[Statement]
    sources: list[Publication]


class LineCounts(Schema):
    starts: int | None
    wins: int | None
    podiums: int | None
    top5: int | None
    top10: int | None
    poles: int | None  # null: the reported summary does not say


class LineSource(Schema):
    key: str
    title: str
    publisher: str | None
    url: str | None


class StatLine(Schema):
    text: str
    counts: LineCounts
    basis: Literal["results", "reported"]
    sources: list[LineSource]


class FirstsTrack(Schema):
    name: str | None
    slug: str | None  # null: a track known only from a report
    country: str | None


class FirstAnswer(Schema):
    driver: PersonLink
    date: str | None
    season: int
    race: dict[str, Any]  # a result's race (id, name, series, season, round) or a reported one
    track: FirstsTrack
    basis: Literal["results", "reported"]
    evidence: list[str]
    sources: list[LineSource]


class FirstsQuery(Schema):
    event: str
    sanction: str | None
    country: str | None
    nationality: str | None
    gender: str | None
    series: str | None


class Firsts(Schema):
    query: FirstsQuery
    answers: list[FirstAnswer]
    missing: list[str]


class Paged(Schema):
    page: int
    per_page: int
    count: int
    pages: int


class DriverListItem(Schema):
    name: str
    slug: str
    starts: int
    wins: int
    first_season: int
    last_season: int


class DriverList(Paged):
    query: str
    series: str | None
    era: str | None
    drivers: list[DriverListItem]


class TeamListItem(Schema):
    name: str
    slug: str
    starts: int
    wins: int
    drivers: int  # different drivers who started for the team or make
    titles: int  # drivers' championships won in its cars, of the filtered series and era
    first_season: int
    last_season: int


class TeamList(Paged):
    series: str | None
    era: str | None
    teams: list[TeamListItem]


class MakeList(Paged):
    series: str | None
    era: str | None
    makes: list[TeamListItem]


class StatedBy(Schema):
    """Where a fact comes from: the source's dataset, its file (and link), the line in it."""

    dataset: str
    citation: str | None = None
    file: str
    link: str | None = None
    row: int | None = None


class DriverFacts(Schema):
    birth_date: str | None = None
    hometown: str | None = None
    nationality: str | None = None  # ISO 3166: a country (CA), or GB-SCT
    nationality_name: str | None = None
    nationality_source: StatedBy | None = None


class Title(Schema):
    """A championship won: ``rules`` where the stored standings crown the driver, ``official``
    where the published champion stands against them."""

    series: str
    season: int
    source: Literal["rules", "official"]


class CarTitle(Schema):
    """A drivers' championship won in a team's or a make's cars: the season's champion made
    most of his starts with it (``source`` as for the driver's ``Title``)."""

    series: str
    season: int
    driver: Ref
    source: Literal["rules", "official"]


class Winner(Schema):
    name: str
    slug: str
    wins: int


class TeamDetail(Schema):
    name: str
    slug: str
    owner: str | None
    total: StatRow
    titles: list[CarTitle]


class MakeDetail(Schema):
    name: str
    slug: str
    total: StatRow
    titles: list[CarTitle]
    winners: list[Winner]  # the drivers with the most wins in its cars, most first


class DriverDetail(Schema):
    id: str
    name: str
    slug: str
    aliases: list[str]
    facts: DriverFacts
    total: StatRow
    titles: list[Title]


class DriverResult(Schema):
    series: str
    season: int
    round: int
    race: str
    track: Ref
    car_number: str
    team: str | None
    team_slug: str | None  # the team's page: /teams/{team_slug}/
    manufacturer: str | None
    manufacturer_slug: str | None  # the make's page: /makes/{manufacturer_slug}/
    start: int | None
    finish: int | None
    laps: int | None
    laps_led: int | None
    status: str
    points: int | None


class DriverResults(Paged):
    driver: DriverRef
    items: list[DriverResult]


class Playoff(Schema):
    seed: int | None
    eliminated_in: str | None


class RealPlace(Schema):
    """Where the real standings rank a competitor, beside a what-if table."""

    position: int
    points: int


class StandingOut(Schema):
    position: int
    points: int
    wins: int
    top5: int
    top10: int
    starts: int
    playoff: Playoff
    source: str
    # Only in a what-if table (?rules=): the real place and the places gained under the rules.
    real: RealPlace | None = None
    change: int | None = None


class DriverStanding(StandingOut):
    driver: str


class OwnerStanding(StandingOut):
    owner: str


class ManufacturerStanding(StandingOut):
    manufacturer: str


class Standings(Schema):
    series: str
    season: int
    after_round: int
    kind: ChampionshipKind
    rules: str
    # Why these rules: the era in force, or the latest rules past every season a rule set
    # names ("no rule set names cup 2027: … applies until a change is recorded").
    rules_why: str
    # Only in a what-if table (?rules=): the rule set of the real standings it is set beside.
    compared_with: str | None = None
    standings: list[DriverStanding] | list[OwnerStanding] | list[ManufacturerStanding]


class TrackFacts(Schema):
    name: str
    slug: str
    layout: str
    surface: str
    length_miles: float | None
    city: str
    region: str
    country: str


class TrackSummary(TrackFacts):
    races: int
    first_season: int | None
    last_season: int | None


class TrackFilters(Schema):
    surface: str | None
    length: str | None
    region: str | None
    country: str | None
    layout: str | None


class TrackList(Schema):
    filters: TrackFilters
    count: int
    tracks: list[TrackSummary]


class TrackName(Schema):
    name: str
    kind: str
    first_year: int | None
    last_year: int | None


class TrackWins(Schema):
    driver: Ref
    wins: int


class TrackAverage(Schema):
    driver: Ref
    starts: int
    avg_finish: float


class TrackRace(Schema):
    series: str
    season: int
    round: int
    name: str
    date: str | None
    winner: Ref | None


class TrackDetail(TrackFacts):
    time_zone: str
    opened: int | None
    closed: int | None
    names: list[TrackName]
    races_count: int
    first_season: int | None
    last_season: int | None
    most_wins: list[TrackWins]
    best_average: list[TrackAverage]


class SeriesSummary(Schema):
    slug: str
    name: str
    level: str
    country: str
    seasons: int
    first_season: int | None
    last_season: int | None


class SeriesName(Schema):
    name: str
    first_season: int
    last_season: int | None
    source_url: str


class Champion(Schema):
    name: str
    slug: str | None  # None where no driver record bears the published name


ChampionSource: TypeAlias = Literal["rules", "official"]


class SeasonSummary(Schema):
    season: int
    name: str
    races: int
    # The leader of the final standings ("rules"), or the sanctioning body's published champion
    # ("official") where the standings computed from the results name someone else.
    champion: Champion | None
    champion_source: ChampionSource | None
    # A season still being raced has no champion yet: its points leader after the last round.
    under_way: bool
    leader: Champion | None


class SeriesDetail(Schema):
    slug: str
    name: str
    level: str
    country: str
    names: list[SeriesName]
    seasons: list[SeasonSummary]


class CountedIn(Schema):
    """Another season a combination race counts in, at its round there."""

    series: str
    series_name: str
    season: int
    round: int


class ScheduledRace(Schema):
    round: int
    date: str | None
    name: str
    track: Ref
    surface: str
    length_miles: float | None
    scheduled_laps: int | None
    winner: Ref | None
    also_counts_for: list[CountedIn]


class Schedule(Schema):
    series: str
    season: int
    name: str
    name_source: str | None  # the page that gives the series' name that season
    champion: Champion | None  # as in SeasonSummary
    champion_source: ChampionSource | None
    champion_source_url: str | None  # the published list the champion was checked against
    champion_why: str | None  # for "official": why the standings cannot name the champion
    under_way: bool  # still being raced: no champion yet
    races: list[ScheduledRace]


class RaceResult(Schema):
    finish: int | None
    start: int | None
    car_number: str
    driver: Ref
    team: Ref | None
    manufacturer: str | None
    manufacturer_slug: str | None  # the make's page: /makes/{manufacturer_slug}/
    laps: int | None
    laps_led: int | None
    status: str
    status_class: str
    points: int | None
    stage_finishes: list[int | None]


class RaceDetail(Schema):
    series: str
    series_name: str
    season: int
    round: int
    rounds: int
    also_counts_for: list[CountedIn]
    name: str
    date: str | None
    track: Ref
    surface: str
    length_miles: float | None
    scheduled_laps: int | None
    distance_miles: float | None
    car_count: int | None  # as the source states it (it may differ from the entries listed)
    cautions: int | None
    lead_changes: int | None
    average_speed: float | None  # mph
    pole_speed: float | None  # mph
    entries: int
    starters: int
    leaders: int
    most_laps_led: Ref | None
    stages: int
    results: list[RaceResult]


class SearchHit(Schema):
    name: str
    slug: str
    match: str


class RaceHit(Schema):
    name: str
    series: str
    season: int
    round: int
    match: str


SearchKind: TypeAlias = Literal["drivers", "tracks", "teams", "races"]


class SearchResults(Schema):
    query: str
    # The kinds with matches, the kind with the closest match first. Close spellings are
    # listed only when no kind matches the query more closely.
    groups: list[SearchKind]
    drivers: list[SearchHit]
    tracks: list[SearchHit]
    teams: list[SearchHit]
    races: list[RaceHit]


class Leader(Schema):
    rank: int
    driver: Ref
    value: int
    starts: int


class Records(Schema):
    series: str | None
    leaders: dict[str, list[Leader]]


class NewsSummary(Schema):
    slug: str
    title: str
    publication: str | None
    published: str | None  # null: undated
    linked: int  # mentions linked to the record book


class NewsList(Paged):
    articles: list[NewsSummary]


class Entity(Schema):
    id: int
    name: str
    kind: Literal["driver", "person", "track", "team", "series"]
    slug: str | None  # null for a person who is not a driver (see url)
    url: str  # its page on the site


class Candidate(Schema):
    id: int
    name: str


class ArticleMention(Schema):
    text: str
    start: int  # offsets into body
    end: int
    kind: str | None
    status: Literal["linked", "proposed"]  # proposed: for an editor's review, nothing made
    method: str  # exact, short, surname, fuzzy, proposed
    confidence: float
    entity: Entity | None
    candidates: list[Candidate]


class RemovedPiece(Schema):
    kind: str  # chrome, disclaimer, byline, blurb, repeat
    text: str
    start: int  # offsets into the text as given, or the text extracted from it (within)
    end: int
    why: str
    within: Literal["original", "extracted"] = "original"  # extracted: HTML or Markdown


class ArticleDetail(Schema):
    slug: str
    title: str
    author: str | None
    publication: str | None
    published: str | None
    url: str | None
    format: Literal["text", "markdown", "html"]
    body: str  # the article as read: paragraphs a blank line apart
    removed: list[RemovedPiece]
    mentions: list[ArticleMention]


class CheckedEntity(Schema):
    id: int  # a person's id for a driver or person (GET /people/{id}); else the track's, …
    name: str
    kind: Literal["driver", "person", "track", "team", "series"]


class CheckedMention(Schema):
    text: str
    start: int  # offsets into body
    end: int
    kind: Literal["driver", "person", "track", "team", "series"]
    entity: CheckedEntity


class ClaimScope(Schema):
    kind: Literal["race", "season", "career"]
    series: str | None  # the series' slug
    season: int | None  # the season (the last of them, for two seasons)
    seasons: int  # 1, or 2 for "in two seasons"
    track: str | None  # for a race: the track as the text names it


class CheckedClaim(Schema):
    text: str  # the words the claim was read from
    start: int  # offsets into body
    end: int
    sentence: str
    subject: str | None  # who (or which season) the claim is about
    subject_id: int | None  # that person's id
    predicate: Literal[
        "finish", "start", "laps_led", "wins", "top5", "top10", "podiums", "dnf", "poles",
        "starts", "best_finish", "first_win", "only_win", "standing", "points", "age",
        "rounds", "championships",
    ]  # fmt: skip
    value: int | None  # as the text states it (a best finish: that race's finish)
    scope: ClaimScope
    quoted: bool  # in a quotation: what someone said, checked all the same
    verdict: Literal["supported", "contradicted", "unverifiable"]
    correct_value: Any  # what the record says (a number, a list of them, or a race)
    evidence: list[dict[str, Any]]  # the rows read
    query: str  # what was asked of them, as of the day
    why: str | None  # for unverifiable: what is missing


class CheckedText(Schema):
    published: str | None  # the day the record is read as of
    body: str  # the text as read (cleaned): offsets point into it
    mentions: list[CheckedMention]
    claims: list[CheckedClaim]


class Draft(Schema):
    text: str = Field(..., min_length=1, max_length=50_000)  # news.checking.DRAFT_LIMIT
    published: date | None = None  # default: today
    format: Literal["text", "markdown", "html"] = "text"


class RaceRef(Schema):
    series: str
    season: int
    round: int
    url: str


class Published(Schema):
    """What a race's results PUT did: the change it made (`run`, for `/changes/{id}`), or
    `changed: false` for rows the record already held."""

    run: int | None
    changed: bool
    inserted: int
    updated: int
    removed: int
    unchanged: int
    created: dict[str, int]
    race: RaceRef


class PenaltyIn(Schema):
    driver: str = Field(..., min_length=1, max_length=200, description="name or slug")
    points: int = Field(0, ge=0, le=10_000, description="championship points deducted")
    playoff_points: int = Field(0, ge=0, le=10_000)
    reason: str = Field(..., min_length=1, max_length=2_000)
    announced: date | None = None
    fine: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    appeal: Literal["none", "upheld", "reduced", "rescinded"] = "none"
    points_after_appeal: int | None = Field(None, ge=0, le=10_000)


class PenaltyOut(Schema):
    id: int
    change: int | None
    driver: str | None
    points: int
    playoff_points: int
    reason: str
    appeal: str
    points_after_appeal: int | None


class ChangeSummary(Schema):
    id: int
    what: str = Field(..., description="entry, penalty, revert, or an importer's name")
    target: str
    at: str
    who: str | None = Field(..., description="the account (none: the command line)")
    through: Literal["cli", "page", "api", "admin"]
    reason: str
    status: str
    series: list[str]
    counts: dict[str, int]
    reverts: int | None
    reverted_by: int | None


class StatementChange(Schema):
    table: Literal["result", "race", "person"]
    statement: int
    of: int | None = Field(..., description="the result's or race's id")
    driver: str | None = None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangeDetail(ChangeSummary):
    given: Any = Field(None, description="what the official sent, as sent")
    changes: list[StatementChange]
    penalties: list[dict[str, Any]]
    undo: dict[str, Any] | None


class Reverted(Schema):
    change: int = Field(..., description="the revert's own change")
    restored: int
    dropped: int
    results_removed: int
    races_removed: int
    penalties_removed: int
