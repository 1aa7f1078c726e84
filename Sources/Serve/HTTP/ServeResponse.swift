import Foundation
import HTTPTypes
import Hummingbird

/// Responses of the server: JSON bodies, errors as `{"error": message}`.
enum ServeResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: jsonText(value))))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["error": message], status: status)
    }

    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:])
        -> Response
    {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
