import Foundation

/// The /files/ route's one rule: a path names a file inside the result folder (--out) and
/// nothing else. No "..", no ".", no empty part, no hidden file, no backslash or NUL; and the
/// file's real path (symbolic links resolved) must lie under the folder's real path.
enum ResultFiles {
    /// The absolute path of `relative` (percent-decoded) under `root`, or why it is refused.
    static func resolve(_ relative: String, root: String) -> Result<String, FileRefusal> {
        guard let decoded = relative.removingPercentEncoding else {
            return .failure(.refused("the path is not valid percent-encoding"))
        }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }),
            !decoded.contains("\\"), !decoded.contains("\0")
        else {
            return .failure(.refused("only files inside the result folder are served, not \"\(decoded)\""))
        }
        let base = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let full = URL(fileURLWithPath: base + "/" + decoded).resolvingSymlinksInPath().path
        guard full.hasPrefix(base + "/") else {
            return .failure(.refused("\"\(decoded)\" leads outside the result folder"))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return .failure(.missing("no file \"\(decoded)\" in the result folder"))
        }
        return .success(full)
    }

    /// The content type of a result file by its extension.
    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return "application/json; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "html": return "text/html; charset=utf-8"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }
}

enum FileRefusal: Error, Equatable {
    /// Outside the folder, or not a plain name (403).
    case refused(String)
    /// Inside, but no such file (404).
    case missing(String)
}
