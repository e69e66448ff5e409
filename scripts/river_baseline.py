#!/usr/bin/env python3
"""River baseline: the online peer FraudStream must beat.

Runs River's StandardScaler + LogisticRegression and MinMaxScaler + HalfSpaceTrees
prequentially over the NDJSON files written by `fraudstream generate`, with the same
protocol and metrics as `fraudstream evaluate`:

- transactions in file order; before scoring a transaction at time t, every label with
  reported_at <= t is applied; a transaction is scored before anything about it is learned;
- label policy "presume legitimate at once" (as the engine's default): right after scoring,
  the model learns the transaction as legitimate (w=1); when its fraud report arrives, it
  learns the same feature vector as fraud (w=5, the engine's positive weight);
- truth = the labels file; metrics on transactions from midnight UTC --burn-in-days after
  the first transaction's day: ROC AUC, average precision (scikit-learn's definition),
  card precision@k per day averaged over days, alert precision/recall at --threshold
  (alert = score >= threshold); plus throughput.

Features (the ULB handbook's baseline set, computed online from the stream): amount,
is_weekend, is_night (hour <= 6 UTC), per card the count and mean amount over the last
1/7/30 days, per terminal the count over the last 1/7/28 days and its risk = frauds
reported so far among those transactions / count.

Usage (installs River into .build-river/venv on first run; never commit that folder):

    python3 scripts/river_baseline.py --transactions out/transactions.ndjson \
        --labels out/labels.ndjson [--burn-in-days 30] [--threshold 0.5] [--days N]
"""

import argparse
import collections
import datetime
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(os.path.dirname(HERE), ".build-river", "venv")


def ensure_river():
    """Re-executes this script inside .build-river/venv, creating it when missing."""
    try:
        import river  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(python):
        sys.exit("river_baseline: River is not importable inside " + VENV)
    if not os.path.exists(python):
        print("river_baseline: creating " + VENV + " and installing river from PyPI", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "river"])
    os.execv(python, [python] + sys.argv)


DAY_MS = 86_400_000


def parse_time(value):
    """RFC 3339 text or epoch milliseconds -> epoch milliseconds."""
    if isinstance(value, (int, float)):
        return int(value)
    text = value.replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.datetime.fromisoformat(text)
    return int(round(moment.timestamp() * 1000))


class Window:
    """Count and sum of values over the last `span` ms."""

    __slots__ = ("span", "items", "count", "total")

    def __init__(self, span):
        self.span = span
        self.items = collections.deque()
        self.count = 0
        self.total = 0.0

    def prune(self, now):
        items = self.items
        limit = now - self.span
        while items and items[0][0] <= limit:
            _, value = items.popleft()
            self.count -= 1
            self.total -= value


class TerminalWindow:
    """Transactions of a terminal over the last `span` ms and how many were reported fraud."""

    __slots__ = ("span", "items", "frauds")

    def __init__(self, span):
        self.span = span
        self.items = collections.deque()
        self.frauds = 0

    def prune(self, now, reported):
        items = self.items
        limit = now - self.span
        while items and items[0][0] <= limit:
            _, tx_id = items.popleft()
            if tx_id in reported:
                self.frauds -= 1


CARD_DAYS = (1, 7, 30)
TERMINAL_DAYS = (1, 7, 28)


class FeatureState:
    def __init__(self):
        self.cards = {}
        self.terminals = {}
        self.reported = set()  # transaction ids reported as fraud so far
        self.tx_terminal = {}  # transaction id -> (terminal, time), for recent transactions

    def features(self, tx_id, card, terminal, amount, t):
        moment = datetime.datetime.fromtimestamp(t / 1000, tz=datetime.timezone.utc)
        x = {
            "amount": amount,
            "is_weekend": 1.0 if moment.weekday() >= 5 else 0.0,
            "is_night": 1.0 if moment.hour <= 6 else 0.0,
        }
        windows = self.cards.get(card)
        if windows is None:
            windows = [Window(d * DAY_MS) for d in CARD_DAYS]
            self.cards[card] = windows
        for days, window in zip(CARD_DAYS, windows):
            window.prune(t)
            window.items.append((t, amount))
            window.count += 1
            window.total += amount
            x["card_count_%dd" % days] = float(window.count)
            x["card_mean_amount_%dd" % days] = window.total / window.count
        windows = self.terminals.get(terminal)
        if windows is None:
            windows = [TerminalWindow(d * DAY_MS) for d in TERMINAL_DAYS]
            self.terminals[terminal] = windows
        for days, window in zip(TERMINAL_DAYS, windows):
            window.prune(t, self.reported)
            count = len(window.items)
            x["terminal_count_%dd" % days] = float(count)
            x["terminal_risk_%dd" % days] = window.frauds / count if count else 0.0
            window.items.append((t, tx_id))
        self.tx_terminal[tx_id] = (terminal, t)
        return x

    def report_fraud(self, tx_id, now):
        if tx_id in self.reported:
            return
        known = self.tx_terminal.get(tx_id)
        if known is not None:
            terminal, t = known
            for window in self.terminals[terminal]:
                window.prune(now, self.reported)  # before marking: an expired one was never counted
                if t > now - window.span:
                    window.frauds += 1
        self.reported.add(tx_id)

    def forget_before(self, limit):
        """Drops the transaction -> terminal index for transactions older than `limit`."""
        stale = [k for k, (_, t) in self.tx_terminal.items() if t < limit]
        for k in stale:
            del self.tx_terminal[k]


def roc_auc(scores, labels):
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    positives = np.sort(scores[labels])
    negatives = np.sort(scores[~labels])
    if len(positives) == 0 or len(negatives) == 0:
        return None
    below = np.searchsorted(negatives, positives, side="left")
    equal = np.searchsorted(negatives, positives, side="right") - below
    return float((below + 0.5 * equal).sum() / (len(positives) * len(negatives)))


def average_precision(scores, labels):
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    total = labels.sum()
    if total == 0:
        return None
    order = np.argsort(-scores, kind="mergesort")
    s = scores[order]
    tp = np.cumsum(labels[order])
    alerted = np.arange(1, len(s) + 1)
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]  # last index of each distinct score
    recall = tp[last] / total
    precision = tp[last] / alerted[last]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def card_precision_at_k(days, cards, scores, labels, k):
    per_day = collections.defaultdict(dict)
    for day, card, score, fraud in zip(days, cards, scores, labels):
        entry = per_day[day].get(card)
        if entry is None:
            per_day[day][card] = [score, fraud]
        else:
            entry[0] = max(entry[0], score)
            entry[1] = entry[1] or fraud
    values = []
    for day in sorted(per_day):
        ranked = sorted(per_day[day].items(), key=lambda item: (-item[1][0], item[0]))
        values.append(sum(1 for _, (_, fraud) in ranked[:k] if fraud) / k)
    return (sum(values) / len(values) if values else None), len(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--burn-in-days", type=int, default=30)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--card-precision-k", type=int, default=100)
    parser.add_argument("--positive-weight", type=float, default=5.0)
    parser.add_argument("--days", type=int, default=None, help="stop after this many days of transactions")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    ensure_river()
    from river import anomaly, linear_model, optim, preprocessing

    models = {
        "logistic_regression": preprocessing.StandardScaler()
        | linear_model.LogisticRegression(optimizer=optim.SGD(0.01)),
        "half_space_trees": preprocessing.MinMaxScaler()
        | anomaly.HalfSpaceTrees(n_trees=10, height=8, window_size=250, seed=args.seed),
    }
    model_seconds = {name: 0.0 for name in models}

    labels = []
    with open(args.labels, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                obj = json.loads(line)
                labels.append((parse_time(obj["reported_at"]), number, obj["transaction_id"], bool(obj["is_fraud"])))
    labels.sort()
    truth = {}
    for _, _, tx_id, is_fraud in labels:
        truth[tx_id] = is_fraud

    state = FeatureState()
    pending = {}  # transaction id -> features, while a report may still come (<= 15 days)
    pending_order = collections.deque()
    cards_seen = {}
    measured = {name: [] for name in models}
    measured_labels, measured_days, measured_cards = [], [], []
    next_label = 0
    first_day_start = evaluation_start = None
    read = 0
    started = time.perf_counter()
    last_print = started

    with open(args.transactions, "rb") as handle:
        for line in handle:
            if not line.strip():
                continue
            obj = json.loads(line)
            t = parse_time(obj["timestamp"])
            if first_day_start is None:
                first_day_start = t // DAY_MS * DAY_MS
                evaluation_start = first_day_start + args.burn_in_days * DAY_MS
            if args.days is not None and t >= first_day_start + args.days * DAY_MS:
                break
            read += 1
            # Labels reported by now, in report order.
            while next_label < len(labels) and labels[next_label][0] <= t:
                reported_at, _, tx_id, is_fraud = labels[next_label]
                next_label += 1
                if is_fraud:
                    state.report_fraud(tx_id, reported_at)
                    x_old = pending.get(tx_id)
                    if x_old is not None:
                        for name, model in models.items():
                            if name == "logistic_regression":
                                began = time.perf_counter()
                                model.learn_one(x_old, True, w=args.positive_weight)
                                model_seconds[name] += time.perf_counter() - began
            tx_id = obj["transaction_id"]
            card = obj["card_id"]
            amount = float(obj["amount"])
            x = state.features(tx_id, card, obj.get("terminal_id") or obj["merchant_id"], amount, t)
            scores = {}
            for name, model in models.items():
                began = time.perf_counter()
                if name == "logistic_regression":
                    scores[name] = model.predict_proba_one(x).get(True, 0.0)
                    model.learn_one(x, False)
                else:
                    scores[name] = model.score_one(x)
                    model.learn_one(x)
                model_seconds[name] += time.perf_counter() - began
            pending[tx_id] = x
            pending_order.append((t, tx_id))
            while pending_order and pending_order[0][0] < t - 15 * DAY_MS:
                pending.pop(pending_order.popleft()[1], None)
            if read % 100_000 == 0:
                state.forget_before(t - 15 * DAY_MS)
            if t >= evaluation_start:
                for name in models:
                    measured[name].append(scores[name])
                measured_labels.append(truth.get(tx_id, False))
                measured_days.append((t - evaluation_start) // DAY_MS)
                measured_cards.append(cards_seen.setdefault(card, len(cards_seen)))
            now = time.perf_counter()
            if now - last_print > 10:
                last_print = now
                print("river_baseline: %d transactions, %.0f tx/s" % (read, read / (now - started)), file=sys.stderr)

    elapsed = time.perf_counter() - started
    frauds = sum(measured_labels)
    print("River %s baseline (prequential, presume legitimate at once, burn-in %d days)" % (
        __import__("river").__version__, args.burn_in_days))
    print("  transactions   %d read, %d measured, %d frauds (%.3f%%), wall time %.1f s, %.0f tx/s overall" % (
        read, len(measured_labels), frauds, 100.0 * frauds / max(1, len(measured_labels)), elapsed, read / elapsed))
    for name in models:
        scores = measured[name]
        auc = roc_auc(scores, measured_labels)
        ap = average_precision(scores, measured_labels)
        cp, days = card_precision_at_k(measured_days, measured_cards, scores, measured_labels, args.card_precision_k)
        alerts = [s >= args.threshold for s in scores]
        tp = sum(1 for a, f in zip(alerts, measured_labels) if a and f)
        n_alerts = sum(alerts)
        precision = tp / n_alerts if n_alerts else float("nan")
        recall = tp / frauds if frauds else float("nan")

        def fmt(v):
            return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else "%.4f" % v

        print("  %-20s ROC AUC %s  AP %s  card prec@%d %s (%d days)  at %.2f: %d alerts, precision %s, recall %s;"
              " model time %.1f s (%.0f score+learn/s)" % (
                  name, fmt(auc), fmt(ap), args.card_precision_k, fmt(cp), days, args.threshold, n_alerts,
                  fmt(precision), fmt(recall), model_seconds[name], read / max(1e-9, model_seconds[name])))


if __name__ == "__main__":
    main()
