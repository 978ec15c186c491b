@testable import AgentCore
import DroverAPI
import DroverYAML
import Testing

/// Every configuration example in the repository, as (name, text): deploy/, the Kubernetes ConfigMap, docs/agent.md.
func exampleConfigurations() throws -> [(name: String, text: String)] {
    let root = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    var out: [(String, String)] = []
    for path in ["deploy/agent/agent.yaml", "deploy/demo/agent.yaml", "deploy/agent/mlserver-agent.yaml"] {
        out.append((path, try FileIO.readText(root + "/" + path)))
    }
    // The ConfigMap embeds agent.yaml as a literal block scalar in the manifest's first document.
    let manifest = try FileIO.readText(root + "/deploy/agent/kubernetes-sidecar.yaml")
    let firstDocument = String(manifest.split(separator: "\n---\n", maxSplits: 1)[0])
    let configMap = try #require(try YAML.parse(firstDocument))
    out.append(("deploy/agent/kubernetes-sidecar.yaml", try #require(configMap["data"]?["agent.yaml"]?.string)))
    // The YAML blocks of docs/agent.md (some are indented under list items).
    let guide = try FileIO.readText(root + "/docs/agent.md")
    var block: [Substring]?
    for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
        let trimmed = line.drop { $0 == " " }
        if block == nil, trimmed == "```yaml" {
            block = []
        } else if var lines = block {
            if trimmed == "```" {
                let indent = lines.first.map { $0.prefix { $0 == " " }.count } ?? 0
                let text = lines.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n")
                out.append(("docs/agent.md#\(out.count)", text))
                block = nil
            } else {
                lines.append(line)
                block = lines
            }
        }
    }
    return out
}

/// A canonical, order-independent text of what a file yields: every entry with its origin, then the problems.
func dump(_ entries: [String: ConfigEntry], _ problems: [ConfigProblem]) -> String {
    var lines = entries.keys.sorted().map { key -> String in
        let entry = entries[key]!
        let value: String
        switch entry.value {
        case .scalar(let s): value = "scalar(\(JSONString.quoted(s)))"
        case .list(let items): value = "list(\(items.map(JSONString.quoted).joined(separator: ",")))"
        case .map(let m): value = "map(\(m.keys.sorted().map { "\($0)=\(JSONString.quoted(m[$0]!))" }.joined(separator: ",")))"
        }
        return "\(key) = \(value) @ \(entry.origin)"
    }
    lines += problems.map { "problem: \($0)" }
    return lines.joined(separator: "\n")
}

@Suite("Configuration files read by the YAML subset reader")
struct ConfigFileParsingTests {
    /// Files and what Yams 6.2.2 made of them through the same key walk (recorded before Yams was removed).
    static let recordedWithYams: [(String, String)] = [
        ("agent:\n  id: a\nserver:\n  model: m\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4"),
        ("---\nagent: {id: 'it''s', labels: {zone: eu-1, pool: \"search\"}}\nserver: {model: m, feature_order: [a, \"b c\", 'd']}\n",
         "agent.id = scalar(\"it's\") @ s.yaml:2\nagent.labels = map(pool=\"search\",zone=\"eu-1\") @ s.yaml:2\nserver.feature_order = list(\"a\",\"b c\",\"d\") @ s.yaml:3\nserver.model = scalar(\"m\") @ s.yaml:3"),
        ("# comment\nagent:\n  id: a   # trailing\n  labels:\n    zone: eu-1\nserver:\n  model: m\n  feature_order:\n  - x\n  - y\n",
         "agent.id = scalar(\"a\") @ s.yaml:3\nagent.labels = map(zone=\"eu-1\") @ s.yaml:4\nserver.feature_order = list(\"x\",\"y\") @ s.yaml:8\nserver.model = scalar(\"m\") @ s.yaml:7"),
        ("agent:\n  id: \"tab\\there \\u00e9 \\\"q\\\"\"\nserver:\n  model: m\n  switch_command:\n    - /bin/switch\n    - \"{version}\"\n",
         "agent.id = scalar(\"tab\\there é \\\"q\\\"\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4\nserver.switch_command = list(\"/bin/switch\",\"{version}\") @ s.yaml:5"),
        ("agent:\n  id: a\n  labels:\nserver:\n  model: ~\n  version: null\n  url: http://127.0.0.1:8000/\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.url = scalar(\"http://127.0.0.1:8000/\") @ s.yaml:7"),
        ("server:\n  model: m\n  category_codes:\n    device: [web, ios]\n    category:\n      - a\n      - b\nagent:\n  id: a\n",
         "agent.id = scalar(\"a\") @ s.yaml:9\nserver.category_codes = map(category=\"a,b\",device=\"web,ios\") @ s.yaml:3\nserver.model = scalar(\"m\") @ s.yaml:2"),
        ("{\"agent\": {\"id\": \"a1\"}, \"server\": {\"model\": \"m\", \"kind\": \"torchserve\", \"feature_order\": [\"x\", \"y\"]}}",
         "agent.id = scalar(\"a1\") @ s.yaml:1\nserver.feature_order = list(\"x\",\"y\") @ s.yaml:1\nserver.kind = scalar(\"torchserve\") @ s.yaml:1\nserver.model = scalar(\"m\") @ s.yaml:1"),
        ("agent:\n  id: a\nserver:\n  model: m\n  request_template: '{\"instances\": {{rows}}}'\n  scores_path: predictions[*].score\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4\nserver.request_template = scalar(\"{\\\"instances\\\": {{rows}}}\") @ s.yaml:5\nserver.scores_path = scalar(\"predictions[*].score\") @ s.yaml:6"),
        ("agent:\n  idd: a\nserver:\n  modl: m\nprobes: 5\nlisten: [1, 2]\nagent.id: x\n",
         "agent.id = scalar(\"x\") @ s.yaml:7\nproblem: s.yaml:2: agent.idd: unknown key; did you mean agent.id?\nproblem: s.yaml:4: server.modl: unknown key; did you mean server.model?\nproblem: s.yaml:5: probes: must be a mapping of keys (a section)\nproblem: s.yaml:6: listen: must be a mapping of keys (a section)"),
        ("agent:\n  id: a\nserver:\n  model: m\n  feature_order: a, b, c\n  category_codes: {x: [1, 2], y: 3}\n  version: 2\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.category_codes = map(x=\"1,2\",y=\"3\") @ s.yaml:6\nserver.feature_order = list(\"a\",\"b\",\"c\") @ s.yaml:5\nserver.model = scalar(\"m\") @ s.yaml:4\nserver.version = scalar(\"2\") @ s.yaml:7"),
        ("agent:\n  id: a\nserver:\n  model: m\n  feature_order: [[a], b]\n  category_codes: [a]\n  url: [x]\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4\nproblem: s.yaml:5: server.feature_order: must be a list of plain values\nproblem: s.yaml:6: server.category_codes: must be a mapping like {zone: eu-1}\nproblem: s.yaml:7: server.url: must be a single value, not a list or mapping"),
        ("agent:\n    id: a\n    labels: {zone: eu-1}\nserver:\n    model: m\n    timeout: 2s\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nagent.labels = map(zone=\"eu-1\") @ s.yaml:3\nserver.model = scalar(\"m\") @ s.yaml:5\nserver.timeout = scalar(\"2s\") @ s.yaml:6"),
        ("agent: [1, 2]\nserver:\n  model: m",
         "server.model = scalar(\"m\") @ s.yaml:3\nproblem: s.yaml:1: agent: must be a mapping of keys (a section)"),
        ("- a\n- b\n",
         "problem: s.yaml:1: (file): the top level must be a mapping of sections (agent, server, probes, …)"),
        ("",
         ""),
        ("# only a comment\n",
         ""),
        ("agent:\n  id: a\nserver:\n  model: m\n  request_template: |\n    {\"instances\":\n      {{rows}}}\n  scores_path: >-\n    predictions\n    [*].score\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4\nserver.request_template = scalar(\"{\\\"instances\\\":\\n  {{rows}}}\\n\") @ s.yaml:5\nserver.scores_path = scalar(\"predictions [*].score\") @ s.yaml:8"),
        ("server:\n  model: m\n  urll: http://x\nagent:\n  id: a",
         "agent.id = scalar(\"a\") @ s.yaml:5\nserver.model = scalar(\"m\") @ s.yaml:2\nproblem: s.yaml:3: server.urll: unknown key; did you mean server.url?"),
        ("agent:\n  id: a\nserver:\n  model: m\n  version: '3'\n  backup_version: '3'",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.backup_version = scalar(\"3\") @ s.yaml:6\nserver.model = scalar(\"m\") @ s.yaml:4\nserver.version = scalar(\"3\") @ s.yaml:5"),
        ("agent:\n  id: a\nserver:\n  model: m\nprobes:\n  interval: soon",
         "agent.id = scalar(\"a\") @ s.yaml:2\nprobes.interval = scalar(\"soon\") @ s.yaml:6\nserver.model = scalar(\"m\") @ s.yaml:4"),
        ("agent:\n  id: a\nserver:\n  model: m\n  kind: triton",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.kind = scalar(\"triton\") @ s.yaml:5\nserver.model = scalar(\"m\") @ s.yaml:4"),
        ("agent:\n  id: 'a'\n  log_level: \"debug\"\nwindow: {duration: 30s, max_events: 1000}\nlisten: {host: 0.0.0.0, port: 9464}\nreporting:\n  batch_size: 10   # ten\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nagent.log_level = scalar(\"debug\") @ s.yaml:3\nlisten.host = scalar(\"0.0.0.0\") @ s.yaml:5\nlisten.port = scalar(\"9464\") @ s.yaml:5\nreporting.batch_size = scalar(\"10\") @ s.yaml:7\nwindow.duration = scalar(\"30s\") @ s.yaml:4\nwindow.max_events = scalar(\"1000\") @ s.yaml:4"),
        ("agent:\n  id: a\n  labels:\n    zone: \"eu-1\"\n    empty: ''\n    n: 3\nserver:\n  model: m\n  feature_order:\n    - price\n    - 'it''s'\n    - \"a b\"\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nagent.labels = map(empty=\"\",n=\"3\",zone=\"eu-1\") @ s.yaml:3\nserver.feature_order = list(\"price\",\"it's\",\"a b\") @ s.yaml:9\nserver.model = scalar(\"m\") @ s.yaml:8"),
        ("agent:\n  id: a\nserver:\n  model: m\n",
         "agent.id = scalar(\"a\") @ s.yaml:2\nserver.model = scalar(\"m\") @ s.yaml:4"),
    ]

    @Test("files read exactly as they did with Yams", arguments: recordedWithYams.indices)
    func sameAsYams(_ index: Int) {
        let (text, expected) = Self.recordedWithYams[index]
        var problems: [ConfigProblem] = []
        let entries = ConfigLayers.parseFile(text: text, path: "s.yaml", problems: &problems)
        #expect(dump(entries, problems) == expected)
    }

    @Test("every example configuration under deploy/ and docs/ reads without a problem")
    func examples() throws {
        let examples = try exampleConfigurations()
        #expect(examples.count >= 5)
        for (name, text) in examples {
            var problems: [ConfigProblem] = []
            let entries = ConfigLayers.parseFile(text: text, path: name, problems: &problems)
            #expect(!entries.isEmpty && problems.isEmpty, "\(name): \(problems)")
        }
    }

    @Test("the deploy example keeps its values and lines")
    func deployExample() throws {
        let (name, text) = try #require(try exampleConfigurations().first)
        var problems: [ConfigProblem] = []
        let entries = ConfigLayers.parseFile(text: text, path: name, problems: &problems)
        #expect(entries["agent.labels"]?.value == .map(["zone": "eu-1", "pool": "search"]))
        #expect(entries["server.version"]?.value == .scalar("2"))
        #expect(entries["server.feature_order"]?.value == .list(["price", "discount", "category", "popularity", "text_similarity", "user_activity", "device"]))
        #expect(entries["agent.id"]?.origin == .file(path: name, line: 7))
    }

    @Test(
        "syntax the reader leaves out is reported with file, line and column and what to do",
        arguments: [
            ("agent:\n  id: &a x\n", "agent.yaml:2:7: (file): anchors (&name) are not supported; write the value out where it is used"),
            ("agent:\n\tid: a\n", "agent.yaml:2:1: (file): a tab in the indentation; YAML indents with spaces only"),
            ("agent:\n  id: a\n---\nserver: {}\n", "agent.yaml:3:1: (file): a second document (---) is not supported; keep one document per file"),
            ("agent:\n  id: !!str a\n", "agent.yaml:2:7: (file): tags (!name) are not supported; remove the tag and write the plain value"),
            ("agent:\n  id: a\n  id: b\n", "agent.yaml:3:3: (file): duplicate key \"id\" (first on line 2); each key may appear once"),
        ])
    func syntax(_ text: String, _ expected: String) {
        do {
            _ = try AgentConfig.load(text: text, path: "agent.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.first?.description == expected)
        }
    }
}
