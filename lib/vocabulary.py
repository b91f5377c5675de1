"""The book's vocabulary, defined once: routes, grades, priorities, categories and measure ids.

Every module, the params schema and the input contracts read these names from here, so a route or
a measure id cannot be spelt two ways.
"""
from __future__ import annotations

TIMEZONE = "Europe/London"

#: A measure's target and status when neither the catalogue nor the params set a target: never a number.
NO_TARGET = "no target set"

#: How a contact reaches the Force Control Room.
ROUTES = ("999", "101", "switchboard", "online")
#: Incident response grades, most urgent first.
GRADES = ("immediate", "priority", "scheduled", "resolved without deployment")
#: Grades that send officers (the others are resolved without a deployment).
ATTENDED_GRADES = ("immediate", "priority", "scheduled")
#: The four priorities of the force's IMPACT framework (strategic plan, 2023).
PRIORITIES = ("Protect People", "Protect Communities", "Tackle Criminals", "Be the Best We Can Be")
#: The 14 data.police.uk crime types.
CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
    "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
    "Theft from the person", "Vehicle crime", "Violence and sexual offences",
)
SEARCH_TYPES = ("Person search", "Vehicle search", "Person and Vehicle search")
AGE_RANGES = ("under 10", "10-17", "18-24", "25-34", "over 34")
#: data.police.uk's officer-defined ethnicity (the five census groups an officer records).
OFFICER_ETHNICITIES = ("Asian", "Black", "Mixed", "Other", "White")
#: Kinds of item in the improvement programme's tracker.
TRACKER_TYPES = (
    "cause of concern", "recommendation", "area for improvement", "national recommendation",
    "NCPI recommendation", "crime data integrity",
)
TRACKER_STATUSES = ("not started", "in progress", "complete")
#: Rows the districts chapter adds beside the districts: no district may be called one of these.
NO_LOCATION = "no location"
NO_DISTRICT = "no district"
ALL_DISTRICTS = "all districts"
DISTRICT_LABELS = (NO_LOCATION, NO_DISTRICT, ALL_DISTRICTS)
#: The days of the week, Monday first (the week's hours run from Monday 00:00), and the hours in a week.
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_PER_WEEK = 7 * 24
