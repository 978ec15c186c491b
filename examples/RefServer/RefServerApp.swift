import Hummingbird
import Logging
import NIOCore
import RefModel

/// Builds the reference server: OIP v2 REST + repository extension + `/admin` fault knobs.
///
/// `state` holds the repository and fault knobs (tests keep a reference to drive them);
/// `onBound` receives the bound port once the server listens (useful with port 0).
public func buildRefServer(
    configuration: RefServerConfiguration,
    state: RefServerState,
    logger: Logger = Logger(label: "drover.refserver"),
    onBound: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: OIPErrorMiddleware())
    router.add(middleware: CrashMiddleware(state: state))
    OIPRoutes(state: state, configuration: configuration).add(to: router)
    AdminRoutes(state: state).add(to: router)
    return Application(
        router: router,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName),
        onServerRunning: { channel in await onBound(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Builds the reference server with a fresh state; the crash knob calls `exitHandler`.
public func buildRefServer(
    configuration: RefServerConfiguration,
    exitHandler: @escaping @Sendable (Int32) -> Void,
    logger: Logger = Logger(label: "drover.refserver"),
    onBound: @escaping @Sendable (Int) async -> Void = { _ in }
) throws(OIPError) -> some ApplicationProtocol {
    let state = try RefServerState(configuration: configuration, exitHandler: exitHandler)
    return buildRefServer(configuration: configuration, state: state, logger: logger, onBound: onBound)
}
