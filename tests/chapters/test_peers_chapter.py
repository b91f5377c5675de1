"""The peers chapter (lib/chapters/peers.py; named apart from tests/peers/test_peers.py, which pytest would confuse):
the "most similar force average" measures beside the peers' average, against a pandas count of the archive."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.chapters import peers
from lib.inputs.loading import load_source
from lib.measures import derived
from lib.measures.facts import catalogue_table


def test_peer_average_of_neighbourhood_crime_excludes_the_force_and_matches_the_files(default_params):
    """Independent count: read each peer's December 2019 street file with pandas, count the neighbourhood crime
    categories, divide by the params' population; the average is the mean of the other forces' rates (the force
    not included). The force's own rate from the archive equals the scorecard's (its demo crimes are its file)."""
    params = default_params
    cat = derived.catalogue(params.catalogue_path())
    loaded = {"crimes": load_source(params, "crimes")}
    m = next(x for x in cat if x.id == "neighbourhood_crime_rate")
    s = derived.series(m, loaded, params)
    period = pd.DataFrame({"measure_id": [x.id for x in cat], "value": float("nan")}).set_index("measure_id")
    period.loc[m.id, "value"] = float(s.loc[s["month"] == params.period, "value"].iloc[0])
    earlier = {"catalogue": catalogue_table(cat), "measure_period": period.reset_index()}
    got = peers.compute(params, earlier)["peers_measures"].set_index("measure_id")

    folder = params.peers_archive() / params.period
    pops = params.peer_populations()
    rates = {}
    for force, people in pops.items():
        f = pd.read_csv(folder / f"{params.period}-{force}-street.csv")
        rates[force] = 1000 * f["Crime type"].isin(params.scorecard.neighbourhood_crime_types).sum() / people
    others = [v for k, v in rates.items() if k != params.peers.force]
    row = got.loc["neighbourhood_crime_rate"]
    assert row["peer_average"] == pytest.approx(sum(others) / len(others), rel=1e-12)
    assert row["peers"] == len(others) and not row["includes_force"]
    assert rates[params.peers.force] == pytest.approx(row["force_value"], rel=1e-12)
    # The other "most similar force average" targets: from the force's own records, or outcomes not read.
    assert got.loc["da_repeat_victim", "peer_text"] == "not published for other forces"
    assert got.loc["missing_repeat_person", "peer_text"] == "not published for other forces"
    assert got.loc["crimes_solved", "peer_text"] == "not in the peers' data read"
    assert set(got.index) == {"da_repeat_victim", "missing_repeat_person", "crimes_solved", "neighbourhood_crime_rate"}


def test_measures_display_says_what_is_not_published():
    facts = {"catalogue": pd.DataFrame({"measure_id": ["a", "b"], "short_name": ["A", "B"],
                                        "unit": ["rate_per_1000", "percent"]}),
             "peers_measures": pd.DataFrame({"measure_id": ["a", "b"], "target": [1.4, 30.0],
                                             "target_source": ["most similar force average"] * 2,
                                             "force_value": [1.5, 33.0], "peer_average": [1.2345, float("nan")],
                                             "peers": [7, 0], "peer_text": ["", "not published for other forces"]})}
    shown, _ = peers.measures_display(facts)
    col = "most similar forces' average (the force not included)"
    assert list(shown[col]) == ["1.23 per 1,000 (7 forces)", "not published for other forces"]
