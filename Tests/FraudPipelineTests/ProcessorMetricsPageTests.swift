import FraudPipeline
import FraudRules
import RdKafka
import Testing

/// The `/metrics` page of the processor: every listed series, valid Prometheus text.
@Suite struct ProcessorMetricsPageTests {
    @Test func pageHoldsTheSeriesWithLabelsInAStableOrder() {
        var s = ProcessorStatistics()
        s.transactionMessages = 12
        s.labelMessages = 3
        s.transactionsScored = 11
        s.labelOutcomes = ["learned_fraud": 2, "unknown_transaction": 1]
        s.alerts = [.block: 1, .review: 2]
        s.decisionRecords = 11
        s.deadLetters = ["too_late": 1, "malformed_json": 2]
        s.consumerLag = 7
        s.backPressurePauses = 2
        s.eventTime = 1_775_000_000_000
        s.partitionLag = [KafkaTopicPartition(topic: "transactions", partition: 3): 5]
        s.scores.observe(0.02)
        s.scores.observe(0.97)
        s.eventToDecisionSeconds.observe(0.004)
        s.onlineAUC = 0.93
        s.maturedPositives = 7
        s.maturedNegatives = 700
        s.checkpoints = 4
        s.checkpointSequence = 9
        s.lastCheckpointSeconds = 0.25
        s.lastCheckpointAt = 1_790_000_000_000
        let page = ProcessorMetricsPage.render(
            s, running: true, rulesVersion: "v\"2", rulesReloads: RulesReloadStatistics(succeeded: 3, failed: 1),
            now: 1_790_000_012_500)
        let lines = page.split(separator: "\n").map(String.init)
        for expected in [
            "fraudstream_up 1",
            #"fraudstream_input_messages_total{topic_kind="transactions"} 12"#,
            #"fraudstream_input_messages_total{topic_kind="labels"} 3"#,
            "fraudstream_transactions_scored_total 11",
            #"fraudstream_labels_applied_total{outcome="learned_fraud"} 2"#,
            #"fraudstream_alerts_total{action="block"} 1"#,
            #"fraudstream_alerts_total{action="alert"} 0"#,
            #"fraudstream_dead_letters_total{reason="malformed_json"} 2"#,
            #"fraudstream_dead_letters_total{reason="too_late"} 1"#,
            "fraudstream_consumer_lag_messages 7",
            "fraudstream_consumer_backpressure_pauses_total 2",
            "fraudstream_event_time_seconds 1775000000",
            #"fraudstream_rules_info{version="v\"2"} 1"#,
            #"fraudstream_rules_reloads_total{result="rejected"} 1"#,
            "fraudstream_checkpoints_total 4",
            "fraudstream_online_roc_auc 0.93",
            #"fraudstream_matured_transactions_total{label="fraud"} 7"#,
            #"fraudstream_partition_lag_messages{topic="transactions",partition="3"} 5"#,
            #"fraudstream_score_bucket{le="0.05"} 1"#,
            #"fraudstream_score_bucket{le="0.95"} 1"#,
            #"fraudstream_score_bucket{le="1"} 2"#,
            "fraudstream_score_count 2",
            #"fraudstream_event_to_decision_seconds_bucket{le="0.0025"} 0"#,
            #"fraudstream_event_to_decision_seconds_bucket{le="0.005"} 1"#,
            "fraudstream_checkpoint_sequence 9",
            "fraudstream_checkpoint_duration_seconds 0.25",
            "fraudstream_checkpoint_age_seconds 12.5",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(page)")
        }
        // Dead-letter reasons in a stable (sorted) order, one TYPE line per family.
        let malformed = lines.firstIndex { $0.contains(#"reason="malformed_json""#) } ?? -1
        let late = lines.firstIndex { $0.contains(#"reason="too_late""#) } ?? -1
        #expect(malformed >= 0 && malformed < late)
        #expect(lines.filter { $0 == "# TYPE fraudstream_alerts_total counter" }.count == 1)
        // Every sample line is `name{labels} value` with a number.
        for line in lines where !line.hasPrefix("#") {
            let value = line.split(separator: " ").last.map(String.init) ?? ""
            #expect(Double(value) != nil, "not a sample: \(line)")
        }
    }

    @Test func aStoppedProcessorIsDown() {
        let page = ProcessorMetricsPage.render(ProcessorStatistics(), running: false)
        #expect(page.contains("fraudstream_up 0\n"))
        #expect(!page.contains("fraudstream_event_time_seconds"))
        #expect(!page.contains("fraudstream_checkpoint"))
    }
}
