/// The request line of an HTTP/1.x request, parsed from the bytes received so far.
///
/// Only what the metrics server routes on is kept; header lines are checked for syntax and
/// dropped. The head ends at the first empty line (`\r\n\r\n`, or bare `\n` line ends).
struct HTTPRequestHead: Sendable, Hashable {
    /// The method token, case-sensitive (`GET`, `HEAD`, ...).
    var method: String
    /// The request target as sent.
    var target: String
    /// The target's path, without query string (absolute-form targets reduced to their path).
    var path: String

    /// The outcome of parsing a buffer.
    enum ParseResult: Sendable, Hashable {
        /// The head is not complete yet: read more.
        case incomplete
        /// No complete head within the size limit.
        case tooLarge
        /// The request line or a header line is not valid HTTP/1.x.
        case malformed
        /// A well-formed request line with an HTTP major version other than 1.
        case unsupportedVersion
        /// A complete, well-formed head.
        case complete(HTTPRequestHead)
    }

    /// Parses the head at the start of `bytes`; a head (with its final empty line) longer than
    /// `limit` bytes is `.tooLarge`.
    static func parse(_ bytes: [UInt8], limit: Int) -> ParseResult {
        let searched = bytes.prefix(limit)
        guard let end = headEnd(searched) else {
            // A request line that is already wrong need not wait for the rest of the head.
            if let lineEnd = searched.firstIndex(of: lf), case .failure(let failure) = requestLine(line(bytes[..<lineEnd])) {
                return failure
            }
            return bytes.count >= limit ? .tooLarge : .incomplete
        }
        var lines = bytes[..<end].split(separator: lf, omittingEmptySubsequences: false).map { line($0) }
        // The head ends with one or two empty lines after splitting ("...\n\n" or "...\r\n\r\n").
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first else { return .malformed }
        let head: HTTPRequestHead
        switch requestLine(first) {
        case .success(let parsed): head = parsed
        case .failure(let failure): return failure
        }
        for header in lines.dropFirst() {
            guard isValidHeaderLine(header) else { return .malformed }
        }
        return .complete(head)
    }

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")

    /// The index just past the empty line that ends the head, if there is one.
    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == lf {
                let next = bytes.index(after: i)
                if next < bytes.endIndex, bytes[next] == lf { return next + 1 }
                if next + 1 < bytes.endIndex, bytes[next] == cr, bytes[next + 1] == lf { return next + 2 }
            }
            i += 1
        }
        return nil
    }

    /// A line without its trailing `\r`.
    private static func line(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.last == cr ? bytes.dropLast() : bytes
    }

    private enum LineResult {
        case success(HTTPRequestHead)
        case failure(ParseResult)
    }

    /// `method SP request-target SP HTTP/d.d`, visible ASCII only, single spaces.
    private static func requestLine(_ bytes: ArraySlice<UInt8>) -> LineResult {
        guard bytes.allSatisfy({ $0 == space || (0x21...0x7E).contains($0) }) else { return .failure(.malformed) }
        let parts = bytes.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return .failure(.malformed) }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard method.allSatisfy(isTokenCharacter) else { return .failure(.malformed) }
        let v = Array(version)
        guard v.count == 8, v.starts(with: Array("HTTP/".utf8)), isDigit(v[5]), v[6] == UInt8(ascii: "."), isDigit(v[7])
        else { return .failure(.malformed) }
        let targetText = String(decoding: target, as: UTF8.self)
        guard let path = path(of: targetText) else { return .failure(.malformed) }
        guard v[5] == UInt8(ascii: "1") else { return .failure(.unsupportedVersion) }
        return .success(HTTPRequestHead(method: String(decoding: method, as: UTF8.self), target: targetText, path: path))
    }

    /// The path of an origin-form (`/p?q`) or absolute-form (`http://host/p?q`) target.
    private static func path(of target: String) -> String? {
        var rest = Substring(target)
        if !rest.hasPrefix("/") {
            let lower = rest.lowercased()
            let scheme: Int
            if lower.hasPrefix("http://") { scheme = 7 } else if lower.hasPrefix("https://") { scheme = 8 } else { return nil }
            rest = rest.dropFirst(scheme)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            rest = rest[slash...]
            if rest.hasPrefix("?") { return "/" }
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        return String(rest)
    }

    /// `name: value`, the name a token; no obsolete line folding.
    private static func isValidHeaderLine(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > bytes.startIndex else { return false }
        guard bytes[..<colon].allSatisfy(isTokenCharacter) else { return false }
        return !bytes[colon...].contains(where: { $0 == 0 || $0 == cr || $0 == lf })
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
