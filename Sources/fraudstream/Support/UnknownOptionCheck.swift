import ArgumentParser
import Foundation

/// Finds a long option the chosen command does not know.
///
/// ArgumentParser reports a missing required option, or a `validate()` failure, before an
/// unknown one, so `fraudstream replay --bogus` would otherwise say "give the history" and
/// never name the typo. The command tree comes from the parser's own description of the
/// tool (the `--experimental-dump-help` JSON), so it cannot drift from the declared options.
enum UnknownOptionCheck {
    /// The first `--name` in `arguments` (the command line without the program name) that the
    /// command it addresses does not declare, with that command's path; nil when all are known
    /// or the tree cannot be read.
    static func firstUnknown(in arguments: [String], toolDescription: String) -> (option: String, command: [String])? {
        guard let data = toolDescription.data(using: .utf8),
            let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            var node = root["command"] as? [String: Any]
        else { return nil }
        var path = [node["commandName"] as? String ?? "fraudstream"]
        var index = 0
        // Descend through subcommand names given before the first option.
        while index < arguments.count, !arguments[index].hasPrefix("-"),
            let next = (node["subcommands"] as? [[String: Any]])?.first(where: { $0["commandName"] as? String == arguments[index] })
        {
            node = next
            path.append(arguments[index])
            index += 1
        }
        var takesValue: [String: Bool] = ["help": false, "version": false]
        for argument in node["arguments"] as? [[String: Any]] ?? [] {
            let kind = argument["kind"] as? String
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                if let long = name["name"] as? String { takesValue[long] = kind == "option" }
            }
        }
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            if token == "--" { break }
            guard token.hasPrefix("--"), token.count > 2 else { continue }
            let body = token.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            guard let valued = takesValue[name] else { return ("--" + name, path) }
            if valued && !body.contains("=") { index += 1 }
        }
        return nil
    }
}
