/// The OpenAPI 3 description of the API, served at `/v1/openapi.json`.
///
/// The document lives in `docs/openapi.json` (the only copy); the EmbedOpenAPI build plugin compiles it into
/// `OpenAPIDocument.json` (see Plugins/EmbedOpenAPI), so edit that file and rebuild.
public enum OpenAPIDocument {}
