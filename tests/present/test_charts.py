"""Every chart of the book as Vega-Lite (issue "One source, two media"): each one draws, live and static,
with vl-convert; its tooltips are display strings; its spec is the same bytes from the same inputs.

No reference picture exists to compare with: the tests check what a chart must carry (tooltip fields,
data columns, a dropdown where a reader picks one series, a static twin that shows them all) and
that vl-convert, the renderer the PDF uses, draws both specs without error.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import vl_convert as vlc

from lib.chapters import compliance, crime, data, districts, exceptions, peers, programme, scorecard, stop_search
from lib.present.charts import control_chart, control_room, force_management, incident_response
from lib.present.vega import Chart


def _walk(spec):
    """Every dict in a spec, depth first."""
    if isinstance(spec, dict):
        yield spec
        for value in spec.values():
            yield from _walk(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _walk(value)


def tooltip_titles(spec: dict) -> set[str]:
    """The titles of every tooltip line in a spec."""
    out = set()
    for node in _walk(spec):
        tips = node.get("tooltip") if isinstance(node.get("tooltip"), list) else []
        out |= {t.get("title") for t in tips if isinstance(t, dict)}
    return out


def params(spec: dict) -> list[dict]:
    return [p for node in _walk(spec) for p in node.get("params", []) if isinstance(p, dict)]


def check_draws(chart: Chart) -> None:
    """Both specs draw with vl-convert and name nothing from a counter; the payload carries spec, static and CSV."""
    assert isinstance(chart, Chart)
    for spec in [chart.spec, *chart.print_specs()]:
        svg = vlc.vegalite_to_svg(spec)
        assert svg.startswith("<svg") and "NaN" not in svg
        # no name Altair numbers from a process-wide counter: the same chart is the same bytes in any process
        assert not re.search(r'"(view|param)_\d+"', json.dumps(spec))
    payload = chart.payload()
    assert payload["csv"].count("\n") == len(chart.data) + 1
    mime = chart._repr_mimebundle_()
    assert set(mime["application/vnd.forcebook.chart+json"]) == {"spec", "static", "csv"}


def same_twice(build) -> None:
    """Built twice from the same inputs, a chart's specs are byte-identical."""
    a, b = build(), build()
    for x, y in ((a.spec, b.spec), (a.static, b.static)):
        assert json.dumps(x, sort_keys=True) == json.dumps(y, sort_keys=True)
    assert a.data.equals(b.data)


SPC_COLUMNS = ["measure", "month", "value", "n", "95% interval from", "95% interval to", "mean", "lower limit",
               "upper limit", "target", "signal"]


# --- Control charts ---------------------------------------------------------------------------------------------

def test_a_measures_control_chart_draws_with_its_reading_in_the_tooltip(facts):
    chart = control_chart.measure_chart(facts, "ppn_submitted_in_time")
    check_draws(chart)
    assert chart.static is None
    assert {"month", "value", "n", "95% interval", "mean and limits", "reading", "target", "change"} <= \
        tooltip_titles(chart.spec)
    assert list(chart.data.columns) == SPC_COLUMNS
    # the intervention is drawn and listed under the title
    assert "new PPN process" in " ".join(chart.spec["title"]["subtitle"])
    same_twice(lambda: control_chart.measure_chart(facts, "ppn_submitted_in_time"))


def test_a_flagged_month_carries_the_rule_that_flagged_it_in_words(facts):
    rows = control_chart.measure_rows(facts, "ppn_submitted_in_time")
    months = rows[rows["kind"] == "month"].set_index("month")
    # Dec 2019 is beyond the new phase's upper limit (facts measure_spc: 98.5 > 91.5).
    assert months.at["2019-12", "reading"] == "unusual month: improvement (above the upper process limit)"
    assert months.at["2019-12", "value_text"] == "98.5%"
    assert months.at["2019-12", "limits_text"] == "mean 77.4%; limits 63.2% to 91.5%"
    assert (months.at["2019-12", "n_text"], months.at["2019-12", "interval_text"]) == ("877", "97.5% to 99.1%")
    assert months.at["2019-01", "reading"] == "ordinary"
    flagged = months[months["point_type"].str.startswith("special_cause")]
    assert len(flagged) and all("(" in r for r in flagged["reading"])  # every flagged month says which rule
    chart = control_chart.measure_chart(facts, "ppn_submitted_in_time")
    assert "unusual month: improvement (above the upper process limit)" in set(chart.data["signal"])
    data = next(iter(chart.spec["datasets"].values()))
    assert any(r.get("reading") == "unusual month: improvement (above the upper process limit)" for r in data)


def test_small_multiples_pick_one_measure_live_and_show_them_all_in_print(facts):
    ids = list(facts["exceptions_measures"]["measure_id"])[:5]
    chart = control_chart.small_multiples(facts, ids)
    check_draws(chart)
    (pick,) = params(chart.spec)
    assert pick["name"] == "measure_pick" and pick["bind"]["input"] == "select" and pick["bind"]["options"] == ids
    assert chart.static["facet"]["field"] == "panel" and chart.static["columns"] == 3
    assert params(chart.static) == []
    assert set(chart.data["measure"]) == {facts["catalogue"].set_index("measure_id").at[m, "short_name"] for m in ids}
    same_twice(lambda: control_chart.small_multiples(facts, ids))


def test_many_measures_print_a_page_at_a_time(facts):
    """23 measures would make one figure taller than a page: print draws them nine at a time, in order, each
    part a facet of its own measures, all of them once."""
    ids = list(facts["catalogue"]["measure_id"])[:20]
    parts = control_chart.small_multiples(facts, ids).print_specs()
    assert len(parts) == 3
    drawn = [r["measure_id"] for part in parts for r in next(iter(part["datasets"].values()))]
    assert list(dict.fromkeys(drawn)) == ids


def test_a_measure_without_a_chart_says_why(facts):
    cat = facts["catalogue"]
    dev = cat.loc[cat["to_be_developed"].astype(bool), "measure_id"]
    if dev.empty:
        pytest.skip("the demo catalogue has no measure to be developed")
    rows = control_chart.measure_rows(facts, dev.iloc[0])
    assert list(rows["kind"]) == ["note"] and rows["note"].iloc[0].startswith("no chart:")
    assert control_chart.measure_chart(facts, dev.iloc[0]) is None
    check_draws(control_chart.small_multiples(facts, [dev.iloc[0], "ppn_submitted_in_time"]))


# --- Every other chart, from the demo period's facts -----------------------------------------------------------

def _routes(facts) -> list[str]:
    return list(dict.fromkeys(facts["fcr_profile"]["route"]))


def _targets(facts) -> dict[str, float]:
    return {r: 0.9 for r in _routes(facts)}


# (name, builder over (facts, params), tooltip titles it must carry, data columns, whether it has a static twin)
CHARTS = [
    ("fcr demand", lambda f, p: control_room.demand_heatmaps(f["fcr_profile"], _routes(f)),
     {"route", "day", "hour", "mean contacts per hour"}, ["route", "day", "hour", "contacts_per_hour"], False),
    ("fcr cover", lambda f, p: control_room.cover_against_requirement(f["fcr_requirement"]),
     {"hour", "series", "call handlers", "needed (rostered)"}, ["hour_of_week", "hour_text", "series", "value"], False),
    ("fcr service level", lambda f, p: control_room.service_level_by_hour(f["fcr_requirement"], _routes(f), _targets(f)),
     {"hour", "route", "modelled, current pattern", "target"},
     ["route", "hour_of_week", "hour_text", "service_level", "target"], False),
    ("fcr model check", lambda f, p: control_room.model_check(f["fcr_check_hours"], _routes(f)),
     {"route", "hour", "series", "% in target", "calls"}, ["route", "hour_of_week", "hour_text", "series", "pct", "n"],
     False),
    ("fcr cost", lambda f, p: control_room.cost_curve(f["fcr_scenarios"], _routes(f)),
     {"scenario", "route", "annual cost", "answered in target"}, ["scenario", "route", "annual_cost", "service_level"],
     False),
    ("fcr forecast", lambda f, p: control_room.forecast_plot(f["fcr_daily"], _routes(f)),
     {"day", "route", "kind", "contacts"}, ["route", "kind", "date", "contacts"], False),
    ("irt demand", lambda f, p: incident_response.demand_heatmap(f["irt_hour_day"]),
     {"day", "hour", "incidents per hour"}, ["day", "hour", "incidents_per_hour"], False),
    ("irt cover", lambda f, p: incident_response.cover(f["irt_requirement"], f["irt_cover"]),
     {"hour", "series", "officers on duty", "needed"}, ["hour_of_week", "hour_text", "series", "value"], False),
    ("irt waterfall", lambda f, p: incident_response.waterfall(f["irt_establishment"], p.irt.current_establishment),
     {"pattern", "step", "officers", "establishment"}, ["pattern", "step", "officers", "establishment"], False),
    ("irt response", lambda f, p: incident_response.response_times(f["irt_response_hist"]),
     {"grade", "first arrival", "incidents", "target"},
     ["grade", "from_minutes", "to_minutes", "incidents", "target_minutes"], False),
    ("irt sensitivity", lambda f, p: incident_response.sensitivity(
        f["irt_sensitivity"], f["irt_verdict"]["required"].iloc[0], p.irt.current_establishment,
        p.irt.proposed_establishment),
     {"assumption", "set at", "establishment required", "as stated"},
     ["what", "end", "setting", "establishment_required", "as_stated"], False),
    ("irt workforce", lambda f, p: incident_response.workforce(f["irt_workforce"]),
     {"month", "strength", "officers", "joiners and leavers", "required"},
     ["month", "kind", "strength", "joiners", "leavers", "required"], False),
    ("irt model check", lambda f, p: incident_response.model_check(f["irt_check_hours"]),
     {"grade", "hour", "series", "% in target", "incidents"},
     ["grade", "hour_of_week", "hour_text", "series", "pct", "n"], False),
    ("fm contacts", lambda f, p: force_management.forecasts(f["fm_forecast"], "contacts", "contacts a month"),
     {"series", "month", "kind", "contacts a month", "95% prediction interval"},
     ["series", "month", "kind", "value", "lower", "upper"], False),
    ("fm requirement", lambda f, p: force_management.requirement(f["fm_requirement"], f["fm_years"]),
     {"role", "year", "required", "range", "capacity"},
     ["role", "year", "years", "required", "lower", "upper", "capacity"], False),
    ("crime by month", lambda f, p: crime.crimes_by_month(f["crime_by_month"], f["asb_by_month"]),
     {"month", "what", "count"}, ["month", "series", "count"], False),
    ("district crime", lambda f, p: districts.crime_figure(f),
     {"district", "month", "crimes"}, ["district", "month", "crimes"], True),
    ("district rates", lambda f, p: districts.rates_figure(f),
     {"measure", "district", "month", "rate", "n"}, ["measure", "district", "month", "value", "n", "value_shown"], True),
    ("data rows", lambda f, p: data.rows_per_month(f["data_monthly_rows"]),
     {"source", "month", "rows", "of the busiest month"}, ["source", "month", "rows", "share"], False),
    ("milestones", lambda f, p: programme.milestone_board(f["programme_milestones"], programme.due_soon_label(p)),
     {"milestone", "workstream", "owner", "due", "status"},
     ["column", "milestone", "workstream", "owner_role", "due_date"], False),
    ("due dates", lambda f, p: programme.due_dates(f["programme_items"], p.period_end),
     {"item", "what", "workstream", "due", "status"}, ["item_id", "workstream", "due_date", "status_at_end"], False),
    ("peers funnel", lambda f, p: peers.funnel_figure(f, p),
     {"force", "population", "crimes per 1,000", "in the funnel"}, ["unit", "name", "population", "rate", "band"], False),
    ("peers monthly", lambda f, p: peers.monthly_figure(f, p),
     {"month", "who", "crimes per 1,000"}, ["month", "series", "rate"], False),
    ("searches", lambda f, p: stop_search.searches_by_month(f["searches_by_month"]),
     {"month", "searches"}, ["month", "searches"], False),
    ("scores", lambda f, p: scorecard.heatmap(scorecard.score_matrix(f, p), scorecard.short_names(f)),
     {"measure", "month", "IMPACT score", "target"}, ["measure_id", "measure", "month", "score"], False),
    ("compliance chart", lambda f, p: compliance.figure(f, "ppn_submitted_in_time"),
     {"month", "value", "n", "mean and limits", "reading"},
     SPC_COLUMNS, False),
    ("scorecard charts", lambda f, p: scorecard.charts(f),
     {"month", "value", "n", "mean and limits", "reading", "target"},
     SPC_COLUMNS, True),
    ("an exception page's chart", lambda f, p: exceptions.measure_pages(f).blocks[0].chart,
     {"month", "value", "n", "mean and limits", "reading", "target"},
     SPC_COLUMNS, False),
]


@pytest.mark.parametrize("name,build,titles,columns,static", CHARTS, ids=[c[0] for c in CHARTS])
def test_every_chart_draws_live_and_static_with_its_tooltips_and_numbers(facts, default_params, name, build, titles,
                                                                          columns, static):
    chart = build(facts, default_params)
    check_draws(chart)
    assert titles <= tooltip_titles(chart.spec), titles - tooltip_titles(chart.spec)
    assert list(chart.data.columns) == columns
    assert (chart.static is not None) == static
    if static:  # live, the reader picks one series; in print every series is drawn
        assert [p["bind"]["input"] for p in params(chart.spec)] == ["select"]
        assert all(params(part) == [] for part in chart.print_specs())
    same_twice(lambda: build(facts, default_params))


def test_text_from_the_inputs_stays_text_in_a_chart():
    """A label from the inputs is a plain string in the chart's data, drawn as typed: no markup, no maths."""
    hostile = "<b>Pay $10</b> & {{x}} =SUM(A1)"
    frame = pd.DataFrame({"district": [hostile] * 2, "month": ["2019-11", "2019-12"], "crimes": [3, 4]})
    chart = districts.crime_chart(frame)
    check_draws(chart)
    rows = next(iter(chart.spec["datasets"].values()))
    assert {r["district"] for r in rows} == {hostile}
    assert chart.spec["params"][0]["bind"]["labels"] == [hostile]
    svg = vlc.vegalite_to_svg(chart.static)
    assert "<b>" not in svg and "&lt;b&gt;Pay $10&lt;/b&gt;" in svg
