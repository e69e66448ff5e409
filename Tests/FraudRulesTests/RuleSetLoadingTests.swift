import FraudEngine
import Foundation
import Testing
@testable import FraudRules

@Suite struct RuleSetLoadingTests {
    @Test func defaultRulesLoad() throws {
        let rules = try RuleSet.load(contentsOf: TestSupport.defaultRulesPath)
        #expect(rules.version == "default-2026-05-01.1")
        #expect(rules.file.thresholds == ScoreThresholds(review: 0.5, alert: 0.7, block: 0.95))
        #expect(rules.file.segments.map(\.id) == ["atm", "ecommerce_high_amount", "ecommerce", "high_amount", "small_card_present"])
        #expect(rules.file.rules.map(\.id) == ["amount_ceiling_review", "watch_cards_review", "reported_card_alert"])
        #expect(rules.file.lists.map(\.name) == ["block_cards", "block_merchants", "allow_cards", "allow_merchants", "watch_cards"])
        #expect(rules.path == TestSupport.defaultRulesPath)
    }

    @Test func thereAreExamples() {
        #expect(TestSupport.exampleFiles().count >= 3)
    }

    @Test(arguments: TestSupport.exampleFiles())
    func exampleLoads(path: String) throws {
        let rules = try RuleSet.load(contentsOf: path)
        #expect(!rules.version.isEmpty)
    }

    /// One bad file per kind of mistake: the message names the file, the line and the field.
    struct BadFile: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var field: String
        var message: String
        /// False when other (genuine) problems are reported too.
        var alone = true
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "wrong type", yaml: """
            version: "1"
            thresholds:
              review: 0.5
              alert: high
            """, line: 4, field: "thresholds.alert", message: "must be a number in [0, 1] or \"off\", found \"high\""),
        BadFile(name: "wrong type in a segment", yaml: """
            version: "1"
            segments:
              - id: atm
                match: {channel: [atm]}
                thresholds: {alert: 0.6}
              - id: web
                match:
                  channel: [ecommerce]
                thresholds:
                  review: 0.4
                  alert: "high"
            """, line: 11, field: "segments[1].thresholds.alert", message: "found \"high\""),
        BadFile(name: "threshold above 1", yaml: """
            version: "1"
            thresholds:
              block: 1.5
            """, line: 3, field: "thresholds.block", message: "found 1.5"),
        BadFile(name: "unknown key", yaml: """
            version: "1"
            treshold:
              review: 0.5
            """, line: 2, field: "treshold", message: "unknown field \"treshold\" (allowed here: version, description, thresholds, segments, lists, rules)"),
        BadFile(name: "unknown key in a match", yaml: """
            version: "1"
            segments:
              - id: web
                match:
                  chanel: [ecommerce]
                thresholds: {alert: 0.6}
            """, line: 5, field: "segments[0].match.chanel", message: "unknown field \"chanel\" (allowed here: channel, country, mcc, currency, amount)"),
        BadFile(name: "score condition in a segment", yaml: """
            version: "1"
            segments:
              - id: web
                match:
                  score_at_least: 0.5
                thresholds: {alert: 0.6}
            """, line: 5, field: "segments[0].match.score_at_least", message: "unknown field"),
        BadFile(name: "decreasing thresholds", yaml: """
            version: "1"
            thresholds:
              review: 0.8
              alert: 0.7
            """, line: 4, field: "thresholds.alert", message: "alert 0.7 is below review 0.8"),
        BadFile(name: "segment threshold below an inherited one", yaml: """
            version: "1"
            thresholds:
              review: 0.5
              alert: 0.7
            segments:
              - id: web
                match: {channel: [ecommerce]}
                thresholds:
                  alert: 0.4
            """, line: 9, field: "segments[0].thresholds.alert", message: "alert 0.4 is below review 0.5 (inherited from thresholds.review)"),
        BadFile(name: "duplicate rule id", yaml: """
            version: "1"
            rules:
              - id: big
                action: review
                when: {amount: {min: 1000}}
              - id: big
                action: alert
                when: {amount: {min: 5000}}
            """, line: 6, field: "rules[1].id", message: "duplicate rule id \"big\" (first at line 3)"),
        BadFile(name: "duplicate segment id", yaml: """
            version: "1"
            segments:
              - id: web
                match: {channel: [ecommerce]}
                thresholds: {alert: 0.6}
              - id: web
                match: {channel: [atm]}
                thresholds: {alert: 0.6}
            """, line: 6, field: "segments[1].id", message: "duplicate segment id \"web\""),
        BadFile(name: "reserved segment id", yaml: """
            version: "1"
            segments:
              - id: default
                match: {channel: [ecommerce]}
                thresholds: {alert: 0.6}
            """, line: 3, field: "segments[0].id", message: "reserved"),
        BadFile(name: "bad YAML syntax", yaml: """
            version: "1"
            thresholds:
              review: 0.5
             alert: 0.7
            """, line: 4, field: "(yaml)", message: "YAML syntax"),
        BadFile(name: "unclosed flow list", yaml: """
            version: "1"
            segments:
              - id: web
                match: {channel: [ecommerce}
            """, line: 4, field: "(yaml)", message: "YAML syntax"),
        BadFile(name: "missing version", yaml: """
            # no version
            thresholds:
              review: 0.5
            """, line: 2, field: "version", message: "is required"),
        BadFile(name: "version as a number", yaml: """
            version: 1.0
            """, line: 1, field: "version", message: "must be text, found 1.0 (quote it to make it text)"),
        BadFile(name: "boolean where a number is expected", yaml: """
            version: "1"
            thresholds:
              alert: True
            """, line: 3, field: "thresholds.alert", message: "found True"),
        BadFile(name: "missing list file", yaml: """
            version: "1"
            lists:
              block_cards:
                file: no-such-list.txt
            """, line: 4, field: "lists.block_cards.file", message: "list file no-such-list.txt: cannot read"),
        BadFile(name: "amount min above max", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  amount: {min: 500, max: 100}
            """, line: 6, field: "rules[0].when.amount.max", message: "max 100 is below min 500"),
        BadFile(name: "amount with 5 decimals", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  amount:
                    min: 0.00001
            """, line: 7, field: "rules[0].when.amount.min", message: "at most 4 decimal places"),
        BadFile(name: "unknown list in a rule", yaml: """
            version: "1"
            lists:
              watch_cards: []
            rules:
              - id: r
                action: review
                when:
                  card_in: watch_card
            """, line: 8, field: "rules[0].when.card_in", message: "no list named \"watch_card\"", alone: false),
        BadFile(name: "unused watch list (a typo of a built-in list)", yaml: """
            version: "1"
            lists:
              block_card: [c1]
            """, line: 3, field: "lists.block_card", message: "is not used by any rule"),
        BadFile(name: "merchant list used for cards", yaml: """
            version: "1"
            lists:
              block_merchants: [m1]
            rules:
              - id: r
                action: review
                when: {card_in: block_merchants}
            """, line: 7, field: "rules[0].when.card_in", message: "holds merchant ids"),
        BadFile(name: "duplicate key", yaml: """
            version: "1"
            thresholds:
              review: 0.5
              review: 0.6
            """, line: 4, field: "thresholds.review", message: "duplicate key (first at line 3)"),
        BadFile(name: "unknown currency", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  currency: [EUR, EUX]
            """, line: 6, field: "rules[0].when.currency[1]", message: "\"EUX\" is not an ISO 4217 currency code"),
        BadFile(name: "reversed MCC range", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  mcc: [5411, "5969-5960"]
            """, line: 6, field: "rules[0].when.mcc[1]", message: "reversed"),
        BadFile(name: "MCC out of range", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  mcc:
                    - 10000
            """, line: 7, field: "rules[0].when.mcc[0]", message: "found 10000"),
        BadFile(name: "unknown action", yaml: """
            version: "1"
            rules:
              - id: r
                action: deny
                when: {amount: {min: 1}}
            """, line: 4, field: "rules[0].action", message: "must be one of \"review\", \"alert\", \"block\", found \"deny\""),
        BadFile(name: "rule without conditions", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
            """, line: 3, field: "rules[0].when", message: "is required"),
        BadFile(name: "id with a space", yaml: """
            version: "1"
            rules:
              - id: big amount
                action: review
                when: {amount: {min: 1}}
            """, line: 3, field: "rules[0].id", message: "must be 1 to 64 letters"),
        BadFile(name: "lowercase country", yaml: """
            version: "1"
            rules:
              - id: r
                action: review
                when:
                  country: [be]
            """, line: 6, field: "rules[0].when.country[0]", message: "uppercase"),
        BadFile(name: "same card allowed and blocked", yaml: """
            version: "1"
            lists:
              block_cards: [c1, c2]
              allow_cards: [c2]
            """, line: 4, field: "lists.allow_cards", message: "card \"c2\" is in both allow_cards and block_cards"),
        BadFile(name: "empty file", yaml: "# nothing here\n", line: 1, field: "(file)", message: "the file is empty"),
        BadFile(name: "not a mapping", yaml: "- version\n", line: 1, field: "(file)", message: "must be a mapping"),
    ]

    @Test(arguments: badFiles)
    func badFileIsRejectedWithFileLineAndField(bad: BadFile) throws {
        let rejected = try #require(try TestSupport.loadError(bad.yaml), "\(bad.name) should be rejected")
        if bad.alone { #expect(rejected.error.issues.count == 1, "\(rejected.error)") }
        let issue = try #require(rejected.error.issues.first { $0.field == bad.field }, "\(rejected.error)")
        #expect(issue.file == rejected.path)
        #expect(issue.line == bad.line, "\(rejected.error)")
        #expect(issue.message.contains(bad.message), "\(rejected.error)")
        #expect(rejected.error.description.contains("\(rejected.path):\(bad.line): \(bad.field): "))
    }

    @Test func everyProblemIsReportedInLineOrder() throws {
        let rejected = try #require(try TestSupport.loadError("""
            version: "1"
            thresholds:
              review: 0.9
              alert: 0.7
            segments:
              - id: web
                match: {channel: [ecommerce], colour: red}
                thresholds: {alert: 2}
            rules:
              - id: r
                action: review
                when: {amount: {min: 10}}
              - id: r
                action: review
                when: {amount: {min: 20}}
            """))
        let issues = rejected.error.issues
        #expect(issues.map(\.line) == [4, 7, 8, 13])
        #expect(issues.map(\.field) == ["thresholds.alert", "segments[0].match.colour", "segments[0].thresholds.alert", "rules[1].id"])
        #expect(rejected.error.description.split(separator: "\n").count == 4)
        #expect(rejected.error.summary.hasSuffix("(and 3 more problems)"))
    }

    @Test func issuesAreCappedAtFifty() throws {
        var yaml = "version: \"1\"\nrules:\n"
        for index in 0..<60 { yaml += "  - {id: r\(index), action: nope, when: {amount: {min: 1}}}\n" }
        let rejected = try #require(try TestSupport.loadError(yaml))
        #expect(rejected.error.issues.count == RulesError.maxIssues)
        #expect(rejected.error.omittedIssues == 10)
        #expect(rejected.error.description.hasSuffix("... and 10 more problems"))
    }

    @Test func missingFileNamesIt() throws {
        #expect {
            try RuleSet.load(contentsOf: "/nonexistent/rules.yaml")
        } throws: { error in
            "\(error)" == "/nonexistent/rules.yaml:1: (file): cannot read the file: no such file"
                || "\(error)".hasPrefix("/nonexistent/rules.yaml:1: (file): cannot read the file")
        }
    }

    @Test func invalidUTF8IsRejectedWithItsLine() throws {
        let directory = try TestSupport.temporaryDirectory()
        let url = directory.appendingPathComponent("latin1.yaml")
        try Data("version: \"1\"\ndescription: \"caf".utf8 + [0xE9] + "\"\n".utf8).write(to: url)
        #expect {
            try RuleSet.load(contentsOf: url.path)
        } throws: { error in
            (error as? RulesError)?.issues.first?.line == 2
        }
    }

    /// YAML 1.2 core schema: NO (Norway), on, yes stay text; only true/false are booleans.
    @Test func norwayIsACountryNotABoolean() throws {
        let rules = try RuleSet(yaml: """
            version: "1"
            rules:
              - id: nordics
                action: review
                when:
                  country: [NO, SE]
                  channel: [on]
            """)
        #expect(rules.file.rules[0].when.country == ["NO", "SE"])
        #expect(rules.file.rules[0].when.channel == ["on"])
    }

    @Test func listFilesAreReadRelativeToTheRulesFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lists"), withIntermediateDirectories: true)
        _ = try TestSupport.write("""
            # cards reported stolen
            card-9

              card-7  \r
            card-9
            """, named: "lists/blocked.txt", in: directory)
        let path = try TestSupport.write("""
            version: "1"
            lists:
              block_cards:
                ids: [card-1]
                file: lists/blocked.txt
            """, in: directory)
        let rules = try RuleSet.load(contentsOf: path)
        #expect(rules.ids(inList: "block_cards") == ["card-1", "card-7", "card-9"])
        #expect(rules.listFiles == [directory.appendingPathComponent("lists/blocked.txt").standardizedFileURL.path])
        let outcome = rules.evaluate(transaction: TestSupport.transaction(card: "card-7"), decision: TestSupport.decision())
        #expect(outcome.action == .block)
    }

    @Test func listFileWithAnOverlongIdNamesItsLine() throws {
        let directory = try TestSupport.temporaryDirectory()
        _ = try TestSupport.write("ok\n" + String(repeating: "x", count: 129) + "\n", named: "ids.txt", in: directory)
        let path = try TestSupport.write("version: \"1\"\nlists:\n  block_cards: {file: ids.txt}\n", in: directory)
        #expect {
            try RuleSet.load(contentsOf: path)
        } throws: { error in
            let issue = (error as? RulesError)?.issues.first
            return issue?.line == 3 && issue?.field == "lists.block_cards.file" && issue?.message.contains("line 2") == true
        }
    }

    @Test func anchorsAndAliasesWork() throws {
        let rules = try RuleSet(yaml: """
            version: "1"
            segments:
              - id: atm
                match: {channel: [atm]}
                thresholds: &strict {review: 0.3, alert: 0.5}
              - id: web
                match: {channel: [ecommerce]}
                thresholds: *strict
            """)
        #expect(rules.file.segments[1].thresholds == ScoreThresholds(review: 0.3, alert: 0.5))
    }

    @Test func decimalsAreReadExactly() throws {
        let rules = try RuleSet(yaml: """
            version: "1"
            thresholds: {review: 0.1, alert: .7, block: 1}
            rules:
              - id: r
                action: review
                when: {amount: {min: 220.0001, max: 1e3}}
            """)
        #expect(rules.file.thresholds == ScoreThresholds(review: 0.1, alert: 0.7, block: 1))
        #expect(rules.file.rules[0].when.amount == AmountRange(min: Money("220.0001"), max: Money("1000")))
    }
}
