import FraudSchema
import Foundation

extension RuleSet {
    /// Reads, validates and compiles a rules file. List `file:` references are read relative
    /// to the rules file's directory.
    ///
    /// - Throws: ``RulesError`` listing every problem (YAML syntax, schema, semantic checks,
    ///   unreadable list files), each with the file, line and field.
    public static func load(contentsOf path: String) throws(RulesError) -> RuleSet {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RulesError(file: path, line: 1, field: "(file)", message: "cannot read the file: \(RuleSet.reason(error))")
        }
        guard let text = RuleSet.utf8String(data) else {
            throw RulesError(file: path, line: RuleSet.firstInvalidUTF8Line(data), field: "(file)", message: "the file is not valid UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try RuleSet(yaml: text, fileName: path, baseDirectory: directory, path: path)
    }

    /// Validates and compiles rules written in YAML.
    ///
    /// - Parameters:
    ///   - yaml: The rules file's text.
    ///   - fileName: The name used in error messages.
    ///   - baseDirectory: Where relative list files are; nil for the current directory.
    public init(yaml: String, fileName: String = "<rules>", baseDirectory: String? = nil) throws(RulesError) {
        try self.init(yaml: yaml, fileName: fileName, baseDirectory: baseDirectory, path: nil)
    }

    /// Validates and compiles a rules file built in code, exactly as if its
    /// ``RulesFile/yaml(header:)`` had been loaded (error lines refer to that text).
    public init(_ file: RulesFile, fileName: String = "<rules>", baseDirectory: String? = nil) throws(RulesError) {
        try self.init(yaml: file.yaml(), fileName: fileName, baseDirectory: baseDirectory, path: nil)
    }

    init(yaml: String, fileName: String, baseDirectory: String?, path: String?) throws(RulesError) {
        let parsed: (value: JSONValue, map: SourceMap, issues: [PendingIssue])
        do {
            parsed = try YAMLSource.parse(yaml)
        } catch {
            if error.isEmpty { throw RulesError(file: fileName, line: error.line, field: "(file)", message: error.message) }
            throw RulesError(file: fileName, line: error.line, field: "(yaml)", message: "YAML syntax: \(error.message)")
        }
        let schema: JSONSchema
        switch RulesSchema.compiled {
        case .success(let compiled): schema = compiled
        case .failure(let error):
            throw RulesError(file: fileName, line: 1, field: "(schema)", message: "the embedded rules schema does not compile: \(error)")
        }
        let violations = schema.validate(parsed.value)
        let schemaIssues = SchemaMessages.issues(
            for: violations, document: parsed.value, schema: schema.document, written: parsed.map.scalarTexts)

        var decoder = RulesFileDecoder(map: parsed.map)
        let file = decoder.decode(parsed.value)
        var semantic = decoder.issues

        var lists: [String: Set<String>] = [:]
        var listFiles: [String] = []
        for list in file.lists {
            var ids = Set(list.ids)
            if let reference = list.file {
                let pointer = JSONPointer.appending(list.name, to: "/lists") + "/file"
                let resolved = RuleSet.resolve(reference, in: baseDirectory)
                listFiles.append(resolved)
                switch RuleSet.readListFile(resolved) {
                case .success(let fromFile): ids.formUnion(fromFile)
                case .failure(let problem): semantic.append(PendingIssue(pointer, "list file \(reference): \(problem.message)"))
                }
            }
            lists[list.name] = ids
        }
        for (allow, block, kind) in [(IDList.allowCards, IDList.blockCards, "card"), (IDList.allowMerchants, IDList.blockMerchants, "merchant")] {
            guard let allowed = lists[allow], let blocked = lists[block] else { continue }
            let both = allowed.intersection(blocked).sorted()
            guard !both.isEmpty else { continue }
            let shown = both.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
            let more = both.count > 3 ? " and \(both.count - 3) more" : ""
            semantic.append(PendingIssue(
                JSONPointer.appending(allow, to: "/lists"),
                "\(kind) \(shown)\(more) \(both.count == 1 ? "is" : "are") in both \(allow) and \(block): remove \(both.count == 1 ? "it" : "them") from one (a block list would win)"))
        }

        // Semantic checks on a value the schema already rejected would only repeat it.
        let rejected = violations.map(\.instancePath)
        semantic.removeAll { issue in rejected.contains { JSONPointer.isSelfOrDescendant(issue.pointer, of: $0) } }

        let pending = parsed.issues + schemaIssues + semantic
        guard pending.isEmpty else {
            var seen: Set<String> = []
            let issues = pending.compactMap { issue -> RulesError.Issue? in
                guard seen.insert(issue.pointer + "\u{0}" + issue.message).inserted else { return nil }
                return RulesError.Issue(
                    file: fileName, line: issue.line ?? parsed.map.line(for: issue.pointer),
                    field: parsed.map.field(for: issue.pointer), message: issue.message, pointer: issue.pointer)
            }
            throw RulesError(file: fileName, issues: issues)
        }
        self.init(file: file, path: path, listFiles: listFiles, lists: lists)
    }

    // MARK: - List files

    struct ListFileProblem: Error {
        var message: String
    }

    static func resolve(_ reference: String, in baseDirectory: String?) -> String {
        if reference.hasPrefix("/") { return URL(fileURLWithPath: reference).standardizedFileURL.path }
        guard let baseDirectory else { return reference }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(reference).standardizedFileURL.path
    }

    /// One id per line; blank lines and lines starting with `#` are ignored; spaces, tabs and
    /// a trailing carriage return around an id are trimmed. Ids are 1 to 128 characters.
    static func readListFile(_ path: String) -> Result<[String], ListFileProblem> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return .failure(ListFileProblem(message: "cannot read \(path): \(reason(error))"))
        }
        guard let text = utf8String(data) else {
            return .failure(ListFileProblem(message: "line \(firstInvalidUTF8Line(data)) is not valid UTF-8 text"))
        }
        var ids: [String] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.unicodeScalars.count <= 128 else {
                return .failure(ListFileProblem(message: "line \(index + 1): an id is at most 128 characters"))
            }
            ids.append(line)
        }
        return .success(ids)
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }

    /// The text of `bytes` if they are valid UTF-8.
    static func utf8String(_ bytes: some Collection<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    static func firstInvalidUTF8Line(_ data: Data) -> Int {
        let bytes = Array(data)
        var line = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            if utf8String(bytes[start..<index]) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}
