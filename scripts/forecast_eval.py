#!/usr/bin/env python3
"""Evaluates Loom's forecaster (`loom forecast`) against statistical forecasters on public series.

Usually run through the wrapper, which creates the venv when it is missing:

    scripts/forecast-eval                                   # dev suite, baselines + Loom, print report
    scripts/forecast-eval --suite check                     # the held-back suite (not used for tuning)
    scripts/forecast-eval --suite all --write               # both suites, report to Benchmarks/forecasting.md
    scripts/forecast-eval --baselines-only                  # statistical forecasters only
    scripts/forecast-eval --label "loom (tutorial)" --loom-args "--preset tutorial" \\
                          --label "loom (gru)" --loom-args "--model gru"   # several Loom variants

The venv lives outside the repository:

    python3 -m venv /tmp/fcvenv && /tmp/fcvenv/bin/pip install statsforecast statsmodels pandas

Protocol: each series is written as a `date,value` CSV into the work folder (default
/tmp/loom-forecast-eval); the last h values are held out (monthly 12, quarterly 8, annual 10,
weekly 52) and every method is fit on the rest only. Baselines are statsforecast's SeasonalNaive
(Naive for annual series), AutoETS, AutoARIMA and AutoTheta with the season length of the
frequency (monthly 12, quarterly 4, annual 1, weekly 52), with 80% and 95% prediction
intervals. Their results are cached in the work folder (`--refresh-baselines` recomputes).
Loom is run as `loom forecast --csv FILE --column value --date-column date --test H --seed S
--json --quiet [--loom-args ...]`, once per seed, one run at a time.

Metrics per series and method: RMSE, MASE (MAE over the in-sample MAE of the seasonal naive
forecast on the training part, period 1 for annual series), sMAPE (100 * mean 2|f-a|/(|f|+|a|)),
coverage of the 80% / 95% intervals and the fit time. Suite summary: geometric mean over series
of RMSE / seasonal-naive RMSE, mean rank by RMSE, worst ratio, pooled interval coverage and
total time.
"""
import argparse
import datetime as dt
import hashlib
import json
import math
import os
import pathlib
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
DEFAULT_WORK = pathlib.Path("/tmp/loom-forecast-eval")
REPORT_PATH = ROOT / "Benchmarks" / "forecasting.md"

HORIZON = {"monthly": 12, "quarterly": 8, "annual": 10, "weekly": 52}
SEASON = {"monthly": 12, "quarterly": 4, "annual": 1, "weekly": 52}
LEVELS = (80, 95)
BASELINES = ("snaive", "ets", "arima", "theta")
BASELINE_NAMES = {"snaive": "SeasonalNaive", "ets": "AutoETS", "arima": "AutoARIMA", "theta": "AutoTheta"}
CACHE_VERSION = 1


# ----------------------------------------------------------------------------------------------
# Series and suites


@dataclass
class Series:
    name: str
    freq: str  # monthly, quarterly, annual
    dates: list  # datetime.date per value
    values: np.ndarray
    character: str
    source: str

    @property
    def h(self):
        return HORIZON[self.freq]

    @property
    def season(self):
        return SEASON[self.freq]

    @property
    def train(self):
        return self.values[: -self.h]

    @property
    def test(self):
        return self.values[-self.h :]

    def fingerprint(self):
        text = json.dumps([self.freq, self.h, self.season, [float(v) for v in self.values]])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def monthly_dates(year, month, n):
    """n first-of-month dates starting at year-month."""
    return [dt.date(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 1) for i in range(n)]


def quarterly_dates(years, quarters):
    return [dt.date(int(y), 3 * (int(q) - 1) + 1, 1) for y, q in zip(years, quarters)]


def annual_dates(years):
    return [dt.date(int(y), 1, 1) for y in years]


def load_flights():
    path = SHARED_DATA / "flights.csv"
    if not path.exists():
        path = ROOT / "Sources" / "LoomCLI" / "Resources" / "flights.csv"
    df = pd.read_csv(path)
    months = pd.to_datetime(df["month"], format="%b").dt.month
    dates = [dt.date(int(y), int(m), 1) for y, m in zip(df["year"], months)]
    return Series("airline", "monthly", dates, df["passengers"].to_numpy(float),
                  "trend + multiplicative season", f"{path.name} (1949–1960)")


def load_co2():
    from statsmodels.datasets import co2
    weekly = co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate()
    dates = [d.date() for d in monthly.index]
    return Series("co2", "monthly", dates, monthly.to_numpy(float),
                  "trend + season, long, smooth",
                  "statsmodels co2 (Mauna Loa, weekly → monthly mean, gaps interpolated)")


def load_elnino():
    from statsmodels.datasets import elnino
    wide = elnino.load_pandas().data
    first_year = int(wide["YEAR"].iloc[0])
    values = wide.drop(columns="YEAR").to_numpy(float).ravel()
    return Series("elnino", "monthly", monthly_dates(first_year, 1, len(values)), values,
                  "season, no trend, irregular swings", "statsmodels elnino (sea temperature, 1950–2010)")


def load_nile():
    from statsmodels.datasets import nile
    df = nile.load_pandas().data
    return Series("nile", "annual", annual_dates(df["year"]), df["volume"].to_numpy(float),
                  "level shift, no season, short", "statsmodels nile (flow, 1871–1970)")


def load_sunspots_annual():
    from statsmodels.datasets import sunspots
    df = sunspots.load_pandas().data
    return Series("sunspots-annual", "annual", annual_dates(df["YEAR"]), df["SUNACTIVITY"].to_numpy(float),
                  "~11-year cycle, no calendar season", "statsmodels sunspots (1700–2008)")


def load_sunspots_monthly(years=40):
    path = SHARED_DATA / "sunspots_monthly.csv"
    df = pd.read_csv(path).tail(12 * years)
    dates = [dt.date(int(y), int(m), 1) for y, m in zip(df["year"], df["month"])]
    return Series("sunspots-monthly", "monthly", dates, df["sunspots"].to_numpy(float),
                  "cycle, noisy, no calendar season",
                  f"{path.name}, last {years} years ({dates[0].year}–{dates[-1].year})")


def macro_series(column, name, character):
    from statsmodels.datasets import macrodata
    df = macrodata.load_pandas().data
    return Series(name, "quarterly", quarterly_dates(df["year"], df["quarter"]), df[column].to_numpy(float),
                  character, f"statsmodels macrodata {column} (US, 1959–2009)")


def load_elec_equip():
    from statsmodels.datasets import elec_equip
    df = elec_equip.load().data
    return Series("elec-equip", "monthly", [d.date() for d in df.index], df.iloc[:, 0].to_numpy(float),
                  "season + business cycle (2008 slump in training)", "statsmodels elec_equip (euro-area orders index, 1995–2016)")


def load_interest_rate():
    from statsmodels.datasets import interest_inflation
    df = interest_inflation.load_pandas().data
    return Series("interest-rate", "quarterly", quarterly_dates(df["year"], df["quarter"]), df["R"].to_numpy(float),
                  "level, slow swings", "statsmodels interest_inflation R (German rate, 1972–1998)")


def load_danish_money():
    from statsmodels.datasets import danish_data
    df = danish_data.load_pandas().data
    return Series("danish-money", "quarterly", [d.date() for d in df.index], df["lrm"].to_numpy(float),
                  "log real money, short", "statsmodels danish_data lrm (1974–1987)")


def load_fertility(country="Japan"):
    from statsmodels.datasets import fertility
    df = fertility.load_pandas().data
    row = df[df["Country Name"] == country].iloc[0]
    years = [c for c in df.columns if c.isdigit()]
    values = pd.to_numeric(row[years], errors="coerce").dropna()
    return Series(f"fertility-{country.lower()}", "annual", annual_dates(values.index), values.to_numpy(float),
                  "smooth decline, annual", f"statsmodels fertility, {country} ({values.index[0]}–{values.index[-1]})")


SUITES = {
    # Used while developing Loom's forecaster.
    "dev": [
        load_flights,
        load_co2,
        load_elnino,
        load_nile,
        load_sunspots_annual,
        load_sunspots_monthly,
        lambda: macro_series("realgdp", "us-realgdp", "trend, recessions"),
        lambda: macro_series("unemp", "us-unemp", "no trend, cycles"),
    ],
    # Different series, only to check that nothing was tuned to the dev suite.
    "check": [
        load_elec_equip,
        lambda: macro_series("cpi", "us-cpi", "smooth trend"),
        lambda: macro_series("m1", "us-m1", "trend with breaks"),
        lambda: macro_series("realinv", "us-realinv", "trend, deep cycles"),
        lambda: macro_series("infl", "us-infl", "noisy, mean-reverting"),
        load_interest_rate,
        load_danish_money,
        load_fertility,
    ],
}


def write_csv(series, folder):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{series.name}.csv"
    with open(path, "w") as f:
        f.write("date,value\n")
        for d, v in zip(series.dates, series.values):
            f.write(f"{d.isoformat()},{v:.10g}\n")
    return path


# ----------------------------------------------------------------------------------------------
# Statistical baselines (statsforecast)


def baseline_model(key, season):
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, Naive, SeasonalNaive
    if key == "snaive":
        return SeasonalNaive(season_length=season) if season > 1 else Naive()
    return {"ets": AutoETS, "arima": AutoARIMA, "theta": AutoTheta}[key](season_length=season)


def run_baseline(key, series):
    """Fits one baseline on the training part; returns its forecast, intervals and time."""
    model = baseline_model(key, series.season)
    start = time.perf_counter()
    out = model.forecast(y=series.train.astype(float), h=series.h, level=list(LEVELS))
    seconds = time.perf_counter() - start
    result = {"forecast": [float(v) for v in out["mean"]], "seconds": seconds, "intervals": []}
    for level in LEVELS:
        lo, hi = out.get(f"lo-{level}"), out.get(f"hi-{level}")
        if lo is not None and hi is not None and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)):
            result["intervals"].append({"level": level, "lower": [float(v) for v in lo], "upper": [float(v) for v in hi]})
    return result


def warm_up_baselines():
    """Compiles statsforecast's numba code once so that it is not counted in the first fit time."""
    y = np.sin(np.arange(60) * 2 * np.pi / 12) + np.arange(60) * 0.05 + 10
    for key in BASELINES:
        for season in (12, 1):
            baseline_model(key, season).forecast(y=y, h=4, level=list(LEVELS))


def baselines_for(suite_series, work, refresh):
    """Baseline results per series, from the cache in the work folder when still valid."""
    import statsforecast
    cache_path = work / "baselines.json"
    cache = {}
    if cache_path.exists() and not refresh:
        cache = json.loads(cache_path.read_text())
    tag = f"v{CACHE_VERSION} statsforecast {statsforecast.__version__}"
    results, warmed = {}, False
    for s in suite_series:
        entry = cache.get(s.name)
        if entry and entry.get("fingerprint") == s.fingerprint() and entry.get("tag") == tag:
            results[s.name] = entry["methods"]
            continue
        if not warmed:
            log("warming up statsforecast (numba compilation)…")
            warm_up_baselines()
            warmed = True
        methods = {}
        for key in BASELINES:
            log(f"  {s.name}: {BASELINE_NAMES[key]}")
            methods[key] = run_baseline(key, s)
        cache[s.name] = {"fingerprint": s.fingerprint(), "tag": tag, "methods": methods}
        results[s.name] = methods
        cache_path.write_text(json.dumps(cache, indent=1))
    return results


# ----------------------------------------------------------------------------------------------
# Loom


@dataclass
class LoomVariant:
    label: str
    args: list
    notes: list = field(default_factory=list)
    date_column: bool = True  # turned off when the CLI rejects --date-column


def loom_command(binary, csv, series, seed, variant):
    cmd = [str(binary), "forecast", "--csv", str(csv), "--column", "value"]
    if variant.date_column:
        cmd += ["--date-column", "date"]
    return cmd + ["--test", str(series.h), "--seed", str(seed), "--json", "--quiet"] + variant.args


def parse_json_output(text):
    """The JSON object printed on stdout (tolerates other lines around it)."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start = text.find("{")
        if start < 0:
            raise
        obj, _ = json.JSONDecoder().raw_decode(text[start:])
        return obj


def run_loom_once(binary, csv, series, seed, variant):
    cmd = loom_command(binary, csv, series, seed, variant)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    data = parse_json_output(proc.stdout)
    forecast = data.get("forecast")
    if not isinstance(forecast, list) or len(forecast) != series.h:
        raise RuntimeError(f"expected {series.h} forecast values, got {forecast!r:.200}")
    result = {
        "seed": seed,
        "command": shlex.join(cmd),
        "forecast": [float(v) for v in forecast],
        "wall_seconds": wall,
        "fit_seconds": data.get("fitSeconds", data.get("trainSeconds")),
        "intervals": [],
        "model": data.get("model"),
        "season": data.get("seasonalPeriod", (data.get("config") or {}).get("seasonalPeriod")),
    }
    for iv in data.get("intervals") or []:
        try:
            lower, upper = [float(v) for v in iv["lower"]], [float(v) for v in iv["upper"]]
            if len(lower) == len(upper) == series.h:
                result["intervals"].append({"level": int(round(float(iv["level"]))), "lower": lower, "upper": upper})
        except (KeyError, TypeError, ValueError):
            pass
    actual = data.get("actual")
    if isinstance(actual, list) and len(actual) == series.h and not np.allclose(actual, series.test, rtol=1e-5, atol=1e-6):
        result["warning"] = "Loom's `actual` differs from the held-out values"
    return result


def run_loom(binary, csv, series, seed, variant):
    """One Loom run; falls back to no --date-column once if the CLI rejects the ISO dates."""
    try:
        return run_loom_once(binary, csv, series, seed, variant)
    except RuntimeError as error:
        if not variant.date_column:
            raise
        variant.date_column = False
        try:
            result = run_loom_once(binary, csv, series, seed, variant)
        except RuntimeError:
            variant.date_column = True
            raise error
        variant.notes.append(f"the CLI failed with `--date-column date` ({str(error)[:200]}); "
                             "ran without it from series `{}` on".format(series.name))
        return result


def loom_results_for(suite_series, csvs, binary, seeds, variant):
    results = {}
    for s in suite_series:
        runs = []
        for seed in seeds:
            log(f"  {variant.label}: {s.name} seed {seed}")
            try:
                runs.append(run_loom(binary, csvs[s.name], s, seed, variant))
            except (RuntimeError, json.JSONDecodeError) as error:
                runs.append({"seed": seed, "error": str(error)})
                log(f"    failed: {str(error)[:300]}")
        results[s.name] = runs
    return results


def binary_identity(binary):
    """sha256 prefix and modification time, to notice a binary rebuilt during a run."""
    try:
        digest = hashlib.sha256(pathlib.Path(binary).read_bytes()).hexdigest()[:12]
        mtime = dt.datetime.fromtimestamp(pathlib.Path(binary).stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        return f"sha256 {digest}…, built {mtime}"
    except OSError:
        return "?"


def loom_version(binary):
    try:
        return subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


# ----------------------------------------------------------------------------------------------
# Metrics


def rmse(f, a):
    return float(np.sqrt(np.mean((np.asarray(f) - a) ** 2)))


def mase(f, a, train, period):
    scale = np.mean(np.abs(train[period:] - train[:-period]))
    return float(np.mean(np.abs(np.asarray(f) - a)) / scale) if scale > 0 else float("nan")


def smape(f, a):
    f = np.asarray(f)
    denom = np.abs(f) + np.abs(a)
    terms = np.where(denom > 0, 2 * np.abs(f - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(100 * np.mean(terms))


def coverage_counts(intervals, a):
    """{level: (points inside, points)} for the intervals a method supplied."""
    counts = {}
    for iv in intervals:
        inside = (np.asarray(iv["lower"]) <= a) & (a <= np.asarray(iv["upper"]))
        counts[iv["level"]] = (int(inside.sum()), len(a))
    return counts


def point_metrics(forecast, series):
    a = series.test
    return {"rmse": rmse(forecast, a), "mase": mase(forecast, a, series.train, series.season),
            "smape": smape(forecast, a)}


def evaluate_run(run, series, seconds):
    m = point_metrics(run["forecast"], series)
    m["coverage"] = coverage_counts(run.get("intervals", []), series.test)
    m["seconds"] = seconds
    return m


def mean_sd(values):
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values:
        return float("nan"), float("nan")
    return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def evaluate_loom(runs, series):
    """Per-seed metrics, their mean and sd, and the metrics of the mean forecast over seeds."""
    ok = [r for r in runs if "forecast" in r]
    if not ok:
        return None
    per_seed = [evaluate_run(r, series, r["fit_seconds"] if r.get("fit_seconds") is not None else r["wall_seconds"])
                for r in ok]
    for m, r in zip(per_seed, ok):
        m["wall_seconds"] = r["wall_seconds"]
    summary = {k: mean_sd([m[k] for m in per_seed]) for k in ("rmse", "mase", "smape", "seconds", "wall_seconds")}
    pooled = {}
    for m in per_seed:
        for level, (inside, n) in m["coverage"].items():
            i0, n0 = pooled.get(level, (0, 0))
            pooled[level] = (i0 + inside, n0 + n)
    mean_forecast = np.mean([r["forecast"] for r in ok], axis=0)
    return {"seeds": [r["seed"] for r in ok], "failed": len(runs) - len(ok), "per_seed": per_seed,
            "mean_sd": summary, "coverage": pooled,
            "mean_forecast": {"forecast": mean_forecast.tolist(), **point_metrics(mean_forecast, series)}}


# ----------------------------------------------------------------------------------------------
# Suite summary


def method_table(suite_series, baselines, looms):
    """{method label: {series: {rmse, mase, smape, coverage, seconds}}} with Loom at its seed mean."""
    table = {}
    for key in BASELINES:
        table[BASELINE_NAMES[key]] = {
            s.name: evaluate_run(baselines[s.name][key], s, baselines[s.name][key]["seconds"]) for s in suite_series}
    for label, evals in looms.items():
        rows, ensemble = {}, {}
        for s in suite_series:
            e = evals.get(s.name)
            if e is None:
                continue
            rows[s.name] = {k: e["mean_sd"][k][0] for k in ("rmse", "mase", "smape", "seconds")}
            rows[s.name]["coverage"] = e["coverage"]
            rows[s.name]["total_seconds"] = sum(m["wall_seconds"] for m in e["per_seed"])
            ensemble[s.name] = {k: e["mean_forecast"][k] for k in ("rmse", "mase", "smape")}
            ensemble[s.name]["coverage"] = {}
        table[label] = rows
        table[f"{label}, mean of seeds"] = ensemble
    return table


def summarize(suite_series, table):
    names = [s.name for s in suite_series]
    reference = table[BASELINE_NAMES["snaive"]]
    ranked = [m for m in table if not m.endswith(", mean of seeds")
              and all(n in table[m] for n in names)]
    ranks = pd.DataFrame({m: [table[m][n]["rmse"] for n in names] for m in ranked}, index=names).rank(axis=1)
    summary = {}
    for method, rows in table.items():
        present = [n for n in names if n in rows]
        if not present:
            continue
        ratios = {n: rows[n]["rmse"] / reference[n]["rmse"] for n in present}
        worst = max(ratios, key=ratios.get)
        coverage = {}
        for level in LEVELS:
            counts = [rows[n]["coverage"][level] for n in present if level in rows[n]["coverage"]]
            if counts:
                coverage[level] = sum(c[0] for c in counts) / sum(c[1] for c in counts)
        seconds = [rows[n].get("seconds") for n in present]
        summary[method] = {
            "series": len(present),
            "geomean_ratio": float(np.exp(np.mean(np.log(list(ratios.values()))))),
            "mean_rank": float(ranks[method].mean()) if method in ranks else None,
            "worst_ratio": ratios[worst], "worst_series": worst,
            "coverage": coverage,
            "seconds": float(np.nansum([x for x in seconds if x is not None])) if any(x is not None for x in seconds) else None,
            "all_seeds_seconds": sum(rows[n]["total_seconds"] for n in present) if all("total_seconds" in rows[n] for n in present) else None,
            "ratios": ratios,
        }
    return summary


# ----------------------------------------------------------------------------------------------
# Report


def fmt(x, digits=3):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:#.{digits}g}" if abs(x) < 1 else f"{x:#.{digits + 1}g}"


def fmt_cov(counts, level):
    if level not in counts:
        return "—"
    inside, n = counts[level]
    return f"{inside / n:.0%}" if n else "—"


def series_table(suite_series):
    lines = ["| series | frequency | length | train | h | season | character | source |",
             "|---|---|---:|---:|---:|---:|---|---|"]
    for s in suite_series:
        lines.append(f"| {s.name} | {s.freq} | {len(s.values)} | {len(s.train)} | {s.h} | {s.season} | "
                     f"{s.character} | {s.source} ({s.dates[0].isoformat()} … {s.dates[-1].isoformat()}) |")
    return lines


def summary_table(summary):
    lines = ["| method | series | geo-mean RMSE ÷ SNaive | mean rank (RMSE) | worst ratio (series) | "
             "80% coverage | 95% coverage | fit time, s |",
             "|---|---:|---:|---:|---|---:|---:|---:|"]
    for method, s in summary.items():
        cov = [f"{s['coverage'][lv]:.0%}" if lv in s["coverage"] else "—" for lv in LEVELS]
        secs = fmt(s["seconds"])
        if s["all_seeds_seconds"] is not None:
            secs += f" (all seeds, wall: {fmt(s['all_seeds_seconds'])})"
        lines.append(f"| {method} | {s['series']} | {s['geomean_ratio']:.3f} | {fmt(s['mean_rank'])} | "
                     f"{s['worst_ratio']:.2f} ({s['worst_series']}) | {cov[0]} | {cov[1]} | {secs} |")
    return lines


def ratio_table(suite_series, summary):
    methods = list(summary)
    lines = ["| series | " + " | ".join(methods) + " |", "|---|" + "---:|" * len(methods)]
    for s in suite_series:
        cells = [f"{summary[m]['ratios'][s.name]:.2f}" if s.name in summary[m]["ratios"] else "—" for m in methods]
        lines.append(f"| {s.name} | " + " | ".join(cells) + " |")
    return lines


def detail_table(suite_series, baselines, looms, table):
    lines = ["| series | method | RMSE | MASE | sMAPE % | 80% cov. | 95% cov. | fit time, s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for s in suite_series:
        for key in BASELINES:
            m = table[BASELINE_NAMES[key]][s.name]
            name = BASELINE_NAMES[key] if key != "snaive" or s.season > 1 else "Naive"
            lines.append(f"| {s.name} | {name} | {fmt(m['rmse'])} | {fmt(m['mase'])} | {fmt(m['smape'])} | "
                         f"{fmt_cov(m['coverage'], 80)} | {fmt_cov(m['coverage'], 95)} | {m['seconds']:.2f} |")
        for label, evals in looms.items():
            e = evals.get(s.name)
            if e is None:
                lines.append(f"| {s.name} | {label} | failed | | | | | |")
                continue
            ms = e["mean_sd"]
            pm = lambda k: f"{fmt(ms[k][0])} ± {fmt(ms[k][1])}"
            seeds = f"{len(e['seeds'])} seeds" + (f", {e['failed']} failed" if e["failed"] else "")
            lines.append(f"| {s.name} | {label} ({seeds}) | {pm('rmse')} | {pm('mase')} | {pm('smape')} | "
                         f"{fmt_cov(e['coverage'], 80)} | {fmt_cov(e['coverage'], 95)} | {fmt(ms['seconds'][0])} |")
            mf = e["mean_forecast"]
            lines.append(f"| {s.name} | {label}, mean of seeds | {fmt(mf['rmse'])} | {fmt(mf['mase'])} | "
                         f"{fmt(mf['smape'])} | — | — | |")
    return lines


def choices_table(suite_series, loom_runs):
    """Per series: the season Loom used and the configuration each seed chose (when reported)."""
    lines = ["| variant | series | season (expected) | configuration chosen (seeds) |", "|---|---|---|---|"]
    found = False
    for label, runs_by_series in loom_runs.items():
        for s in suite_series:
            runs = [r for r in runs_by_series.get(s.name, []) if "forecast" in r]
            seasons = sorted({r["season"] for r in runs if r.get("season") is not None})
            models = {}
            for r in runs:
                if r.get("model"):
                    models.setdefault(r["model"], []).append(str(r["seed"]))
            found |= bool(seasons or models)
            season = ", ".join(map(str, seasons)) or "—"
            if seasons and seasons != [s.season]:
                season = f"**{season}** ({s.season})"
            else:
                season = f"{season} ({s.season})"
            chosen = "; ".join(f"{m} ({', '.join(seeds)})" for m, seeds in models.items()) or "—"
            lines.append(f"| {label} | {s.name} | {season} | {chosen} |")
    return lines if found else []


def suite_section(suite, suite_series, baselines, looms, summary, table, loom_runs):
    lines = [f"## Suite `{suite}`", "", f"Suite run: **{suite}** "
             + ("(the series Loom's forecaster is developed on)." if suite == "dev"
                else "(held back: never used for tuning; checks that the dev-suite results carry over)."),
             "", "### Series", ""]
    lines += series_table(suite_series)
    lines += ["", "### Summary", "",
              "Geo-mean ratio: geometric mean over series of the method's RMSE ÷ the seasonal-naive RMSE "
              "(Naive for annual series); below 1 beats it. Rank: mean over series of the rank by RMSE "
              "(1 = best; Loom ranked by its mean RMSE over seeds; the mean-of-seeds forecast is not ranked). "
              "Coverage: fraction of all held-out points of the suite inside the interval (Loom: pooled "
              "over seeds). Time: sum over series of one fit+forecast (Loom: its reported fit time, or "
              "wall time when it reports none, mean over seeds).", ""]
    lines += summary_table(summary)
    lines += ["", "### RMSE ÷ seasonal-naive RMSE per series", ""]
    lines += ratio_table(suite_series, summary)
    lines += ["", "### Per-series metrics", "",
              "Loom rows: mean ± sd over seeds; “mean of seeds” is the average of the seeds' forecasts.", ""]
    lines += detail_table(suite_series, baselines, looms, table)
    choices = choices_table(suite_series, loom_runs)
    if choices:
        lines += ["", "### Loom's choices", "",
                  "The season length Loom reported (`seasonalPeriod`; bold when it differs from the "
                  "frequency's) and the configuration (`model`) each seed ended up with.", ""] + choices
    failures = [f"- {label}, {name}, seed {r['seed']}: {r['error'][:300]}"
                for label, by_series in loom_runs.items() for name, runs in by_series.items()
                for r in runs if "error" in r]
    if failures:
        lines += ["", "### Failed Loom runs", ""] + failures
    return lines


def report(args, command, versions, sections, variants, binary, identity):
    lines = ["# Forecasting: Loom against statistical forecasters", "",
             f"Generated {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `scripts/forecast-eval`; "
             "rerun it to refresh this file.", "",
             "```sh", command, "```", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()} "
             "(shared; times are indicative). " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".", ""]
    if variants:
        lines.append(f"Loom binary: `{binary}` ({loom_version(binary)}, {identity[0]}); "
                     f"seeds {', '.join(map(str, args.seeds))}.")
        if identity[0] != identity[1]:
            lines.append(f"**Warning: the binary changed during the run** (now {identity[1]}); "
                         "the Loom results may mix two builds.")
        for v in variants:
            lines.append(f"- {v.label}: `loom forecast --csv FILE --column value"
                         f"{' --date-column date' if v.date_column else ''} --test H --seed S --json --quiet"
                         f"{' ' + shlex.join(v.args) if v.args else ''}`")
            lines += [f"  - note: {n}" for n in v.notes]
        lines.append("")
    else:
        lines += ["Loom not run (`--baselines-only`).", ""]
    lines += ["## Protocol", "",
              "- Each series is held out at its end: the last h values (monthly 12, quarterly 8, annual 10, "
              "weekly 52) are forecast in one go from a fit on the rest; nothing sees the held-out part.",
              "- Baselines (statsforecast): SeasonalNaive (Naive for annual series), AutoETS, AutoARIMA, "
              "AutoTheta, season length 12 monthly, 4 quarterly, 1 annual; 80% and 95% prediction intervals "
              "from the models. Fit time is one fit+forecast after a warm-up that compiles numba code.",
              "- Loom: the `loom forecast` CLI on the same `date,value` CSV, `--test H`, one run per seed.",
              "- RMSE; MASE = MAE ÷ in-sample MAE of the seasonal naive forecast (period = season, 1 for "
              "annual) on the training part; sMAPE = 100·mean 2|f−a|/(|f|+|a|); coverage = fraction of "
              "held-out points inside the interval.", ""]
    for section in sections:
        lines += section + [""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Command line


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part.strip()[1:]:
            a, b = part.split("-", 1)
            seeds += range(int(a), int(b) + 1)
        elif part.strip():
            seeds.append(int(part))
    return seeds


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", choices=["dev", "check", "all"], default="dev")
    p.add_argument("--work", type=pathlib.Path, default=DEFAULT_WORK,
                   help=f"work folder: data/, baseline cache, raw results (default {DEFAULT_WORK})")
    p.add_argument("--refresh-baselines", action="store_true", help="recompute the cached baselines")
    p.add_argument("--baselines-only", action="store_true", help="do not run Loom")
    p.add_argument("--loom", type=pathlib.Path, default=ROOT / ".build" / "release" / "loom",
                   help="the loom binary (default: .build/release/loom of this repository)")
    p.add_argument("--seeds", type=parse_seeds, default=parse_seeds("0-4"), help="e.g. 0-4 or 0,3,7")
    p.add_argument("--label", action="append", default=[],
                   help="name of a Loom variant in the tables (repeat with --loom-args for several)")
    p.add_argument("--loom-args", action="append", default=[],
                   help="extra arguments of `loom forecast` for the variant of the same position, "
                        'quoted: --loom-args "--preset tutorial" (or --loom-args=--epochs=50)')
    p.add_argument("--series", nargs="*", help="only these series of the suite (by name)")
    p.add_argument("--write", action="store_true", help=f"write the report to {REPORT_PATH.relative_to(ROOT)}")
    return p.parse_args(argv)


def loom_variants(args):
    if args.baselines_only:
        return []
    count = max(len(args.label), len(args.loom_args), 1)
    variants = []
    for i in range(count):
        extra = shlex.split(args.loom_args[i]) if i < len(args.loom_args) else []
        label = args.label[i] if i < len(args.label) else ("loom" if not extra else f"loom {' '.join(extra)}")
        variants.append(LoomVariant(label, extra))
    return variants


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_suite(suite, only):
    series = [load() for load in SUITES[suite]]
    if only:
        series = [s for s in series if s.name in only]
    return series


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    variants = loom_variants(args)
    binary = args.loom
    if variants and not binary.exists():
        sys.exit(f"forecast-eval: no loom binary at {binary}.\n"
                 f"Build it with `swift build -c release --product loom` in {ROOT}, "
                 "pass --loom PATH, or run with --baselines-only.")
    import statsforecast
    import statsmodels
    versions = {"Python": platform.python_version(), "statsforecast": statsforecast.__version__,
                "statsmodels": statsmodels.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    command = "scripts/forecast-eval " + shlex.join(sys.argv[1:] if argv is None else argv)
    suites = ["dev", "check"] if args.suite == "all" else [args.suite]
    args.work.mkdir(parents=True, exist_ok=True)

    sections, raw = [], {"command": command, "versions": versions, "seeds": args.seeds,
                         "loom": str(binary) if variants else None, "suites": {}}
    identity = [binary_identity(binary)] * 2 if variants else ["", ""]
    for suite in suites:
        suite_series = load_suite(suite, args.series)
        csvs = {s.name: write_csv(s, args.work / "data") for s in suite_series}
        log(f"suite {suite}: {len(suite_series)} series → {args.work / 'data'}")
        baselines = baselines_for(suite_series, args.work, args.refresh_baselines)
        loom_runs, looms = {}, {}
        for v in variants:
            loom_runs[v.label] = loom_results_for(suite_series, csvs, binary, args.seeds, v)
            looms[v.label] = {s.name: e for s in suite_series
                              if (e := evaluate_loom(loom_runs[v.label][s.name], s)) is not None}
        table = method_table(suite_series, baselines, looms)
        summary = summarize(suite_series, table)
        sections.append(suite_section(suite, suite_series, baselines, looms, summary, table, loom_runs))
        raw["suites"][suite] = {
            "series": {s.name: {"freq": s.freq, "h": s.h, "season": s.season, "length": len(s.values),
                                "test": s.test.tolist(), "csv": str(csvs[s.name])} for s in suite_series},
            "baselines": baselines, "loom_runs": loom_runs, "loom_metrics": looms,
            "metrics": table, "summary": summary}

    if variants:
        identity[1] = binary_identity(binary)
        raw["loom_identity"] = identity
        if identity[0] != identity[1]:
            log(f"warning: {binary} changed during the run ({identity[0]} → {identity[1]})")
    text = report(args, command, versions, sections, variants, binary, identity)
    raw_path = args.work / f"results-{args.suite}.json"
    raw_path.write_text(json.dumps(raw, indent=1, default=str))
    log(f"raw results: {raw_path}")
    print(text)
    if args.write:
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(text + "\n")
        log(f"wrote {REPORT_PATH}")


if __name__ == "__main__":
    main()
