"""Rotas people can work: a repeating cycle of pattern lines that covers a weekly requirement under working-time rules.

The free best fit (:mod:`lib.staffing.rostering`) says how many staff start each shift; nobody has to
be able to work it. A rota is made of *pattern lines*: line ``i`` is one week of named shifts or
rest days, and with ``N`` lines person ``k`` works line ``(k + w) mod N`` in week ``w``. Everyone
works every line in turn, so the cover in any week is the sum over the lines, and the rules
(rest between shifts, consecutive working days, weekends off — in the cycle, and at least one in every
``weekend_off_every_weeks`` weeks in a row — and average weekly hours) apply to the lines read one after
another, including the wrap from the last line back to the first.

Model (CP-SAT)
--------------
Booleans ``x[i, d, s]``: line ``i`` works shift ``s`` starting on day ``d`` (at most one a day);
``used[i]``: line ``i`` is in the cycle (the used lines are a prefix, ``min_lines`` to ``max_lines``),
so the cycle length ``N`` (= people, one person a line) is chosen by the solver as part of the
objective rather than searched in an outer loop, and the wrap constraints of every possible last line
are enforced only if that line is the last. A fixed cycle length is ``min_lines = max_lines``; a
``max_lines`` too small for full cover is reported with a value that would do. A day is worked if a shift starts on it; a weekend
off is Saturday 00:00 to Monday 00:00 free (so a Friday shift ending after midnight spoils it).
With ``team_size`` = g each line is worked by a team of g people, who rotate together.

Objective, lexicographic through weights: minimise (1) staff-hours under the requirement (zero when
``require_full_cover``, the default, makes cover a hard constraint), then (2) people ``g N``, then
(3) paid hours a week ``g × Σ shift lengths``.

Why CP-SAT rather than ``scipy.optimize.milp`` (which the free best fit uses): the rules are logical (a
clause per forbidden pair of shifts, sliding windows, constraints that hold only if a line is the last
of the cycle), which CP-SAT takes directly and milp would need big-M rows for; the lines are
interchangeable, a symmetry that CP-SAT's local and large-neighbourhood search handle without
enumerating it; it reports a best bound; it proves infeasibility, so each rule can be tested relaxed;
and its deterministic time limit makes a run that stops early reproducible (below).

Reproducibility (the book's notebooks are compared byte for byte): CP-SAT's ``workers`` search
strategies (its portfolio: LP-based search, local search, large-neighbourhood search ...) run
*interleaved on one thread*, one task at a time (``interleave_search`` with a batch of 1), with a fixed
seed, and the time limit is counted in CP-SAT's deterministic time (work done, roughly seconds), not
wall-clock time, so the same inputs stop at the same point whatever the machine's load. (Parallel
threads and wall-clock limits both make the result depend on timing; we measured different rotas from
run to run with either.) A wall-clock guard of 30 × the limit + 60 s stops a hang; ``reproducible``
says whether it fired. Identical output across OR-Tools versions or CPUs is not promised by OR-Tools.

References
----------
Perron, L. & Didier, F. CP-SAT, OR-Tools (https://developers.google.com/optimization/cp).
The Working Time Regulations 1998 (SI 1998/1833), regs 4 (48-hour average), 10 (11 h daily rest),
11 (weekly rest).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib.errors import ModelError
from lib.staffing import rostering
from lib.staffing.rota_rules import DEFAULT_SHIFTS, REST, NamedShift, RotaParams  # noqa: F401  (the public API)

HOURS = rostering.HOURS
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# The rules a rota must meet: each can be relaxed in turn to say which one makes a requirement infeasible.
RULES = ("min_rest_hours", "max_consecutive_days", "weekends_off_per_cycle", "weekend_off_every_weeks",
         "max_average_weekly_hours")
OPTIONAL_RULES = ("weekend_off_every_weeks", "max_average_weekly_hours")  # None: the rule is not set
_DIAGNOSE_SECONDS = 2.0  # deterministic seconds per diagnostic solve
_PROBES = 6  # solves per rule when looking for a value that would do
_WALL_FACTOR = 30  # wall-clock guard: seconds per deterministic second, far above what CP-SAT needs


def shift_hours(shift: NamedShift, day: int) -> np.ndarray:
    """Hours of the week (0-167) a shift starting on ``day`` (0 = Monday) covers, wrapping into Monday."""
    return rostering.Shift(day, shift.start_hour, shift.length_hours).hours()


def line_cover(lines: pd.DataFrame, shifts, team_size: int = 1) -> np.ndarray:
    """Cover per hour of the week of a rota table (line × day → shift name or Rest): the sum over its lines."""
    by_name = {s.name: s for s in shifts}
    cover = np.zeros(HOURS, dtype=int)
    for d, day in enumerate(DAYS):
        for name in lines[day]:
            if name != REST:
                cover[shift_hours(by_name[name], d)] += team_size
    return cover


@dataclass(frozen=True, eq=False)
class Rota:
    """A solved rota: the pattern lines, what they cost and cover, and how sure the solver is."""

    lines: pd.DataFrame  # index line (1..N), columns Mon..Sun: shift name or "Rest"
    people: int  # team_size × N
    paid_hours: int  # a week, all people
    requirement: np.ndarray  # staff needed per hour of the week (whole)
    cover: np.ndarray  # staff on duty per hour of the week
    status: str  # CP-SAT: OPTIMAL (proved) or FEASIBLE (time limit reached first)
    objective: float  # weighted: under-cover, then people, then paid hours (see the module notes)
    best_bound: float
    params: RotaParams
    deterministic_seconds: float  # CP-SAT work done: reproducible, unlike wall time
    wall_seconds: float  # not reproducible: never show it in the book
    reproducible: bool  # False only if the wall-clock guard, not the deterministic limit, stopped CP-SAT
    people_weight: int  # the objective's weight on people (W_p)

    @property
    def weeks(self) -> int:
        """Cycle length in weeks (the number of lines)."""
        return len(self.lines)

    @property
    def gap(self) -> float:
        """Relative optimality gap, |objective − best bound| / max(1, |objective|); 0 when proved optimal."""
        return abs(self.objective - self.best_bound) / max(1.0, abs(self.objective))

    @property
    def people_bound(self) -> int | None:
        """Fewest people any rota meeting the rules could have, from the best bound (full cover only, else None).

        With no under-cover the bound is ``W_p × people + paid hours`` at best and paid hours < ``W_p``, so
        ``floor(bound / W_p)`` people is a lower bound; it equals ``people`` when the rota is proved optimal.
        """
        return int(self.best_bound // self.people_weight) if self.params.require_full_cover else None

    @property
    def under(self) -> np.ndarray:
        """Staff short in each hour of the week."""
        return np.maximum(self.requirement - self.cover, 0)

    @property
    def over(self) -> np.ndarray:
        """Staff spare in each hour of the week."""
        return np.maximum(self.cover - self.requirement, 0)

    @property
    def under_staff_hours(self) -> int:
        """Total under-cover, staff-hours a week."""
        return int(self.under.sum())

    @property
    def pct_hours_covered(self) -> float:
        """Share of the 168 hours whose cover meets the requirement, %."""
        return 100 * float((self.cover >= self.requirement).mean())

    def hourly(self) -> pd.DataFrame:
        """Per hour of the week: requirement, cover, under and over."""
        how = np.arange(HOURS)
        return pd.DataFrame({"how": how, "day": [DAYS[h // 24] for h in how], "hour": how % 24,
                             "requirement": self.requirement, "cover": self.cover, "under": self.under, "over": self.over})

    def summary(self) -> dict:
        """The headline figures (all reproducible)."""
        return {"weeks": self.weeks, "people": self.people, "people_bound": self.people_bound, "paid_hours": self.paid_hours,
                "under_staff_hours": self.under_staff_hours, "pct_hours_covered": round(self.pct_hours_covered, 1),
                "status": self.status, "objective": self.objective, "best_bound": self.best_bound, "gap": round(self.gap, 4)}


def _requirement(requirement) -> np.ndarray:
    """168 whole staff numbers (rounded up, as the best fit does)."""
    req = np.asarray(requirement, dtype=float)
    if req.shape != (HOURS,) or np.isnan(req).any() or (req < 0).any() or np.isinf(req).any():
        raise ModelError("requirement must be 168 non-negative numbers (one per hour of the week)")
    return np.ceil(req - 1e-9).astype(int)


def _pairs(days: int, k: int, last: dict):
    """Pairs of cycle days k apart: (day, later day, literals that must hold), the wrap for each possible last line."""
    for g in range(days - k):
        yield g, g + k, []
    for i, lit in last.items():
        c = 7 * (i + 1)
        for g in range(max(0, c - k), c):
            if (g + k) % c != g:
                yield g, (g + k) % c, [lit]


def _build(req: np.ndarray, p: RotaParams, objective: bool):
    """The CP-SAT model; each rule is enforced by its own literal (fixed true, or assumed, by the caller)."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    ns, n_lines = len(p.shifts), p.max_lines
    days = 7 * n_lines
    x = [[m.new_bool_var(f"x{g}_{s}") for s in range(ns)] for g in range(days)]
    used = [m.new_bool_var(f"used{i}") for i in range(n_lines)]
    rule = {r: m.new_bool_var(r) for r in RULES}
    for i in range(n_lines):
        if i < p.min_lines:
            m.add(used[i] == 1)
        if i:
            m.add_implication(used[i], used[i - 1])
    for g in range(days):
        m.add_at_most_one(x[g])
        for v in x[g]:
            m.add_implication(v, used[g // 7])
    last = {}
    for i in range(p.min_lines - 1, n_lines):
        if i == n_lines - 1:
            last[i] = used[i]
        else:
            last[i] = m.new_bool_var(f"last{i}")
            m.add_bool_and([used[i], ~used[i + 1]]).only_enforce_if(last[i])
            m.add_bool_or([~used[i], used[i + 1], last[i]])
    ends = [sh.start_hour + sh.length_hours for sh in p.shifts]
    _rest(m, x, last, p, rule, ends)
    _consecutive_days(m, x, last, p, rule)
    _weekends(m, x, used, last, p, rule, ends)
    hours = sum(p.shifts[s].length_hours * x[g][s] for g in range(days) for s in range(ns))
    if p.max_average_weekly_hours is not None:
        cap = math.floor(100 * p.max_average_weekly_hours + 1e-9)
        m.add(100 * hours <= cap * sum(used)).only_enforce_if(rule["max_average_weekly_hours"])
    under = _cover(m, x, req, p)
    if objective:
        w_people = _people_weight(p)
        w_under = w_people * (p.team_size * n_lines + 1)
        m.minimize(w_under * sum(under) + w_people * p.team_size * sum(used) + p.team_size * hours)
    return m, x, used, rule


def _rest(m, x: list, last: dict, p: RotaParams, rule: dict, ends: list) -> None:
    """Rest (and overlaps, which are never allowed): forbid each pair of shifts too close on days k apart."""
    ns, days = len(p.shifts), len(x)
    k = 1
    while 24 * k + min(s.start_hour for s in p.shifts) - max(ends) < max(p.min_rest_hours, 1):
        bad = [(a, b, 24 * k + p.shifts[b].start_hour - ends[a]) for a in range(ns) for b in range(ns)]
        bad = [(a, b, gap < 0) for a, b, gap in bad if gap < p.min_rest_hours or gap < 0]
        for g1, g2, held in _pairs(days, k, last):
            for a, b, overlap in bad:
                m.add_bool_or([~x[g1][a], ~x[g2][b]] + [~lit for lit in held] + ([] if overlap else [~rule["min_rest_hours"]]))
        k += 1


def _consecutive_days(m, x: list, last: dict, p: RotaParams, rule: dict) -> None:
    """Every K + 1 days in a row (round the cycle, with repeats if it is shorter) hold a rest day."""
    kk, days = p.max_consecutive_days, len(x)
    work = [sum(x[g]) for g in range(days)]
    for g in range(days - kk):
        m.add(sum(work[g:g + kk + 1]) <= kk).only_enforce_if(rule["max_consecutive_days"])
    for i, lit in last.items():
        c = 7 * (i + 1)
        for g in range(max(0, c - kk), c):
            m.add(sum(work[(g + j) % c] for j in range(kk + 1)) <= kk).only_enforce_if([rule["max_consecutive_days"], lit])


def _cover(m, x: list, req: np.ndarray, p: RotaParams) -> list:
    """Cover of every hour with a requirement (less any under-cover allowed); returns the under-cover variables."""
    terms = [[] for _ in range(HOURS)]
    for g in range(len(x)):
        for s in range(len(p.shifts)):
            for h in shift_hours(p.shifts[s], g % 7):
                terms[h].append(x[g][s])
    under = [m.new_int_var(0, 0 if p.require_full_cover else int(req[h]), f"under{h}") for h in range(HOURS)]
    for h in range(HOURS):
        if req[h]:
            m.add(p.team_size * sum(terms[h]) + under[h] >= int(req[h]))
    return under


def _weekends(m, x: list, used: list, last: dict, p: RotaParams, rule: dict, ends: list) -> None:
    """Weekends off: a line's weekend is off when no shift starts on Saturday or Sunday and none from Friday runs past
    midnight; at least ``weekends_off_per_cycle`` in the cycle, and one in every ``weekend_off_every_weeks``."""
    ns = len(p.shifts)
    weekend = [m.new_bool_var(f"weekend{i}") for i in range(len(used))]
    for i in range(len(used)):
        m.add_implication(weekend[i], used[i])
        spoil = x[7 * i + 5] + x[7 * i + 6] + [x[7 * i + 4][s] for s in range(ns) if ends[s] > 24]
        for v in spoil:
            m.add_implication(weekend[i], ~v)
    m.add(sum(weekend) >= p.weekends_off_per_cycle).only_enforce_if(rule["weekends_off_per_cycle"])
    if p.weekend_off_every_weeks is not None:
        _weekend_windows(m, weekend, used, last, p.weekend_off_every_weeks, rule["weekend_off_every_weeks"])


def _weekend_windows(m, weekend: list, used: list, last: dict, k: int, enforce) -> None:
    """At least one weekend off in every ``k`` lines in a row, read round the cycle: the windows inside the used lines,
    and for each possible last line the windows that wrap back to the first (a cycle shorter than ``k`` needs one)."""
    n_lines = len(weekend)
    for g in range(n_lines - k + 1):
        m.add(sum(weekend[g:g + k]) >= 1).only_enforce_if([enforce, used[g + k - 1]])
    for i, lit in last.items():
        c = i + 1
        for g in range(max(0, c - k + 1), c):
            lines = sorted({(g + j) % c for j in range(k)})
            m.add(sum(weekend[j] for j in lines) >= 1).only_enforce_if([enforce, lit])


def _people_weight(p: RotaParams) -> int:
    """W_p: more than the most paid hours any rota can have, so one person fewer always beats any hours saved."""
    return p.team_size * 7 * p.max_lines * max(s.length_hours for s in p.shifts) + 1


def _solver(p: RotaParams, seconds: float):
    """A reproducible CP-SAT solver: ``workers`` strategies interleaved on one thread, fixed seed, deterministic limit."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = p.workers
    solver.parameters.interleave_search = True
    solver.parameters.interleave_batch_size = 1  # one task at a time: sequential, so thread timing cannot matter
    solver.parameters.random_seed = p.seed
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = _WALL_FACTOR * seconds + 60  # a guard against a hang, not the limit
    return solver


def _feasible(req: np.ndarray, p: RotaParams, relax: tuple[str, ...] = ()) -> bool | None:
    """Whether some rota meets every rule but those in ``relax``: True, False, or None (undecided in time)."""
    from ortools.sat.python import cp_model

    m, _, _, rule = _build(req, p, objective=False)
    m.add_bool_and([rule[r] for r in RULES if r not in relax])
    status = _solver(p, min(p.time_limit_seconds, _DIAGNOSE_SECONDS)).solve(m)
    return {cp_model.OPTIMAL: True, cp_model.FEASIBLE: True, cp_model.INFEASIBLE: False}.get(status)


def _would_do(req: np.ndarray, p: RotaParams, key: str, values: list) -> object | None:
    """The least change of ``key`` (values ordered from the least change) proved feasible by bisection, or None."""
    lo, hi, found, probes = 0, len(values) - 1, None, 0
    while lo <= hi and probes < _PROBES:
        mid = (lo + hi) // 2
        probes += 1
        if _feasible(req, replace(p, **{key: values[mid]})):
            found, hi = values[mid], mid - 1
        else:
            lo = mid + 1
    return found


def _diagnose(req: np.ndarray, p: RotaParams) -> str:
    """Which rule(s) make the requirement infeasible, each with its value and, if found, a value that would do."""
    w = p.where
    rules = [r for r in RULES if r not in OPTIONAL_RULES or getattr(p, r) is not None]
    feasible = _feasible(req, p)
    if feasible is None:
        return (f"no rota found within {w}.time_limit_seconds = {p.time_limit_seconds:g}, and the rules could not be "
                "proved feasible or infeasible either: raise the time limit")
    if feasible:
        return f"no rota found within {w}.time_limit_seconds = {p.time_limit_seconds:g} (one exists): raise the time limit"
    ranges = {"min_rest_hours": list(range(p.min_rest_hours - 1, -1, -1)),
              "max_consecutive_days": list(range(p.max_consecutive_days + 1, 43)),
              "weekends_off_per_cycle": list(range(p.weekends_off_per_cycle - 1, -1, -1)),
              "weekend_off_every_weeks": list(range((p.weekend_off_every_weeks or 0) + 1, p.max_lines + 1)),
              "max_average_weekly_hours": list(range(math.floor(p.max_average_weekly_hours or 0) + 1, 169))}
    culprits = []
    for r in rules:
        if _feasible(req, p, relax=(r,)):
            value = _would_do(req, p, r, ranges[r])
            culprits.append(f"{w}.{r} = {getattr(p, r)!r}" + (f" ({value} would do)" if value is not None else ""))
    bigger = replace(p, max_lines=min(200, max(2 * p.max_lines, p.max_lines + 10)))
    if bigger.max_lines > p.max_lines and _feasible(req, bigger):
        try:
            people = solve(req, replace(bigger, time_limit_seconds=min(p.time_limit_seconds, _DIAGNOSE_SECONDS))).weeks
            culprits.append(f"{w}.max_lines = {p.max_lines} ({people} would do)")
        except ModelError:
            culprits.append(f"{w}.max_lines = {p.max_lines}")
    what = "cover every hour" if p.require_full_cover else "meet the weekends off"
    if culprits:
        return f"no rota can {what} under these rules; relaxing any one of these alone would give one: " + "; ".join(culprits)
    together = ", ".join(f"{w}.{r} = {getattr(p, r)!r}" for r in rules)
    return f"no rota can {what} under these rules, and no single one relaxed gives one: {together}, {w}.max_lines = {p.max_lines}"


def _check_coverable(req: np.ndarray, p: RotaParams) -> None:
    """Every hour with a requirement is covered by some shift on some day."""
    covered = np.zeros(HOURS, dtype=bool)
    for s in p.shifts:
        for d in range(7):
            covered[shift_hours(s, d)] = True
    gaps = np.flatnonzero((req > 0) & ~covered)
    if gaps.size:
        h = int(gaps[0])
        shifts = ", ".join(s.label for s in p.shifts)
        raise ModelError(f"{p.where}.shifts: the requirement needs {req[h]} staff at {DAYS[h // 24]} {h % 24:02d}:00 "
                         f"(and {gaps.size - 1} other hours) but no shift covers it (shifts: {shifts}); add a shift "
                         f"covering those hours or set {p.where}.require_full_cover = false")


def solve(requirement, params: RotaParams | Mapping | None = None) -> Rota:
    """The rota with the least under-cover, then the fewest people, then the fewest paid hours.

    Parameters
    ----------
    requirement : array-like of 168 numbers
        Staff needed in each hour of the week (Monday 00:00 first); rounded up to whole staff.
    params : RotaParams or mapping, optional
        Rules and solver settings (a mapping is validated by :meth:`RotaParams.from_mapping`).

    Returns
    -------
    Rota
        Status OPTIMAL (proved) or FEASIBLE (best found when the deterministic time limit was reached;
        see ``best_bound`` and ``gap``).

    Raises
    ------
    ModelError
        Invalid requirement or parameter (naming the key and value); a required hour no shift covers;
        no rota meets the rules (naming the rule(s) that rule it out and, where found, values that would
        do); or none found within the time limit.

    Notes
    -----
    Objective: ``W_u × Σ_h under_h + W_p × g N + g Σ lengths`` with ``W_p`` above any paid hours and
    ``W_u`` above any people term, so the three are minimised in that order.
    """
    from ortools.sat.python import cp_model

    req = _requirement(requirement)
    p = params if isinstance(params, RotaParams) else RotaParams.from_mapping(params or {})
    if p.require_full_cover:
        _check_coverable(req, p)
    m, x, used, rule = _build(req, p, objective=True)
    m.add_bool_and(list(rule.values()))
    solver = _solver(p, p.time_limit_seconds)
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ModelError(_diagnose(req, p))
    n = sum(solver.boolean_value(u) for u in used)
    table = [[next((s.name for s, v in zip(p.shifts, x[7 * i + d]) if solver.boolean_value(v)), REST) for d in range(7)]
             for i in range(n)]
    lines = pd.DataFrame(table, columns=DAYS, index=pd.RangeIndex(1, n + 1, name="line"))
    length = {s.name: s.length_hours for s in p.shifts}
    paid = p.team_size * sum(length.get(v, 0) for row in table for v in row)
    return Rota(lines=lines, people=p.team_size * n, paid_hours=paid, requirement=req,
                cover=line_cover(lines, p.shifts, p.team_size), status=solver.status_name(status),
                objective=float(solver.objective_value), best_bound=float(solver.best_objective_bound), params=p,
                deterministic_seconds=float(solver.deterministic_time), wall_seconds=float(solver.wall_time),
                reproducible=status == cp_model.OPTIMAL or solver.deterministic_time >= 0.999 * p.time_limit_seconds,
                people_weight=_people_weight(p))


def compare_with_best_fit(rota: Rota, plan: rostering.Plan | None = None, time_limit_seconds: float = 30,
                          mip_gap: float = 0.0) -> pd.DataFrame:
    """The rota beside the free best fit: paid hours, people and cover of each.

    ``plan`` defaults to :func:`lib.staffing.rostering.best_fit` over the rota's own start hours and
    lengths (every combination), so the difference is the cost of the working-time rules and of whole
    people. The best fit has no people: its column holds paid hours ÷ the maximum average weekly hours,
    rounded up (the fewest people who could work it if no rule bit), or NaN without that maximum.
    """
    if plan is None:
        plan = rostering.best_fit(rota.requirement, sorted({s.start_hour for s in rota.params.shifts}),
                                  sorted({s.length_hours for s in rota.params.shifts}), time_limit_seconds, mip_gap)
    cap = rota.params.max_average_weekly_hours
    rows = []
    for name, cover, paid, people in (("free best fit", plan.cover, plan.paid_hours,
                                       math.ceil(plan.paid_hours / cap - 1e-9) if cap else float("nan")),
                                      ("rota", rota.cover, rota.paid_hours, rota.people)):
        gaps = rostering.cover_gaps(cover, rota.requirement)
        rows.append({"roster": name, "paid_hours": float(paid), "people": people,
                     "pct_hours_covered": round(100 * float((np.asarray(cover) >= rota.requirement).mean()), 1),
                     **{k.replace(" ", "_").replace("-", "_"): v for k, v in gaps.items()}})
    out = pd.DataFrame(rows)
    out["paid_hours_vs_best_fit_pct"] = (100 * (out["paid_hours"] / plan.paid_hours - 1)).round(1) if plan.paid_hours else 0.0
    return out
