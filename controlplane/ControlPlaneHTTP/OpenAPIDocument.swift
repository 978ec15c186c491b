/// The OpenAPI 3 description of the `/v1` API, served at `/v1/openapi.json` (copy in docs/openapi.json).
public enum OpenAPIDocument {
    /// The document as JSON text.
    public static let json = #"""
{"openapi": "3.0.3", "info": {"title": "Drover control plane", "version": "1"}, "paths": {}}
"""#
}
