import Foundation

/// Locates executables built by this package (`drover-agent`, `drover-controlplane`, …) for end-to-end tests.
public enum BuiltProducts {
    /// The environment variable that, when set, names the directory holding built executables.
    public static let directoryEnvironmentKey = "DROVER_BUILD_DIR"

    /// The URL of the executable `name` next to the running test bundle, or in `.build/debug`.
    ///
    /// Search order: `$DROVER_BUILD_DIR`; the directory of the test bundle and its parents
    /// (`.build/<triple>/debug`); `.build/debug` under the current directory and under each parent of the bundle.
    public static func executable(named name: String) throws(TestKitError) -> URL {
        let fileManager = FileManager.default
        var searched: [String] = []
        for directory in candidateDirectories() {
            let candidate = directory.appendingPathComponent(name)
            searched.append(directory.path)
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw .executableNotFound(name, searched: unique(searched))
    }

    /// The directories searched, in order.
    public static func candidateDirectories() -> [URL] {
        var result: [URL] = []
        if let override = ProcessInfo.processInfo.environment[directoryEnvironmentKey], !override.isEmpty {
            result.append(URL(fileURLWithPath: override, isDirectory: true))
        }
        var starts: [URL] = []
        if let argument = CommandLine.arguments.first, !argument.isEmpty {
            let url = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            starts.append(url.deletingLastPathComponent())
        }
        starts.append(Bundle.main.bundleURL.resolvingSymlinksInPath())
        starts.append(Bundle.main.bundleURL.deletingLastPathComponent().resolvingSymlinksInPath())
        for start in starts {
            // The bundle's own folder (for `.xctest` bundles on macOS, the folder holding the bundle).
            var directory = start
            for _ in 0..<6 {
                if directory.lastPathComponent.hasSuffix(".xctest") {
                    directory = directory.deletingLastPathComponent()
                    continue
                }
                result.append(directory)
                if directory.lastPathComponent == ".build" {
                    result.append(directory.appendingPathComponent("debug"))
                }
                let dotBuild = directory.appendingPathComponent(".build")
                if FileManager.default.fileExists(atPath: dotBuild.path) {
                    result.append(dotBuild.appendingPathComponent("debug"))
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        result.append(cwd.appendingPathComponent(".build/debug"))
        var seen = Set<String>()
        return result.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }
}
