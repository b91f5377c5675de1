"""The populations input: areas are the params' districts or the force area, each area and group once."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import ROOT
from lib.errors import DataError
from lib.inputs import populations
from lib.inputs.loading import Loaded


def _loaded(rows):
    frame = pd.DataFrame(rows, columns=["area", "ethnicity", "population", "source"])
    return {"populations": Loaded("populations", ROOT / "data" / "populations.csv", frame, len(frame), pd.DataFrame(),
                                  0, 0)}


def test_lookups_by_district_and_by_ethnicity(default_params):
    loaded = _loaded([("Hartlepool", "all", 93_700.0, "ONS"), ("force area", "White", 538_200.0, "Census"),
                      ("force area", "all", 569_200.0, "ONS")])
    assert populations.by_district(loaded, default_params)["population"].to_dict() == {"Hartlepool": 93_700.0}
    assert populations.by_ethnicity(loaded, default_params)["population"].to_dict() == {"White": 538_200.0}
    assert populations.by_district({}, default_params).empty


def test_unknown_areas_are_refused(default_params):
    with pytest.raises(DataError, match=r"inputs.populations \(data/populations.csv\): column 'area': 'Narnia' is not "
                                        r"a district of the params nor 'force area' \(allowed: 'Hartlepool'"):
        populations.by_district(_loaded([("Narnia", "all", 1.0, "x")]), default_params)
