import FraudAnalysis
import Foundation

/// A self-contained HTML page of an audit an auditor can file: what was asked, the inputs,
/// the verdict, each run's starting point, and every audited decision recorded against
/// re-derived (score, action, rule ids, reason codes), mismatches first and highlighted.
/// No scripts, no external styles or fonts.
public struct AuditHTMLReport: Sendable {
    /// What was audited, in words (e.g. `transaction tx-42`).
    public var question: String
    /// Inputs in words (decision log, checkpoint directory, cluster, rules files).
    public var inputs: [(String, String)]
    /// When the audit ran (RFC 3339).
    public var generatedAt: String

    public init(question: String, inputs: [(String, String)], generatedAt: String) {
        self.question = question
        self.inputs = inputs
        self.generatedAt = generatedAt
    }

    /// The page.
    public func render(_ report: AuditReport) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>FraudStream audit: \(esc(question))</title>
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#1d2430;max-width:1200px}
            h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
            table{border-collapse:collapse;width:100%;font-size:.9em}
            th,td{border:1px solid #c9d0da;padding:.35em .5em;text-align:left;vertical-align:top}
            th{background:#eef1f5}
            .ok{color:#17643a;font-weight:600}.bad{color:#a3161b;font-weight:600}
            tr.mismatch td{background:#fdeceb}
            .verdict{font-size:1.2em;padding:.6em 1em;border-radius:6px;display:inline-block}
            .verdict.ok{background:#e5f4ea}.verdict.bad{background:#fdeceb}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
            </style></head><body>
            <h1>FraudStream audit</h1>
            <p>\(esc(question)) — generated \(esc(generatedAt))</p>

            """
        let verdictClass = report.mismatches == 0 ? "ok" : "bad"
        h += "<p class=\"verdict \(verdictClass)\">\(report.entries.count) decisions audited: \(report.reproduced) reproduced exactly, \(report.mismatches) mismatches</p>\n"
        h += "<h2>Inputs</h2>\n<table>\n"
        for (name, value) in inputs { h += "<tr><th>\(esc(name))</th><td><code>\(esc(value))</code></td></tr>\n" }
        h += "</table>\n<h2>How each run was re-derived</h2>\n"
        h += "<table><tr><th>run</th><th>started from</th><th>state versions replayed</th><th>labels applied</th><th>earlier decisions re-checked</th></tr>\n"
        for run in report.runs {
            let earlier =
                run.precedingMismatches == 0
                ? "\(run.precedingChecked), all identical"
                : "\(run.precedingChecked), <span class=\"bad\">\(run.precedingMismatches) differ</span>"
            h += "<tr><td><code>\(esc(run.run))</code></td><td>\(esc(run.base))</td><td>\(run.firstVersion) to \(run.lastVersion)</td><td>\(run.labelsApplied)</td><td>\(earlier)</td></tr>\n"
        }
        h += "</table>\n"
        h += """
            <p>Method: the engine is restored from the starting point above and every event the run applied \
            after it (labels and transactions, in the recorded state-version order, read back at their recorded \
            input positions) is applied again; each decision is re-encoded with the recorded run, \
            <code>processed_at</code> and rules version and compared with the recorded bytes. The engine uses \
            event time only and seeded randomness, so a reproduced decision is identical bit for bit.</p>

            """
        h += "<h2>Decisions</h2>\n<table><tr><th>transaction</th><th>event time</th><th>state version</th><th></th><th>score</th><th>action</th><th>rule ids</th><th>reason codes</th><th>result</th></tr>\n"
        let ordered = report.entries.filter { !$0.matches } + report.entries.filter(\.matches)
        for entry in ordered {
            let r = entry.recorded
            let replayed = entry.replayedRecord
            let rowClass = entry.matches ? "" : " class=\"mismatch\""
            let result =
                entry.matches
                ? "<span class=\"ok\">reproduced</span>"
                : "<span class=\"bad\">mismatch</span><br>" + entry.differences.map { esc($0) }.joined(separator: "<br>")
            h += "<tr\(rowClass)><td rowspan=\"2\"><code>\(esc(r.transactionID))</code><br>card <code>\(esc(r.cardID))</code></td>"
            h += "<td rowspan=\"2\">\(esc(r.eventTime))</td><td rowspan=\"2\">\(r.stateVersion)</td>"
            h += "<td>recorded</td>" + cells(r) + "<td rowspan=\"2\">\(result)</td></tr>\n"
            h += "<tr\(rowClass)><td>re-derived</td>" + (replayed.map(cells) ?? "<td colspan=\"4\">none</td>") + "</tr>\n"
        }
        h += "</table>\n</body></html>\n"
        return h
    }

    private func cells(_ r: DecisionRecord) -> String {
        let reasons = r.reasons.map { "\(esc($0.code)) (\(String(format: "%+.3f", $0.contribution)))" }.joined(separator: "<br>")
        return "<td><code>\(r.score)</code></td><td>\(esc(r.action ?? "none"))</td><td>\(r.ruleIDs.map(esc).joined(separator: "<br>"))</td><td>\(reasons)</td>"
    }

    private func esc(_ text: String) -> String { HTMLPage.escape(text) }
}
