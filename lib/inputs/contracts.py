"""Input contracts: the columns, types, allowed values and units of every input source, defined once.

The loaders (:mod:`lib.inputs.loading`) check files against these, the demo generator (:mod:`lib.demo.world`)
writes files that satisfy them, and :func:`contracts_page` renders them as the book's appendix
so a force can prepare its own exports.

Times are instants stored with their UTC offset (Europe/London: +00:00 in winter, +01:00 in
summer). In CSV they are ISO 8601 text such as ``2019-12-01T08:15:00+00:00``; in Parquet a
timezone-aware timestamp column.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from lib.inputs import police_uk, series
from lib.vocabulary import (
    AGE_RANGES,
    CRIME_TYPES,
    GRADES,
    OFFICER_ETHNICITIES,
    ROUTES,
    SEARCH_TYPES,
    TIMEZONE,
    TRACKER_STATUSES,
    TRACKER_TYPES,
)

__all__ = ["AGE_RANGES", "CRIME_TYPES", "GRADES", "ROUTES", "SEARCH_TYPES", "TIMEZONE", "TRACKER_STATUSES",
           "TRACKER_TYPES", "Column", "Contract", "CONTRACTS", "contract_table", "contracts_page"]


@dataclass(frozen=True)
class Column:
    """One column of an input file."""

    name: str
    kind: str  # string | int | float | bool | datetime | date | month | category
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None  # beyond this a value is absurd, not extreme (a call of over a day)
    unique: bool = False
    # A force's own field that published data (data.police.uk) does not carry: it may be absent, and
    # every measure that needs it is then "not supplied".
    force_only: bool = False
    # An optional column of a force's own export (e.g. commentary): it may be absent, and the page then says
    # what is missing ("no commentary supplied").
    optional: bool = False
    # What a value of this column identifies, so that it is never published (the publication scan looks for
    # it in everything a reader gets, rejected rows included): "record" (an id), "coordinate" (a map point,
    # published at most at ``disclosure.coordinate_decimals`` places) or "place" (a location's name).
    identifies: str = ""

    @property
    def may_be_absent(self) -> bool:
        """A column a file may leave out."""
        return self.force_only or self.optional


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: ``bad(frame)`` marks the rows of the typed frame that break it."""

    column: str
    text: str
    bad: Callable


@dataclass(frozen=True)
class Contract:
    """The contract of one input source."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    time_column: str | None = None  # rows outside the reporting window are set aside on this column
    # (later column, earlier column): the later time may not be before the earlier one
    order_rules: tuple[tuple[str, str], ...] = ()
    row_rules: tuple[RowRule, ...] = ()
    # A series (one row per interval or month): any defective row, gap or overlap fails the run whatever
    # validation.on_row_error says, because a missing interval would silently change what is modelled.
    series: bool = False
    # Checks across the rows and files of the whole source, run on its valid rows: ``check(files, frames, params)``
    # raises DataError (a gap in a series; another force's file; one month in two files).
    source_checks: tuple[Callable, ...] = ()
    # The columns that name a row: no two rows of the source (across its files) may share them with different values
    # (one of the two would be read at random); a row repeated exactly is read once, and the data chapter says so.
    # Checked on the rows used: those inside the reporting window (every row, for a source not cut to it). Key
    # columns may not be blank.
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        """Column names in contract order."""
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        """The columns every file of this source must have (all but the force-only ones)."""
        return [c.name for c in self.columns if not c.may_be_absent]

    def identifying(self, what: str) -> list[str]:
        """The columns whose values identify ``what`` ("record", "coordinate" or "place")."""
        return [c.name for c in self.columns if c.identifies == what]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


def _c(name, kind, description, **kw) -> Column:
    return Column(name, kind, description, **kw)


CONTACTS = Contract(
    "contacts", "Force Control Room contacts",
    "One row per contact presented to the control room (a contact-centre call-detail export).",
    (
        _c("contact_id", "string", "Unique contact reference.", unique=True, identifies="record"),
        _c("route", "category", "How the contact arrived.", allowed=ROUTES),
        _c("presented_at", "datetime", "When the contact was presented to the queue."),
        _c("answered_at", "datetime", "When a call handler answered; blank when abandoned.", nullable=True),
        _c("abandoned", "bool", "True when the caller hung up before being answered."),
        _c("talk_seconds", "float", "Talk time; 0 when abandoned.", unit="seconds", minimum=0, maximum=86_400),
        _c("wrap_seconds", "float", "After-call work (wrap) time; 0 when abandoned.", unit="seconds", minimum=0,
           maximum=86_400),
    ),
    time_column="presented_at",
    order_rules=(("answered_at", "presented_at"),),
    row_rules=(RowRule("abandoned", "abandoned is True exactly when answered_at is blank",
                       lambda f: (f["abandoned"] != f["answered_at"].isna()).fillna(False).astype(bool)),),
)

INCIDENTS = Contract(
    "incidents", "Incidents (command and control)",
    "One row per incident created in the command-and-control system.",
    (
        _c("incident_id", "string", "Unique incident reference.", unique=True, identifies="record"),
        _c("created_at", "datetime", "When the incident was created."),
        _c("grade", "category", "Response grade.", allowed=GRADES),
        _c("first_arrived_at", "datetime", "First officer on scene; blank when not attended.", nullable=True),
        _c("cleared_at", "datetime", "When the last officer cleared; blank when not attended.", nullable=True),
        _c("district", "string", "Policing district."),
        _c("vulnerable_person", "bool", "A vulnerable person is involved."),
        _c("category", "string", "Incident category (opening code)."),
        _c("officers_assigned", "int", "Officers deployed.", unit="officers", minimum=0, maximum=1_000),
    ),
    time_column="created_at",
    order_rules=(("first_arrived_at", "created_at"), ("cleared_at", "created_at"),
                 ("cleared_at", "first_arrived_at")),
)

_FLAG = "True, False or blank."
STOP_SEARCH = Contract(
    "stop_search", "Stop and search",
    "The data.police.uk stop-and-search CSV as downloaded, plus two compliance flags a force may add from "
    "its own records (without them, the measures that need them are \"not supplied\").",
    (
        _c("Type", "category", "What was searched.", allowed=SEARCH_TYPES),
        _c("Date", "datetime", "When the search took place."),
        _c("Part of a policing operation", "bool", _FLAG, nullable=True),
        _c("Policing operation", "string", "Operation name, if any.", nullable=True),
        _c("Latitude", "float", "Approximate location (data.police.uk anonymised point).", nullable=True, unit="degrees",
           minimum=-90, maximum=90, identifies="coordinate"),
        _c("Longitude", "float", "Approximate location.", nullable=True, unit="degrees", minimum=-180, maximum=180,
           identifies="coordinate"),
        _c("Gender", "string", "Male, Female or Other.", nullable=True),
        _c("Age range", "category", "Age band of the person searched.", nullable=True, allowed=AGE_RANGES),
        _c("Self-defined ethnicity", "string", "As given by the person.", nullable=True),
        _c("Officer-defined ethnicity", "category", "As recorded by the officer.", nullable=True,
           allowed=OFFICER_ETHNICITIES),
        _c("Legislation", "string", "Power used.", nullable=True),
        _c("Object of search", "string", "What the officer was looking for.", nullable=True),
        _c("Outcome", "string", "Outcome of the search.", nullable=True),
        _c("Outcome linked to object of search", "bool", _FLAG, nullable=True),
        _c("Removal of more than just outer clothing", "bool", _FLAG, nullable=True),
        _c("grounds_recorded", "bool", "The record states lawful grounds (compliance audit).", force_only=True),
        _c("supervisor_reviewed", "bool", "A supervisor reviewed the record.", force_only=True),
    ),
    time_column="Date",
    source_checks=(partial(police_uk.check_source, 'stop_search'),),
)

CRIMES = Contract(
    "crimes", "Recorded crime",
    "The data.police.uk street-level crime CSV as downloaded (crimes and anti-social behaviour), plus "
    "recording and arrest fields a force may add from its own systems (without them, the measures that "
    "need them are \"not supplied\").",
    (
        _c("Crime ID", "string", "Crime reference (blank for anti-social behaviour); a crime repeated in the files "
           "keeps one row (lib.inputs.police_uk.one_row_per_crime).", nullable=True, identifies="record"),
        _c("Month", "month", "Month of the crime, YYYY-MM."),
        _c("Reported by", "string", "Force that provided the data."),
        _c("Falls within", "string", "Force area."),
        _c("Longitude", "float", "Anonymised map point.", nullable=True, unit="degrees", minimum=-180, maximum=180,
           identifies="coordinate"),
        _c("Latitude", "float", "Anonymised map point.", nullable=True, unit="degrees", minimum=-90, maximum=90,
           identifies="coordinate"),
        _c("Location", "string", "Anonymised location description.", nullable=True, identifies="place"),
        _c("LSOA code", "string", "Lower-layer super output area code.", nullable=True),
        _c("LSOA name", "string", "Lower-layer super output area name.", nullable=True),
        _c("Crime type", "category", "One of the 14 data.police.uk crime types.", allowed=CRIME_TYPES),
        _c("Last outcome category", "string", "Latest outcome.", nullable=True),
        _c("Context", "string", "Free text (not published).", nullable=True),
        _c("reported_at", "datetime", "When the crime was reported.", force_only=True),
        _c("recorded_at", "datetime", "When it was recorded as a crime.", force_only=True),
        _c("domestic_abuse", "bool", "Flagged as domestic abuse.", force_only=True),
        _c("arrest_made", "bool", "An arrest was made.", force_only=True),
        _c("outcome_at", "datetime", "When the outcome was assigned; blank if none yet.", nullable=True, force_only=True),
    ),
    time_column="Month",
    order_rules=(("recorded_at", "reported_at"), ("outcome_at", "reported_at")),
    source_checks=(partial(police_uk.check_source, 'crimes'),),
)

OUTCOMES = Contract(
    "outcomes", "Crime outcomes",
    "The data.police.uk outcomes CSV as downloaded: each outcome given to a crime, in the month it was "
    "given. The latest outcome of each crime replaces the street file's last outcome category.",
    (
        _c("Crime ID", "string", "The crime (as in the street-level file).", identifies="record"),
        _c("Month", "month", "Month the outcome was given, YYYY-MM."),
        _c("Reported by", "string", "Force that provided the data."),
        _c("Falls within", "string", "Force area."),
        _c("Longitude", "float", "Anonymised map point.", nullable=True, unit="degrees", minimum=-180, maximum=180,
           identifies="coordinate"),
        _c("Latitude", "float", "Anonymised map point.", nullable=True, unit="degrees", minimum=-90, maximum=90,
           identifies="coordinate"),
        _c("Location", "string", "Anonymised location description.", nullable=True, identifies="place"),
        _c("LSOA code", "string", "Lower-layer super output area code.", nullable=True),
        _c("LSOA name", "string", "Lower-layer super output area name.", nullable=True),
        _c("Outcome type", "string", "The outcome (a data.police.uk outcome category)."),
    ),
    time_column="Month",
    source_checks=(partial(police_uk.check_source, 'outcomes'),),
)

PPN = Contract(
    "ppn", "Public Protection Notices",
    "One row per PPN (a risk-assessment referral raised at an incident).",
    (
        _c("ppn_id", "string", "Unique PPN reference.", unique=True, identifies="record"),
        _c("incident_id", "string", "The incident that raised it.", identifies="record"),
        _c("submitted_at", "datetime", "When the PPN was submitted."),
        _c("submitted_in_time", "bool", "Submitted within the force's time limit."),
        _c("children_present", "bool", "Children live in or were present at the household."),
        _c("all_children_added", "bool", "Every child was added to the PPN; blank when no children.", nullable=True),
    ),
    time_column="submitted_at",
    row_rules=(RowRule("all_children_added", "all_children_added is blank exactly when children_present is False",
                       lambda f: (f["all_children_added"].isna() != ~f["children_present"]).fillna(False).astype(bool)),),
)

AUDITS = Contract(
    "audits", "Audit samples (Chief's Top 10)",
    "One row per record checked in a monthly audit sample.",
    (
        _c("month", "month", "Audit month, YYYY-MM."),
        _c("audit", "string", "Name of the audit."),
        _c("record_id", "string", "The record audited (never published).", identifies="record"),
        _c("passed", "bool", "The record met the standard."),
        _c("failure_theme", "string", "For a record that failed: what it lacked, as a theme (e.g. \"risk assessment "
           "not completed\"); blank for one that passed (optional column: without it failures are not grouped by "
           "theme).", nullable=True, optional=True),
    ),
    time_column="month",
)

MEASURE_VALUES = Contract(
    "measure_values", "Monthly scorecard values",
    "Monthly values of scorecard measures that cannot be derived from the other sources.",
    (
        _c("measure_id", "string", "Measure id from the measure catalogue."),
        _c("month", "month", "Month, YYYY-MM."),
        _c("numerator", "float", "Numerator, for proportions.", nullable=True),
        _c("denominator", "float", "Denominator, for proportions.", nullable=True, minimum=0),
        _c("value", "float", "The measure's value in its unit (a % for proportions)."),
    ),
    time_column="month",
    key=("measure_id", "month"),
)

TRACKER = Contract(
    "tracker", "Programme tracker export",
    "One row per item of the improvement programme, exported at the end of each period.",
    (
        _c("item_id", "string", "Unique item reference.", unique=True),
        _c("type", "category", "Kind of item.", allowed=TRACKER_TYPES),
        _c("parent_id", "string", "The cause of concern a recommendation belongs to.", nullable=True),
        _c("workstream", "string", "Workstream that owns it."),
        _c("owner_role", "string", "Owner's role (never a personal name)."),
        _c("due_date", "date", "Due date, YYYY-MM-DD."),
        _c("status", "category", "Delivery status.", allowed=TRACKER_STATUSES),
        _c("completed_date", "date", "Date completed; blank unless complete.", nullable=True),
        _c("milestone", "bool", "A key milestone of the programme."),
        _c("description", "string", "What is to be done."),
        _c("commentary", "string", "The owner's commentary on progress (optional column).", nullable=True, optional=True),
        _c("recovery_action", "string", "For an overdue item: what is being done to recover (optional column).",
           nullable=True, optional=True),
        _c("revised_date", "date", "For an overdue item: the revised completion date, YYYY-MM-DD (optional column).",
           nullable=True, optional=True),
        _c("inspection_text", "string", "The inspection's own words for the finding (a cause of concern's or a "
           "recommendation's text, as the inspection report gives it; optional column: without it the programme "
           "says \"not supplied\", never an invented wording).", nullable=True, optional=True),
        _c("success_criteria", "string", "For a cause of concern: how the force and the inspectorate will know it is "
           "resolved (optional column; \"not supplied\" when absent).", nullable=True, optional=True),
        _c("evidence_measures", "string", "For a cause of concern: the ids of the catalogue's measures that evidence "
           "it, separated by \";\" (optional column; each must be a measure of the catalogue).",
           nullable=True, optional=True),
    ),
)

PROGRAMME_HISTORY = Contract(
    "programme_history", "Programme tracker: due dates of earlier exports",
    "One row per item and tracker export: the due date each monthly export gave the item (the tracker's earlier "
    "snapshots, stacked). Optional: with it the programme counts how often each item has been re-dated since the "
    "first export; without it, only between the previous export (inputs.tracker_previous) and this one.",
    (
        _c("item_id", "string", "The item's reference, as in the tracker."),
        _c("snapshot", "month", "The month of the export, YYYY-MM."),
        _c("due_date", "date", "The due date that export gave, YYYY-MM-DD."),
    ),
    key=("item_id", "snapshot"),
    # Not cut to the reporting window, nor required to hold the period: the history is of the exports before it
    # (the programme reads those before the period; this period's is the tracker).
)

COMMENTARY = Contract(
    "commentary", "Measure commentary",
    "One row per measure and month: the owner's commentary on a measure, and for one not meeting its target the "
    "recovery action and the date it should be met. Optional: without it the exception report says \"no "
    "commentary supplied\".",
    (
        _c("measure_id", "string", "Measure id from the measure catalogue."),
        _c("month", "month", "The month the commentary is for, YYYY-MM."),
        _c("owner_role", "string", "Who wrote it: a role, never a personal name (optional column; the owner the report "
           "names is the measure catalogue's).", nullable=True, optional=True),
        _c("commentary", "string", "What the owner says about the measure this month."),
        _c("recovery_action", "string", "What is being done to meet the target.", nullable=True),
        _c("revised_date", "date", "When the target should be met, YYYY-MM-DD.", nullable=True),
    ),
    time_column="month",
    key=("measure_id", "month"),
)

POPULATIONS = Contract(
    "populations", "Resident populations",
    "One row per area and group: the resident population that rates per 1,000 divide by. An area is a district as "
    "the params name it (districts:) or \"force area\" for the whole force; a group is \"all\" or an "
    "officer-defined ethnicity, to compare stop and search between groups. Optional: without it districts are "
    "compared by counts and the stop-and-search chapter gives no rates by ethnicity. The demo's are ONS mid-2019 "
    "estimates of Cleveland's four local authorities, rounded, and the force area split by ethnicity in rounded "
    "proportions of the 2011 Census (a demo assumption, said in each row's source).",
    (
        _c("area", "string", "A district as the params name it, or \"force area\"."),
        _c("ethnicity", "category", "\"all\", or the officer-defined ethnicity group the population is of.",
           allowed=("all", *OFFICER_ETHNICITIES)),
        _c("population", "float", "Resident population.", unit="people", minimum=1, maximum=100_000_000),
        _c("source", "string", "Where the figure comes from (e.g. ONS mid-2019 estimate)."),
    ),
    key=("area", "ethnicity"),
)

STAFFING = Contract(
    "staffing", "Control-room staffing (telephony export)",
    "One row per interval and route: the call handlers logged on to the route's queue, as a telephony "
    "system's interval report gives it (average agents staffed). Optional: without it the control-room "
    "chapter checks its model against the rostered pattern in the params instead.",
    (
        _c("interval_start", "datetime", "Start of the interval."),
        _c("interval_minutes", "int", "Length of the interval: 15, 30 or 60; the same in every row.", unit="minutes",
           minimum=15, maximum=60),
        _c("route", "category", "The queue (route) the staff were logged on to.", allowed=ROUTES),
        _c("staff_logged_on", "float", "Average call handlers logged on and available to take calls.", unit="staff",
           minimum=0, maximum=1_000),
    ),
    time_column="interval_start",
    row_rules=(RowRule("interval_minutes", "interval_minutes is 15, 30 or 60",
                       lambda f: ~f["interval_minutes"].isin([15, 30, 60]).fillna(False).astype(bool)),),
    series=True,
    source_checks=(series.check_staffing_files,),
)

WORKFORCE = Contract(
    "workforce", "Response workforce (HR export)",
    "One row per month: the response officers' strength at the month end, joiners and leavers in the month, "
    "and intakes planned for future months. Optional: without it the incident-response chapter gives the "
    "requirement but no date by which it is met.",
    (
        _c("month", "month", "Month, YYYY-MM."),
        _c("strength", "float", "Officers in post at the month end (full-time equivalent); blank for future months.",
           unit="officers", nullable=True, minimum=0, maximum=100_000),
        _c("joiners", "float", "Officers who joined in the month; blank for future months.", unit="officers",
           nullable=True, minimum=0, maximum=10_000),
        _c("leavers", "float", "Officers who left in the month; blank for future months.", unit="officers",
           nullable=True, minimum=0, maximum=10_000),
        _c("planned_intake", "float", "Officers planned to join in the month (future months; 0 or blank if none).",
           unit="officers", nullable=True, minimum=0, maximum=10_000),
    ),
    time_column=None,
    series=True,
    source_checks=(series.check_workforce_files,),
)

CONTRACTS: dict[str, Contract] = {
    c.name: c for c in (CONTACTS, INCIDENTS, STOP_SEARCH, CRIMES, OUTCOMES, PPN, AUDITS, MEASURE_VALUES, TRACKER,
                        PROGRAMME_HISTORY, COMMENTARY, POPULATIONS, STAFFING, WORKFORCE)
}

_KIND_TEXT = {
    "string": "text", "int": "whole number", "float": "number", "bool": "True / False",
    "datetime": "date-time with UTC offset", "date": "date YYYY-MM-DD", "month": "month YYYY-MM",
    "category": "one of a list",
}

CONTRACTS_INTRO = """# Input contracts

Every input is a Parquet or CSV file named in the period's params file (`inputs:`); swapping in a
force's own exports means editing that file only. Each file is checked against its contract below
before anything runs: a missing or unknown column stops the run; rows that break a rule are set
aside (and listed in {doc}`../notebooks/data`) or stop the run, as `validation.on_row_error` says.

Times are instants with their UTC offset in the Europe/London time zone (`+00:00` in winter,
`+01:00` in summer), e.g. `2019-12-01T08:15:00+00:00`. Booleans are `True`/`False`; a blank cell
is empty."""


LONG_LIST = 60  # characters: a longer list of allowed values is listed in the key under the table


def _allowed(col) -> object:
    """A column's allowed values, or for a long list a short label whose values are in the table's key."""
    from lib.present.tables import Short

    listed = ", ".join(col.allowed)
    if len(listed) <= LONG_LIST:
        return listed or col.unit
    return Short(f"{len(col.allowed)} values of {col.name} (key)", listed)


def contract_table(contract: Contract) -> pd.DataFrame:
    """One row per column of a contract: type, blanks, allowed values or unit (a long list in the key under the
    table), description."""
    rows = []
    for col in contract.columns:
        allowed, rest = _allowed(col), ""
        if isinstance(allowed, str):
            allowed, rest = "", allowed
        if col.minimum is not None:
            rest = f"{rest} (≥ {col.minimum:g})".strip()
        if col.maximum is not None:
            rest = f"{rest} (≤ {col.maximum:,g})".strip()
        if col.unique:
            rest = f"{rest} unique".strip()
        allowed = (allowed, rest) if allowed else rest
        rows.append({"column": col.name, "type": _KIND_TEXT[col.kind], "blank allowed": "yes" if col.nullable else "no",
                     "may be absent": "yes (force field)" if col.force_only else "yes" if col.optional else "no",
                     "allowed values / unit": allowed, "description": col.description})
    return pd.DataFrame(rows)


def contracts_page() -> list:
    """The book's appendix: our prose and one table per contract (see :func:`lib.present.pages.write_page`)."""
    from lib.present import table

    blocks: list = [CONTRACTS_INTRO]
    for contract in CONTRACTS.values():
        text = f"## {contract.title}\n\nSource name in the params: `{contract.name}`. {contract.description}"
        if any(c.force_only for c in contract.columns):
            text += (" Columns marked as force fields may be absent (data.police.uk does not publish them); the"
                     " measures that need them then read \"not supplied\".")
        if any(c.optional for c in contract.columns):
            text += " Columns marked \"may be absent: yes\" are optional; without them the book says what is missing."
        rules = [f"`{a}` is not before `{b}`" for a, b in contract.order_rules] + [r.text for r in contract.row_rules]
        if rules:
            text += "\n\nRow rules: " + "; ".join(rules) + "."
        if contract.key:
            text += (f"\n\nOne row per {' and '.join(f'`{k}`' for k in contract.key)}: two rows that share them "
                     "with different values are refused; a row repeated exactly is read once.")
        blocks += [text, table(contract_table(contract), caption=f"Columns of the {contract.name} input",
                               name=f"contract-{contract.name}")]
    return blocks
