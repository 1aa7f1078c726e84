import HTTPTypes
import Hummingbird

/// Refuses requests a page of another site could make: the server drives local computation, so
/// only its own page may talk to it. A request is refused (403) when
/// - its Host names another machine than the one the server listens as (a DNS-rebinding page
///   that resolved its own name to 127.0.0.1),
/// - it carries an Origin other than this server's own (`http://` + Host), "null" included, or
/// - the browser marks it cross-site (Sec-Fetch-Site).
/// Requests without Origin (curl, the page's own GETs) pass: a browser sends Origin on every
/// cross-origin request, and on every POST.
struct OriginGuard<Context: RequestContext>: RouterMiddleware {
    /// Host names the server answers to (loopback names, plus --host when given); nil: any (a
    /// server on every interface, 0.0.0.0 or ::, is reached by names it cannot know; the Origin
    /// must still be its own).
    let hosts: Set<String>?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let refusal = Self.refusal(
            authority: request.head.authority, origin: request.headers[.origin],
            fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!], hosts: hosts)
        {
            return ServeResponse.error(.forbidden, refusal)
        }
        return try await next(request, context)
    }

    /// Why a request is refused, or nil.
    static func refusal(authority: String?, origin: String?, fetchSite: String?, hosts: Set<String>?) -> String? {
        if let a = authority, let hosts, !hosts.contains(hostName(a)) {
            return "refused: Host \"\(a)\" is not this server (\(hosts.sorted().joined(separator: ", ")))"
        }
        if let o = origin {
            let own = authority.map { "http://" + $0 }
            guard let own, o == own else {
                return "refused: a request from \(o) (a page of another site may not drive this server)"
            }
        }
        if fetchSite == "cross-site" { return "refused: a cross-site request" }
        return nil
    }

    /// "127.0.0.1:8080" → "127.0.0.1"; "[::1]:8080" → "::1".
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
