import FraudEngine
import Foundation
import Testing
@testable import FraudRules

@Suite struct RulesFileYAMLTests {
    @Test(arguments: [TestSupport.defaultRulesPath] + TestSupport.exampleFiles())
    func writtenRulesLoadBackEqual(path: String) throws {
        let rules = try RuleSet.load(contentsOf: path)
        let text = rules.yaml(header: "written by a test")
        let again = try RuleSet(yaml: text, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        #expect(again == rules)
        #expect(again.file == rules.file)
        #expect(text.hasPrefix("# written by a test\nversion: "))
        // Writing is stable: the written file writes itself unchanged.
        #expect(again.yaml(header: "written by a test") == text)
    }

    /// Everything the model can say survives a round trip, including awkward strings,
    /// thresholds that are not short decimals, `off`, MCC ranges and 4-decimal amounts.
    @Test func everyFeatureRoundTrips() throws {
        let file = RulesFile(
            version: "tuned-2026-05-01T12:00Z+a.b",
            description: "Line one\nline \"two\" with \\ and ünïcödé\u{2028}and a tab\there: #not a comment",
            thresholds: ScoreThresholds(review: 0.1 + 0.2, alert: 0.7312345678901234, block: 1),
            segments: [
                Segment(id: "seg.1", description: "yes", match: RuleConditions(
                    channel: ["ecommerce", "atm"], country: ["NO", "BE"], mcc: [MCCRange(5411), MCCRange(5960, 5969), MCCRange(0)],
                    currency: ["EUR", "USD"], amount: AmountRange(min: Money("0.0001"), max: Money("1000000000"))),
                        thresholds: ScoreThresholds(review: .off, alert: .atLeast(0.5), block: nil)),
                Segment(id: "on", match: RuleConditions(amount: AmountRange(max: Money("220.5"))), thresholds: ScoreThresholds(block: 0.99)),
            ],
            lists: [
                IDList(name: IDList.blockCards, ids: ["card #1", "null", "true", "- dash", "0123", "ünï"]),
                IDList(name: IDList.allowMerchants, ids: []),
                IDList(name: "watch", ids: (0..<50).map { "m-\($0)" }),
            ],
            rules: [
                Rule(id: "r1", description: "", action: .block, when: RuleConditions(
                    scoreAtLeast: 1e-05, modelProbabilityAtLeast: 0, anomalyAtLeast: 1, reasonCode: ["amount", "hst_anomaly"],
                    cardIn: "block_cards", merchantNotIn: "watch")),
                Rule(id: "r2", action: .alert, when: RuleConditions(cardNotIn: "block_cards", merchantIn: "watch")),
            ])
        let rules = try RuleSet(file)
        #expect(rules.file == file)
        let again = try RuleSet(yaml: rules.yaml())
        #expect(again == rules)
        #expect(again.file.thresholds.review == .atLeast(0.1 + 0.2))
    }

    @Test func listFilesAreKeptAsReferencesOrInlined() throws {
        let directory = try TestSupport.temporaryDirectory()
        _ = try TestSupport.write("card-2\ncard-3\n", named: "cards.txt", in: directory)
        let path = try TestSupport.write("""
            version: "1"
            lists:
              block_cards: {ids: [card-1], file: cards.txt}
            """, in: directory)
        let rules = try RuleSet.load(contentsOf: path)

        let referencing = rules.yaml()
        #expect(referencing.contains("file: \"cards.txt\""))
        #expect(try RuleSet(yaml: referencing, baseDirectory: directory.path) == rules)

        let standalone = rules.yaml(inliningListFiles: true)
        #expect(!standalone.contains("cards.txt"))
        let elsewhere = try RuleSet(yaml: standalone, baseDirectory: "/nonexistent")
        #expect(elsewhere.ids(inList: "block_cards") == ["card-1", "card-2", "card-3"])
        #expect(elsewhere.file.lists == [IDList(name: "block_cards", ids: ["card-1", "card-2", "card-3"])])
        #expect(try RuleSet(yaml: elsewhere.yaml()) == elsewhere)
    }

    @Test func anInvalidModelIsRejectedLikeAFile() throws {
        var file = RulesFile(version: "1", thresholds: ScoreThresholds(review: 0.9, alert: 0.8))
        file.rules = [Rule(id: "a", action: .review, when: RuleConditions(cardIn: "missing"))]
        #expect {
            try RuleSet(file, fileName: "tuned.yaml")
        } throws: { error in
            let issues = (error as? RulesError)?.issues ?? []
            return issues.map(\.field) == ["thresholds.alert", "rules[0].when.card_in"] && issues.allSatisfy { $0.file == "tuned.yaml" }
        }
    }
}
