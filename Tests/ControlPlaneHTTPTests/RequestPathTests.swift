import ControlPlaneCore
import ControlPlaneHTTP
import DroverAPI
import DroverTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Request path: bearer header and body limits")
struct RequestPathTests {
    @Test(
        "the bearer scheme is case-insensitive and spaces around the token are ignored",
        arguments: ["Bearer %@", "bearer %@", "BEARER %@", "Bearer   %@  "])
    func bearerForms(_ form: String) async throws {
        let h = try await HTTPHarness()
        let token = try #require(h.tokens[.viewer])
        try await h.app().test(.router) { client in
            var headers = auth(nil)
            headers[.authorization] = form.replacingOccurrences(of: "%@", with: token)
            try await client.execute(uri: APIPath.agents, method: .get, headers: headers) { #expect($0.status == .ok) }
        }
    }

    @Test(
        "an Authorization header that is not `Bearer <token>` is refused with 401",
        arguments: ["Bearer", "Bearer ", "Bearer    ", "Bearerdrv_x", "Token drv_x", "Bearer\tdrv_x", ""])
    func malformedHeaders(_ value: String) async throws {
        let h = try await HTTPHarness()
        try await h.app().test(.router) { client in
            var headers = auth(nil)
            headers[.authorization] = value
            try await client.execute(uri: APIPath.agents, method: .get, headers: headers) { response throws in
                #expect(response.status == .unauthorized)
                #expect(try apiError(response).code == "unauthorized")
            }
        }
    }

    @Test(
        "a body of exactly the limit is read (400 for bad JSON) and one byte more is 413, with or without Content-Length"
    )
    func bodyLimitBoundary() async throws {
        let h = try await HTTPHarness(maxBodyBytes: 4096)
        let agent = try await h.enrollAgent()
        try await h.app().test(.router) { client in
            for withLength in [false, true] {
                for (size, status) in [(4096, HTTPResponse.Status.badRequest), (4097, .contentTooLarge)] {
                    let text = "{\"pad\": \"" + String(repeating: "x", count: size - 11) + "\"}"
                    #expect(text.utf8.count == size)
                    var headers = auth(agent)
                    if withLength { headers[.contentLength] = "\(size)" }
                    try await client.execute(
                        uri: APIPath.reports, method: .post, headers: headers, body: ByteBuffer(string: text)
                    ) { response in
                        #expect(response.status == status, "size \(size), Content-Length sent: \(withLength)")
                    }
                }
            }
        }
    }
}
