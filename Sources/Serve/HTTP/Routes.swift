import Experiments
import Foundation
import HTTPTypes
import Hummingbird
import LinearAlgebra

/// The server's routes. Everything the page needs is here: the page itself, the catalog, the
/// check of a setting (with what is already computed for it), runs, their event streams, and
/// the files of the result folder.
public enum ServeRoutes {
    /// The router of `genlab serve`: `out` is the result folder, `hosts` the names it answers to (nil: any).
    public static func router(queue: RunQueue, out: String, hosts: Set<String>?) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(OriginGuard(hosts: hosts))
        let catalog = jsonText(Catalog.registry())
        router.get("/") { _, _ in
            ServeResponse.text(
                Page.html, type: "text/html; charset=utf-8",
                extra: [
                    .contentSecurityPolicy:
                        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' "
                        + "data:; connect-src 'self'"
                ])
        }
        router.get("/api/experiments") { _, _ in ServeResponse.text(catalog, type: "application/json; charset=utf-8") }
        // A check's answer is the setting's fate, errors included: 200 with {"error": …} (a 400
        // would be a console error in the browser for every half-typed value).
        router.post("/api/check") { request, context in
            switch await resolve(request, context: context, out: out) {
            case .failure(let refusal): return ServeResponse.json(["error": refusal.message])
            case .success(let spec): return ServeResponse.json(Preview(spec))
            }
        }
        router.get("/api/runs") { _, _ in ServeResponse.json(await queue.list()) }
        router.post("/api/runs") { request, context in
            switch await resolve(request, context: context, out: out) {
            case .failure(let refusal): return refusal.response
            case .success(let spec):
                do {
                    let run = try await queue.submit(spec)
                    return ServeResponse.json(await run.summary, status: .accepted)
                } catch { return ServeResponse.error(.serviceUnavailable, "\(error)") }
            }
        }
        router.post("/api/runs/:id/cancel") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard await queue.cancel(id: id), let run = await queue.run(id: id) else {
                return ServeResponse.error(.notFound, "no run \"\(id)\"")
            }
            return ServeResponse.json(await run.summary)
        }
        router.get("/api/runs/:id/events") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard let run = await queue.run(id: id) else { return ServeResponse.error(.notFound, "no run \"\(id)\"") }
            let last = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int($0) } ?? 0
            return EventStream.response(run, after: last)
        }
        router.get("/files/**") { request, _ in
            let relative = String(request.uri.path.dropFirst("/files/".count))
            switch ResultFiles.resolve(relative, root: out) {
            case .failure(.refused(let why)): return ServeResponse.error(.forbidden, why)
            case .failure(.missing(let why)): return ServeResponse.error(.notFound, why)
            case .success(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    return ServeResponse.error(.notFound, "cannot read \(relative)")
                }
                return Response(
                    status: .ok, headers: [.contentType: ResultFiles.contentType(path), .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
        return router
    }

    /// A usage error in the CLI's words (400), or a body that is not a run request (400).
    struct Refusal: Error {
        var message: String
        var response: Response { ServeResponse.error(.badRequest, message) }
    }

    static func resolve(_ request: Request, context: BasicRequestContext, out: String) async -> Result<RunSpec, Refusal>
    {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: 1 << 20) } catch {
            return .failure(Refusal(message: "the request body is over 1 MiB"))
        }
        let r: RunRequest
        do { r = try JSONDecoder().decode(RunRequest.self, from: Data(buffer: body)) } catch {
            return .failure(
                Refusal(
                    message:
                        "expected a JSON run request {\"experiment\": FOLDER, \"scale\": SCALE, \"settings\": {KEY: "
                        + "TEXT}}, found \(String(buffer: body).prefix(80))"
                ))
        }
        do { return .success(try RunSpec.resolve(r, out: out)) } catch let e as GenLabError {
            return .failure(Refusal(message: e.description))
        } catch {
            return .failure(Refusal(message: "\(error)"))
        }
    }
}

/// What a setting already has on disk: its command, and its result when computed before (or
/// the partial result of the points a cancelled run left), so that moving a control back to
/// settings already computed shows them at once.
struct Preview: Encodable {
    var command: String
    var folder: String
    var result: ResultBody?
    var points: Int

    init(_ spec: RunSpec) {
        command = spec.command
        folder = spec.key
        let finished = SweepPoints.finished(in: spec.folder + "/points")
        points = finished.count
        if let r = try? ResultFolder.read(spec.folder), r.experiment == spec.experiment.name,
            (try? spec.experiment.configuration()) == r.configuration
        {
            result = ResultBody(r, partial: false, files: RunExecution.files(spec))
        } else if let live = spec.experiment as? any PartialAnalysis, let partial = live.analyze(finished: finished) {
            result = ResultBody(partial, partial: true)
        } else if let partial = LiveResult.read(spec.liveResult), partial.experiment == spec.experiment.name {
            result = ResultBody(partial, partial: true)
        }
    }
}

/// A run's events as text/event-stream: those after `after` (Last-Event-ID), then each as it
/// comes, until the run ends.
enum EventStream {
    static func response(_ run: Run, after: Int) -> Response {
        let body = ResponseBody { (writer: inout any ResponseBodyWriter) in
            var cursor = after
            while true {
                let batch = await run.events(after: cursor)
                guard let last = batch.last else { break }
                var buffer = ByteBuffer()
                for e in batch { buffer.writeString(e.framed) }
                try await writer.write(buffer)
                cursor = last.id
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: body)
    }
}
