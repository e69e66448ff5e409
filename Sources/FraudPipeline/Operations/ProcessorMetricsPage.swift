import FraudOperations
import FraudRules

/// The processor's Prometheus page (`/metrics`): counters and gauges from
/// ``ProcessorStatistics``, every labelled family in a stable order.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `fraudstream_input_messages_total` | counter | `topic_kind` = transactions / labels |
/// | `fraudstream_transactions_scored_total` | counter | |
/// | `fraudstream_labels_applied_total` | counter | `outcome` (learned_fraud, unknown_transaction, …) |
/// | `fraudstream_alerts_total` | counter | `action` = alert / review / block |
/// | `fraudstream_decision_records_total` | counter | |
/// | `fraudstream_dead_letters_total` | counter | `reason` (invalid_json, missing_field, too_late, …) |
/// | `fraudstream_outputs_delivered_total` | counter | |
/// | `fraudstream_offset_commits_total` | counter | |
/// | `fraudstream_consumer_lag_messages` | gauge | |
/// | `fraudstream_consumer_backpressure_pauses_total` | counter | (fetching paused: processing not keeping up) |
/// | `fraudstream_partition_lag_messages` | gauge | `topic`, `partition` |
/// | `fraudstream_event_to_decision_seconds` | histogram | (from the input's producer timestamp) |
/// | `fraudstream_score` | histogram | (fused score of each decision) |
/// | `fraudstream_online_roc_auc` | gauge | (live scores against labels matured 30 days) |
/// | `fraudstream_matured_transactions_total` | counter | `label` = fraud / legitimate |
/// | `fraudstream_held_for_ordering_messages` | gauge | |
/// | `fraudstream_forced_releases_total` | counter | |
/// | `fraudstream_event_time_seconds` | gauge | (engine clock, Unix seconds) |
/// | `fraudstream_up` | gauge | 1 while the processor runs |
/// | `fraudstream_checkpoints_total` | counter | (with checkpoints on) |
/// | `fraudstream_checkpoints_incremental_total` | counter | (with checkpoints on) |
/// | `fraudstream_checkpoint_size_bytes` | gauge | (after a checkpoint) |
/// | `fraudstream_checkpoint_sequence` | gauge | newest written or restored |
/// | `fraudstream_checkpoint_duration_seconds` | gauge | how long the last one held processing up |
/// | `fraudstream_checkpoint_age_seconds` | gauge | wall-clock seconds since the last one was written |
/// | `fraudstream_rules_info` | gauge | `version` of the rules in use (value 1) |
/// | `fraudstream_rules_reloads_total` | counter | `result` = succeeded / rejected (with a rules file) |
public enum ProcessorMetricsPage {
    /// The page for `statistics`.
    /// - Parameter now: wall-clock Unix milliseconds, for the checkpoint age.
    public static func render(
        _ statistics: ProcessorStatistics, running: Bool, rulesVersion: String? = nil,
        rulesReloads: RulesReloadStatistics? = nil, now: Int64? = nil
    ) -> String {
        var page = PrometheusTextWriter()
        do {
            try write(statistics, running: running, to: &page)
            try writeCheckpoints(statistics, now: now, to: &page)
            if let rulesVersion {
                try page.gauge(
                    "fraudstream_rules_info", help: "The rules in use (value 1).", labels: ["version": rulesVersion],
                    value: 1)
            }
            if let rulesReloads {
                let help = "Rules-file reloads, by result (a rejected file keeps the rules in use)."
                try page.counter(
                    "fraudstream_rules_reloads_total", help: help, labels: ["result": "succeeded"],
                    value: Double(rulesReloads.succeeded))
                try page.counter(
                    "fraudstream_rules_reloads_total", help: help, labels: ["result": "rejected"],
                    value: Double(rulesReloads.failed))
            }
        } catch {
            // Names are fixed here and label values escaped by the writer: unreachable, but a
            // scrape must never crash the processor.
            return "# error rendering metrics: \(error)\n"
        }
        return page.text
    }

    private static func writeCheckpoints(_ s: ProcessorStatistics, now: Int64?, to page: inout PrometheusTextWriter) throws {
        guard s.checkpoints > 0 || s.checkpointSequence != nil else { return }
        try page.counter("fraudstream_checkpoints_total", help: "Checkpoints written since start.", value: Double(s.checkpoints))
        try page.counter(
            "fraudstream_checkpoints_incremental_total",
            help: "Incremental checkpoints (what changed since the previous one) written since start.",
            value: Double(s.incrementalCheckpoints))
        if s.checkpoints > 0 {
            try page.gauge(
                "fraudstream_checkpoint_size_bytes", help: "Engine state bytes of the last checkpoint written.",
                value: Double(s.lastCheckpointBytes))
        }
        if let sequence = s.checkpointSequence {
            try page.gauge(
                "fraudstream_checkpoint_sequence", help: "Sequence of the newest checkpoint written or restored.",
                value: Double(sequence))
        }
        if let seconds = s.lastCheckpointSeconds {
            try page.gauge(
                "fraudstream_checkpoint_duration_seconds", help: "How long the last checkpoint held processing up.",
                value: seconds)
        }
        if let at = s.lastCheckpointAt, let now {
            try page.gauge(
                "fraudstream_checkpoint_age_seconds", help: "Seconds since the last checkpoint was written.",
                value: Double(max(0, now - at)) / 1000)
        }
    }

    private static func write(_ s: ProcessorStatistics, running: Bool, to page: inout PrometheusTextWriter) throws {
        try page.gauge("fraudstream_up", help: "1 while the live processor runs.", value: running ? 1 : 0)
        let input = "Input messages read (valid or not)."
        try page.counter(
            "fraudstream_input_messages_total", help: input, labels: ["topic_kind": "transactions"],
            value: Double(s.transactionMessages))
        try page.counter(
            "fraudstream_input_messages_total", help: input, labels: ["topic_kind": "labels"],
            value: Double(s.labelMessages))
        try page.counter(
            "fraudstream_transactions_scored_total", help: "Transactions scored (one decision each).",
            value: Double(s.transactionsScored))
        for (outcome, count) in s.labelOutcomes.sorted(by: { $0.key < $1.key }) {
            try page.counter(
                "fraudstream_labels_applied_total", help: "Labels applied to the engine, by outcome.",
                labels: ["outcome": outcome], value: Double(count))
        }
        for action in RuleAction.allCases {
            try page.counter(
                "fraudstream_alerts_total", help: "Alerts produced, by action.", labels: ["action": action.rawValue],
                value: Double(s.alerts[action] ?? 0))
        }
        try page.counter(
            "fraudstream_decision_records_total", help: "Decision records produced.", value: Double(s.decisionRecords))
        for (reason, count) in s.deadLetters.sorted(by: { $0.key < $1.key }) {
            try page.counter(
                "fraudstream_dead_letters_total", help: "Input messages sent to the dead-letter topic, by reason.",
                labels: ["reason": reason], value: Double(count))
        }
        try page.counter(
            "fraudstream_outputs_delivered_total", help: "Produced messages acknowledged by Kafka.",
            value: Double(s.deliveredOutputs))
        try page.counter("fraudstream_offset_commits_total", help: "Offset commits.", value: Double(s.commits))
        try page.gauge(
            "fraudstream_consumer_lag_messages", help: "Input messages written but not processed yet (all assigned partitions).",
            value: Double(s.consumerLag))
        try page.counter(
            "fraudstream_consumer_backpressure_pauses_total",
            help: "Times the consumer paused fetching because processing did not take its batches fast enough.",
            value: Double(s.backPressurePauses))
        let partitions = s.partitionLag.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
        for (tp, lag) in partitions {
            try page.gauge(
                "fraudstream_partition_lag_messages", help: "Input messages written but not processed yet, per partition.",
                labels: ["topic": tp.topic, "partition": String(tp.partition)], value: Double(lag))
        }
        try page.histogram(
            "fraudstream_event_to_decision_seconds",
            help: "Seconds from an input transaction's producer timestamp to its decision.", s.eventToDecisionSeconds)
        try page.histogram("fraudstream_score", help: "Fused scores of the decisions.", s.scores)
        if let auc = s.onlineAUC {
            try page.gauge(
                "fraudstream_online_roc_auc",
                help: "ROC AUC of the live scores over transactions matured 30 days of event time (reported frauds against the rest).",
                value: auc)
        }
        let matured = "Transactions matured for the online ROC AUC, by label."
        try page.counter(
            "fraudstream_matured_transactions_total", help: matured, labels: ["label": "fraud"],
            value: Double(s.maturedPositives))
        try page.counter(
            "fraudstream_matured_transactions_total", help: matured, labels: ["label": "legitimate"],
            value: Double(s.maturedNegatives))
        try page.gauge(
            "fraudstream_held_for_ordering_messages", help: "Input messages held to merge the partitions in event-time order.",
            value: Double(s.heldForOrdering))
        try page.counter(
            "fraudstream_forced_releases_total", help: "Messages released before a slower partition caught up (ordering buffer full).",
            value: Double(s.forcedReleases))
        if let time = s.eventTime {
            try page.gauge(
                "fraudstream_event_time_seconds", help: "The engine's event-time clock (Unix seconds).",
                value: Double(time) / 1000)
        }
    }
}
