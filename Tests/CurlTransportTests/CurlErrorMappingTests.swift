import DroverAPI
import Testing

@testable import CurlTransport

@Suite("libcurl error codes map to TransportError kinds")
struct CurlErrorMappingTests {
    @Test(
        "Each curl code maps to the kind a caller can act on",
        arguments: [
            (1, TransportError.Kind.invalidURL), (3, .invalidURL), (5, .dnsFailure), (6, .dnsFailure),
            (7, .connectionRefused), (28, .timedOut), (35, .tls), (60, .tls), (77, .tls), (63, .responseTooLarge),
            (18, .connectionClosed), (52, .connectionClosed), (56, .connectionClosed), (42, .cancelled), (27, .other),
        ])
    func mapping(code: Int, kind: TransportError.Kind) {
        #expect(CurlErrorMapping.kind(forCurlCode: code) == kind)
    }

    @Test("A DNS failure explains itself (not tested live: no traffic beyond loopback)")
    func dnsDescription() {
        let error = TransportError(
            kind: CurlErrorMapping.kind(forCurlCode: 6), url: "http://controlplane.invalid:8480/v1/reports",
            method: .post, curlCode: 6, message: "Could not resolve host: controlplane.invalid")
        #expect(
            error.description
                == "could not resolve the host in http://controlplane.invalid:8480/v1/reports"
                + " (curl 6: Could not resolve host: controlplane.invalid) — check the host name and DNS settings")
        #expect(error.isTransient)
    }

    @Test("Duration converts to at least one whole millisecond")
    func durationMilliseconds() {
        #expect(Duration.milliseconds(1500).curlMilliseconds == 1500)
        #expect(Duration.zero.curlMilliseconds == 1)
        #expect(Duration.microseconds(2500).curlMilliseconds == 2)
        #expect(Duration.seconds(Int64.max).curlMilliseconds == Int.max)
    }
}
