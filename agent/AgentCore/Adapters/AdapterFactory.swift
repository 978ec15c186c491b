/// Builds the inference adapter a configuration describes.
public enum AdapterFactory {
    /// The adapter for `config.server`, talking through `client`.
    public static func make(_ config: AgentConfig.Server, client: any AgentHTTPClient) -> any InferenceAdapter {
        let switcher = config.switchMode == .command ? CommandSwitcher(argv: config.switchCommand) : nil
        var template = RequestTemplate(body: config.requestTemplate, scoresPath: config.scoresPath, featureOrder: config.featureOrder)
        template.categoryCodes = config.categoryCodes
        switch config.kind {
        case .oip:
            return OIPAdapter(
                client: client, baseURL: config.url, model: config.model, version: config.version, inputName: config.inputName,
                outputName: config.outputName, featureOrder: config.featureOrder, categoryCodes: config.categoryCodes, timeout: config.timeout, switcher: switcher)
        case .torchserve:
            return TorchServeAdapter(
                client: client, inferenceURL: config.url, managementURL: config.managementURL, model: config.model,
                version: config.version, template: template, timeout: config.timeout, switcher: switcher)
        case .http:
            return GenericHTTPAdapter(
                client: client, healthURL: config.healthURL, predictURL: config.predictURL ?? config.url,
                versionURL: config.versionURL, versionPath: config.versionPath, model: config.model, version: config.version,
                template: template, timeout: config.timeout, switcher: switcher)
        }
    }
}
