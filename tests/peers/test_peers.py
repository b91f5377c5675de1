"""Peer benchmarking: counts read by DuckDB, rates per 1,000, ranks, bad inputs, the synthetic archive.

References: the counts are checked against pandas reading the same files row by row (an independent
reader), and against Cleveland's October 2018 file as published (tests/data/police-uk/README.md:
9,352 rows, 2,981 of them anti-social behaviour). Rates and ranks are checked on a tiny example
worked by hand in the test (exact to 1e-12). The funnel-plot check uses 3-sigma Poisson limits
around the pooled rate (Spiegelhalter 2005), with no published reference for synthetic data.
"""
from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pandas as pd
import pytest

from lib import ROOT
from lib.demo.peers import profiles, write_archive
from lib.errors import DataError, ModelError, ParamsError
from lib.peers import ASB, STREET_COLUMNS, TOTAL, add_total, league, monthly_counts, rank, rates
from lib.peers.archive import spans
from lib.vocabulary import CRIME_TYPES

DATA = ROOT / "tests" / "data" / "police-uk"
STREET = DATA / "2018-10-cleveland-street.csv"
SEARCH = DATA / "2019-01-cleveland-stop-and-search.csv"
SMALL = {"cleveland": 5_670, "durham": 5_300, "northumbria": 14_500}
MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04"]


def pandas_counts(folder) -> pd.Series:
    """Rows by force (from the file name), Month and Crime type, read by pandas: the independent reference."""
    parts = []
    for path in sorted(folder.glob("*/*-street.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        parts.append(frame.assign(force=path.name[8:-len("-street.csv")]))
    rows = pd.concat(parts)
    return rows.groupby(["force", "Month", "Crime type"]).size().rename("crimes")


def nonzero(counts) -> pd.Series:
    c = counts.counts.dropna(subset=["crimes"])
    c = c[c["crimes"] > 0]
    return c.set_index(["force", "month", "crime_type"])["crimes"].astype(int).rename("crimes").sort_index()


@pytest.fixture
def real(tmp_path):
    """An archive holding Cleveland's real October 2018 street file (and a stop-and-search file, to be ignored)."""
    (tmp_path / "2018-10").mkdir()
    (tmp_path / "2019-01").mkdir()
    shutil.copy(STREET, tmp_path / "2018-10" / STREET.name)
    shutil.copy(SEARCH, tmp_path / "2019-01" / SEARCH.name)
    return tmp_path


@pytest.fixture(scope="module")
def small_master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small") / "archive"
    truth = write_archive(folder, SMALL, MONTHS, seed=7)
    return folder, truth


@pytest.fixture
def small(small_master, tmp_path):
    """A writable copy of a small synthetic archive (3 forces × 4 months), and the rows written."""
    folder, truth = small_master
    shutil.copytree(folder, tmp_path / "archive")
    return tmp_path / "archive", truth


# --- Counts ------------------------------------------------------------------------------------------

def test_counts_of_the_real_file_equal_pandas_and_the_published_figures(real):
    counts = monthly_counts(real, ["cleveland"])
    assert counts.months == ("2018-10",)
    assert nonzero(counts).droplevel(["force"]).equals(pandas_counts(real).droplevel("force").rename_axis(
        ["month", "crime_type"]).sort_index())
    by_type = counts.counts.set_index("crime_type")["crimes"]
    assert by_type.sum() == 9352 and by_type[ASB] == 2981 and by_type["Violence and sexual offences"] == 2244
    cov = counts.coverage.iloc[0]
    assert (cov["reported_by"], cov["files"], cov["rows"], cov["months_missing"]) == ("Cleveland Police", 1, 9352, 0)


def test_counts_of_a_synthetic_archive_equal_pandas_and_what_was_written(small):
    folder, truth = small
    counts = monthly_counts(folder, SMALL)
    reference = pandas_counts(folder).rename_axis(["force", "month", "crime_type"]).sort_index()
    assert nonzero(counts).equals(reference)
    written = truth.set_index(["force", "month", "crime_type"])["crimes"]
    got = counts.counts.set_index(["force", "month", "crime_type"])["crimes"].astype(int)
    assert got.sort_index().equals(written.sort_index())
    assert list(counts.counts["crime_type"].unique()) == list(CRIME_TYPES)
    assert list(counts.counts["force"].unique()) == list(SMALL)


def test_a_missing_month_is_no_data_never_zero(small):
    folder, _ = small
    (folder / "2019-02" / "2019-02-durham-street.csv").unlink()
    (folder / "2019-04" / "2019-04-durham-street.csv").unlink()
    counts = monthly_counts(folder, SMALL)
    durham = counts.counts[counts.counts["force"] == "durham"].set_index(["month", "crime_type"])["crimes"]
    assert durham.loc["2019-02"].isna().all() and durham.loc["2019-04"].isna().all()
    assert durham.loc["2019-01"].notna().all()
    assert (counts.counts["crimes"] == 0).any()  # a category without rows in a month with data is a true zero
    cov = counts.coverage.set_index("force")
    assert cov.loc["durham", ["first_month", "last_month", "months_with_data", "months_missing", "missing"]].tolist() == \
        ["2019-01", "2019-03", 2, 2, "2019-02, 2019-04"]
    assert cov.loc["cleveland", "missing"] == "" and cov.loc["cleveland", "months_missing"] == 0


def test_a_header_only_file_is_no_data_and_counted_as_empty(small):
    folder, _ = small
    (folder / "2019-03" / "2019-03-cleveland-street.csv").write_text(",".join(STREET_COLUMNS) + "\n")
    counts = monthly_counts(folder, SMALL)
    cle = counts.counts[(counts.counts["force"] == "cleveland") & (counts.counts["month"] == "2019-03")]
    assert cle["crimes"].isna().all()
    assert counts.coverage.set_index("force").loc["cleveland", ["files", "empty_files", "missing"]].tolist() == \
        [4, 1, "2019-03"]


def test_only_the_months_asked_for_are_read(small):
    folder, truth = small
    (folder / "2019-04" / "2019-04-durham-street.csv").write_text("not a street file\n")  # never opened
    counts = monthly_counts(folder, ["durham", "cleveland"], months=["2019-03", "2019-02"])
    assert counts.months == ("2019-02", "2019-03")
    assert set(counts.counts["month"]) == {"2019-02", "2019-03"}
    want = truth[truth["month"].isin(["2019-02", "2019-03"]) & (truth["force"] == "durham")]["crimes"].sum()
    assert counts.counts[counts.counts["force"] == "durham"]["crimes"].sum() == want


def test_files_with_columns_in_another_order_crlf_or_a_bom_count_the_same(real):
    frame = pd.read_csv(STREET, dtype=str, keep_default_na=False)
    for month in ("2018-11", "2018-12"):
        (real / month).mkdir()
    shuffled = frame[list(reversed(STREET_COLUMNS))]
    shuffled.assign(Month="2018-11").to_csv(real / "2018-11" / "2018-11-cleveland-street.csv", index=False)
    data = STREET.read_bytes().replace(b"2018-10", b"2018-12").replace(b"\n", b"\r\n")
    (real / "2018-12" / "2018-12-cleveland-street.csv").write_bytes(b"\xef\xbb\xbf" + data)
    counts = monthly_counts(real, ["cleveland"]).counts.pivot(index="crime_type", columns="month", values="crimes")
    assert (counts["2018-11"] == counts["2018-10"]).all() and (counts["2018-12"] == counts["2018-10"]).all()
    assert counts["2018-10"].sum() == 9352


def test_other_and_blank_crime_types_are_kept_as_categories(real):
    frame = pd.read_csv(STREET, dtype=str, keep_default_na=False)
    frame.loc[:9, "Crime type"] = "Fraud"
    frame.loc[10:12, "Crime type"] = ""
    frame.to_csv(real / "2018-10" / STREET.name, index=False)
    by_type = monthly_counts(real, ["cleveland"]).counts.set_index("crime_type")["crimes"]
    assert by_type["Fraud"] == 10 and by_type["(blank)"] == 3 and by_type.sum() == 9352
    total = add_total(monthly_counts(real, ["cleveland"]).counts).set_index("crime_type")["crimes"]
    assert total[TOTAL] == 9352 - total[ASB]


# --- Bad inputs --------------------------------------------------------------------------------------

def test_a_missing_archive_folder_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nowhere: folder not found.*YYYY-MM/YYYY-MM-<force>-street\.csv"):
        monthly_counts(tmp_path / "nowhere", ["cleveland"])


def test_an_archive_without_street_files_says_what_it_holds(tmp_path):
    with pytest.raises(DataError, match="no data.police.uk street-level file.*it is empty"):
        monthly_counts(tmp_path, ["cleveland"])
    (tmp_path / "2019-01").mkdir()
    shutil.copy(SEARCH, tmp_path / "2019-01" / SEARCH.name)
    with pytest.raises(DataError, match="it holds 1 other entry \\(2019-01-cleveland-stop-and-search.csv\\)"):
        monthly_counts(tmp_path, ["cleveland"])


def test_a_peer_force_without_files_names_the_slug_the_folder_and_the_forces_found(small):
    folder, _ = small
    with pytest.raises(DataError) as err:
        monthly_counts(folder, ["cleveland", "durhm"])
    message = str(err.value)
    assert "'durhm'" in message and str(folder.name) in message and "did you mean 'durham'?" in message
    assert "Forces in this archive: cleveland, durham, northumbria" in message


def test_a_file_that_is_not_a_street_file_is_named_with_its_columns(real):
    shutil.copy(SEARCH, real / "2018-10" / "2018-10-durham-street.csv")
    with pytest.raises(DataError) as err:
        monthly_counts(real, ["cleveland", "durham"])
    message = str(err.value)
    assert "2018-10-durham-street.csv: not a data.police.uk street-level crime file" in message
    assert "columns found: 'Type', 'Date'" in message and "missing: 'Crime ID', 'Month'" in message
    (real / "2018-10" / "2018-10-durham-street.csv").write_bytes(b"")
    with pytest.raises(DataError, match="2018-10-durham-street.csv: .*columns found: none"):
        monthly_counts(real, ["cleveland", "durham"])


def test_a_file_holding_another_month_is_named(real):
    (real / "2018-11").mkdir()
    shutil.copy(STREET, real / "2018-11" / "2018-11-cleveland-street.csv")
    with pytest.raises(DataError, match="2018-11-cleveland-street.csv: column Month holds '2018-10' in 9,352 row"):
        monthly_counts(real, ["cleveland"])
    shutil.copy(STREET, real / "2018-11" / "2018-10-durham-street.csv")
    with pytest.raises(DataError, match="2018-10-durham-street.csv: a file for 2018-10 in the folder of 2018-11"):
        monthly_counts(real, ["cleveland"])


def test_a_malformed_row_names_the_file_and_line(real):
    path = real / "2018-10" / STREET.name
    path.write_bytes(path.read_bytes() + b"x,2018-10,Cleveland Police,Cleveland Police,1,2,a,b,c,Burglary,d,e,EXTRA\n")
    with pytest.raises(DataError, match="2018-10-cleveland-street.csv: cannot be read .* Line: 9354.*Found: 13"):
        monthly_counts(real, ["cleveland"])


def test_months_must_be_written_as_data_police_uk_does(real):
    with pytest.raises(ModelError, match="months: '2018-13' is not a month; .*YYYY-MM"):
        monthly_counts(real, ["cleveland"], months=["2018-10", "2018-13"])
    with pytest.raises(ModelError, match="forces: no force given"):
        monthly_counts(real, [])


@pytest.mark.parametrize("people", [0, -5, float("nan"), "567000", True])
def test_a_population_not_above_zero_names_the_force_and_value(people):
    with pytest.raises(ParamsError, match=rf"peers\.forces\.b = {people!r}: a force's population must be .* > 0"):
        rates(TINY, {"a": 1000, "b": people, "c": 500}, window=2)


def test_a_force_without_population_is_named():
    with pytest.raises(ParamsError, match="no population for 'c'.*populations given: a, b"):
        rates(TINY, {"a": 1000, "b": 2000}, window=2)


# --- Rates and ranks on a tiny example worked by hand ---------------------------------------------------

def _tiny() -> pd.DataFrame:
    rows = []
    data = {"a": ([1, 2, 3], [10, 10, 10]), "b": ([2, 4, 6], [5, 5, 5]), "c": ([1, 1, None], [1, 1, None])}
    for force, (burglary, asb) in data.items():
        for month, burg, asb_ in zip(["2019-01", "2019-02", "2019-03"], burglary, asb):
            rows += [(force, month, ASB, asb_), (force, month, "Burglary", burg)]
    frame = pd.DataFrame(rows, columns=["force", "month", "crime_type", "crimes"])
    frame["crimes"] = frame["crimes"].astype("Int64")
    return frame


TINY = _tiny()
POP = {"a": 1000, "b": 2000, "c": 500, "not-a-peer": 1}


def test_rates_per_1000_by_month_and_over_the_latest_complete_months():
    r = rates(TINY, POP, window=2)
    # c has no data in 2019-03, so the latest month every force has is 2019-02.
    assert r.window == ("2019-01", "2019-02") and r.per == 1000
    m = r.monthly.set_index(["force", "month", "crime_type"])["rate"]
    assert m["a", "2019-01", "Burglary"] == pytest.approx(1.0, abs=1e-12)   # 1 / 1000 × 1000
    assert m["b", "2019-03", "Burglary"] == pytest.approx(3.0, abs=1e-12)   # 6 / 2000 × 1000
    assert m["c", "2019-01", "Burglary"] == pytest.approx(2.0, abs=1e-12)   # 1 / 500 × 1000
    assert pd.isna(m["c", "2019-03", "Burglary"]) and pd.isna(m["c", "2019-03", TOTAL])
    latest = r.latest.set_index(["force", "crime_type"])
    assert latest.loc[("a", "Burglary"), "crimes"] == 3 and latest.loc[("a", "Burglary"), "rate"] == pytest.approx(3.0)
    assert latest.loc[("b", "Burglary"), "rate"] == pytest.approx(3.0)      # 6 / 2000 × 1000
    assert latest.loc[("c", "Burglary"), "rate"] == pytest.approx(4.0)      # 2 / 500 × 1000
    assert latest.loc[("a", ASB), "rate"] == pytest.approx(20.0)            # 20 / 1000 × 1000
    assert latest.loc[("a", TOTAL), "crimes"] == 3                          # burglary only: ASB excluded
    per_100k = rates(TINY, POP, per=100_000, window=2).latest.set_index(["force", "crime_type"])
    assert per_100k.loc[("b", "Burglary"), "rate"] == pytest.approx(300.0)


def test_a_force_missing_a_month_of_the_window_has_no_rate_and_is_not_ranked():
    r = rates(TINY, POP, window=3, end="2019-03")
    c = r.latest.set_index(["force", "crime_type"]).loc[("c", "Burglary")]
    assert pd.isna(c["crimes"]) and pd.isna(c["rate"]) and c["months_with_data"] == 2
    row = rank(r, "c").set_index("crime_type").loc["Burglary"]
    assert pd.isna(row["rank"]) and row["of"] == 2 and row["not_ranked"] == "c"
    a = rank(r, "a").set_index("crime_type").loc["Burglary"]
    assert a["rank"] == 1 and a["of"] == 2  # a: 6/1000 → 6.0; b: 12/2000 → 6.0, tied
    assert a["tied_with"] == "b"


@pytest.mark.parametrize("ties, a_b, c", [("min", 1, 3), ("max", 2, 3), ("average", 1.5, 3), ("dense", 1, 2)])
def test_equal_rates_tie_explicitly(ties, a_b, c):
    r = rates(TINY, POP, window=2)
    table = league(r, ties=ties)
    burglary = table[table["crime_type"] == "Burglary"].set_index("force")
    assert burglary.loc["a", "rank"] == a_b and burglary.loc["b", "rank"] == a_b and burglary.loc["c", "rank"] == c
    assert burglary.loc["a", "tied_with"] == "b" and burglary.loc["c", "tied_with"] == ""


def test_rank_of_the_force_with_group_figures():
    r = rates(TINY, POP, window=2)
    table = rank(r, "a").set_index("crime_type")
    assert list(table.index) == [ASB, "Burglary", TOTAL]
    # ASB over 2019-01..02: a 20/1000 → 20, b 10/2000 → 5, c 2/500 → 4: a is the highest.
    assert table.loc[ASB, ["rank", "of", "lowest_rate", "highest_rate"]].tolist() == [3, 3, 4.0, 20.0]
    assert table.loc["Burglary", "group_rate"] == pytest.approx((3 + 6 + 2) / 3500 * 1000, abs=1e-12)
    month = rank(r, "c", month="2019-01").set_index("crime_type")
    assert month.loc["Burglary", "rank"] == 3  # 2019-01: a 1.0, b 1.0, c 2.0


def test_rank_refuses_a_force_that_is_not_a_peer_and_bad_arguments():
    r = rates(TINY, POP, window=2)
    with pytest.raises(ParamsError, match="peers.force = 'zz': not one of the peer forces \\(a, b, c\\)"):
        rank(r, "zz")
    with pytest.raises(ModelError, match="ties = 'first': allowed: min, max, average, dense"):
        league(r, ties="first")
    with pytest.raises(ModelError, match="the 12 months to 2019-02 start in 2018-03, before the counts' first month 2019-01"):
        rates(TINY, POP)
    with pytest.raises(ModelError, match="per = 0: must be a whole number > 0"):
        rates(TINY, POP, per=0, window=2)


def test_the_total_excludes_anti_social_behaviour_and_keeps_no_data():
    total = add_total(TINY).set_index(["force", "month", "crime_type"])["crimes"]
    assert total["b", "2019-02", TOTAL] == 4 and total["b", "2019-02", ASB] == 5
    assert pd.isna(total["c", "2019-03", TOTAL])


def test_spans_of_missing_months():
    assert spans(["2019-07", "2019-08", "2019-09", "2020-01"]) == "2019-07 to 2019-09, 2020-01"
    assert spans(["2019-12", "2020-01"]) == "2019-12 to 2020-01" and spans([]) == ""


# --- The synthetic archive -------------------------------------------------------------------------

def _digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_the_same_seed_writes_the_same_bytes(small_master, tmp_path):
    folder, _ = small_master
    write_archive(tmp_path / "again", SMALL, MONTHS, seed=7, workers=2)
    write_archive(tmp_path / "other", SMALL, MONTHS, seed=8)
    assert _digest(tmp_path / "again") == _digest(folder)
    assert _digest(tmp_path / "other") != _digest(folder)


def test_synthetic_files_have_the_real_header_and_layout(small_master):
    folder, _ = small_master
    real_header = STREET.read_bytes().split(b"\n")[0]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.csv"))
    assert files == [f"{m}/{m}-{f}-street.csv" for m in MONTHS for f in sorted(SMALL)]
    for path in folder.rglob("*.csv"):
        assert path.read_bytes().split(b"\n")[0] == real_header
    frame = pd.read_csv(folder / "2019-01" / "2019-01-durham-street.csv", dtype=str, keep_default_na=False)
    asb = frame["Crime type"] == ASB
    assert (frame.loc[asb, "Crime ID"] == "").all() and (frame.loc[asb, "Last outcome category"] == "").all()
    assert frame.loc[~asb, "Crime ID"].str.fullmatch("[0-9a-f]{64}").all()
    assert (frame["Reported by"] == "Durham Constabulary").all() and (frame["Month"] == "2019-01").all()
    located = frame["Location"] != "No Location"
    assert frame.loc[located, "Longitude"].str.fullmatch(r"-?\d+\.\d{6}").all()


def test_a_funnel_plot_of_synthetic_forces_shows_some_inside_and_some_outside(tmp_path):
    forces = {f"force-{i:02d}": 20_000 + 10_000 * i for i in range(12)}
    months = [f"2019-{m:02d}" for m in range(1, 13)]
    write_archive(tmp_path, forces, months, seed=3)
    latest = rates(monthly_counts(tmp_path, forces), forces).latest
    total = latest[latest["crime_type"] == TOTAL].set_index("force")
    expected = total["crimes"].sum() / total["population"].sum() * total["population"]
    inside = ((total["crimes"].astype(float) - expected).abs() <= 3 * np.sqrt(expected))
    typical = profiles(forces, seed=3).set_index("force")["typical"]
    assert typical.sum() == 6
    assert inside[typical].all() and not inside[~typical].all()
    assert 0 < inside.sum() < len(forces)


# --- The peers chapter's facts on the demo (lib.chapters.peers) -----------------------------------------------

def test_the_force_in_the_archive_is_the_crime_chapters_force(default_params):
    """One fact, one place: the demo archive's Cleveland files are the demo's crimes, so the peers chapter counts
    the crimes the crime chapter counts."""
    from lib.chapters import peers as benchmark
    from lib.inputs.loading import load_all
    from lib.measures import derived

    facts = benchmark.compute(default_params)
    crimes = derived.crimes(load_all(default_params), default_params)
    window = facts["peers_key"].iloc[0]
    in_window = crimes["Month"].between(window["window_first"], window["window_last"]).sum()
    force = facts["peers_funnel"].set_index("unit").loc[default_params.peers.force]
    assert force["observed"] == in_window
    assert "Anti-social behaviour" not in set(facts["peers_rank"]["crime_type"])


def test_peers_params_are_checked(params_in):
    from lib.config.params import load_params
    from lib.errors import ParamsError

    with pytest.raises(ParamsError, match=r"peers.populations.durham = 0: Input should be greater than 0"):
        load_params(params_in(peers__populations__durham=0))
    with pytest.raises(ParamsError, match=r"populations.durham: the force's own population is scorecard.population"):
        load_params(params_in(peers__force="durham"))
    with pytest.raises(ParamsError, match=r"peers.archive = .*no such folder"):
        load_params(params_in(peers__archive="/nowhere/archive"))


def test_a_peer_missing_from_the_archive_is_named(params_in):
    from lib.chapters import peers as benchmark
    from lib.config.params import load_params
    from lib.errors import DataError

    params = load_params(params_in(**{"peers__populations__dyfed-powys": 520000}))
    with pytest.raises(DataError, match=r"no street files for peer force 'dyfed-powys'.*Forces in this archive: cleveland"):
        benchmark.compute(params)


# --- The funnel's words (issue 21) ------------------------------------------------------------------------------

def _funnel_facts(x, populations, overdispersion):
    from lib.stats import funnel

    reference = x.sum() / populations.sum()
    f = funnel.funnel(x, populations * reference, target=1.0, kind="ratio", overdispersion=overdispersion,
                      labels=[f"force-{i}" for i in range(len(x))])
    units = f.units.assign(population=populations, rate=1000 * reference * f.units["value"], name=f.units["unit"])
    key = pd.DataFrame([{"force": "force-0", "peers": len(x), "window_first": "2019-01", "window_last": "2019-12",
                         "group_rate": 1000 * reference, "phi": f.dispersion.phi, "adjusted": f.adjustment is not None}])
    rank_rows = pd.DataFrame([{"crime_type": TOTAL, "rate": units["rate"].iloc[0], "rank": 1, "of": len(x)}])
    return {"peers_funnel": units, "peers_key": key, "peers_rank": rank_rows}, f


def test_an_over_dispersed_funnel_reads_the_usual_spread_between_forces():
    """Spiegelhalter (2005) §5: when units differ more than chance allows, the limits are widened by φ, and they then
    show the usual spread between units, not chance: a force inside them is "within the usual spread between
    forces", never "no different from the group beyond chance" (the words before issue 21). The demo's φ = 711 is
    such a case. Without over-dispersion, the limits are chance's and the words say so."""
    from lib.chapters import peers as view

    populations = np.array([570e3, 640e3, 935e3, 1.34e6, 1.41e6, 1.43e6, 1.48e6, 600e3])
    rates_ = np.random.default_rng(3).normal(0.075, 0.012, 8)  # forces differ by about 16%: far beyond chance
    facts, f = _funnel_facts(np.round(populations * rates_), populations, "multiplicative")
    assert f.adjustment == "multiplicative" and f.dispersion.phi > 100
    shown, _ = view.funnel_display(facts)
    bands = dict(zip(facts["peers_funnel"]["unit"], facts["peers_funnel"]["band"]))
    words = dict(zip(shown["force"], shown["in the funnel plot"]))
    assert bands["force-0"] == "above 95%" and words["force-0"] == ("above the usual spread between forces "
                                                                    "(outside the 95% limit)")
    assert {words[u] for u, b in bands.items() if b == "within"} == {"within the usual spread between forces"}
    assert not any("beyond chance" in w or "no different" in w for w in words.values())
    sentence = view.narrative(facts, None)["funnel_sentence"]
    assert sentence.startswith("In the funnel plot the force lies above the usual spread between forces")
    # Forces that differ only by chance: the limits are chance's alone, and so are the words.
    expected = populations * 0.075
    plain, g = _funnel_facts(np.round(expected + np.sqrt(expected) * np.array([0.3, -0.5, 1.1, -0.2, 0.4, -1.0, 0.1,
                                                                                 0.6])), populations, "multiplicative")
    assert g.adjustment is None
    words = view.funnel_display(plain)[0]["in the funnel plot"]
    assert set(words) == {"within what chance alone gives a force of its size"}
