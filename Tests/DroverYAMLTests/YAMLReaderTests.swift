import DroverYAML
import Testing

@Suite("YAML subset reader")
struct YAMLReaderTests {
    @Test("a block mapping with nested sections keeps its keys in order with their lines and columns")
    func blockMapping() throws {
        let node = try #require(try YAML.parse("agent:\n  id: a\n  labels:\n    zone: eu-1\nserver:\n  model: m\n"))
        let pairs = try #require(node.mapping)
        #expect(pairs.map { $0.key.string } == ["agent", "server"])
        #expect(node["agent"]?["labels"]?["zone"]?.string == "eu-1")
        let zone = try #require(node["agent"]?["labels"]?.mapping?.first)
        #expect(zone.key.line == 4 && zone.key.column == 5)
        #expect(node["server"]?["model"]?.line == 6)
    }

    @Test("block sequences nest, sit under their key at the same indentation, and hold compact mappings")
    func blockSequences() throws {
        let text = """
            list:
            - a
            - b
            nested:
              - - x
                - y
              - name: n
                port: 1
              -
              - z
            """
        let node = try #require(try YAML.parse(text))
        #expect(node["list"]?.sequence?.compactMap(\.string) == ["a", "b"])
        let nested = try #require(node["nested"]?.sequence)
        #expect(nested.count == 4)
        #expect(nested[0].sequence?.compactMap(\.string) == ["x", "y"])
        #expect(nested[1]["name"]?.string == "n" && nested[1]["port"]?.string == "1")
        #expect(nested[2].isNull)
        #expect(nested[3].string == "z")
    }

    @Test("flow lists and mappings span lines, allow trailing commas and read JSON")
    func flow() throws {
        let node = try #require(try YAML.parse("a: [x, 'y z', \"w\",]\nb: {k: v, n: [1, 2], e: , u: http://h:80/p}\nc: [\n  1,  # one\n  2\n]\n"))
        #expect(node["a"]?.sequence?.compactMap(\.string) == ["x", "y z", "w"])
        #expect(node["b"]?["k"]?.string == "v")
        #expect(node["b"]?["n"]?.sequence?.count == 2)
        #expect(node["b"]?["e"]?.isNull == true)
        #expect(node["b"]?["u"]?.string == "http://h:80/p")
        #expect(node["c"]?.sequence?.compactMap(\.string) == ["1", "2"])
        let json = try #require(try YAML.parse(#"{"agent": {"id": "a\u00e9", "n": 1.5, "ok": true, "x": null}, "l": []}"#))
        #expect(json["agent"]?["id"]?.string == "aé")
        #expect(json["agent"]?["n"]?.string == "1.5")
        #expect(json["agent"]?["x"]?.isNull == true)
        #expect(json["l"]?.sequence == [])
    }

    @Test("scalars: plain with colons and hashes, quotes with escapes, comments, null forms")
    func scalars() throws {
        let text = #"""
            url: http://127.0.0.1:8000/v2  # comment
            tag: a#b
            single: 'it''s # not a comment'
            double: "tab\there\nline \"q\" \\ \u263A \U0001F600 \x41"
            empty: ""
            tilde: ~
            none:
            word: null
            quoted_null: "null"
            folded_quote: "one
              two

              three"
            """#
        let node = try #require(try YAML.parse(text))
        #expect(node["url"]?.string == "http://127.0.0.1:8000/v2")
        #expect(node["tag"]?.string == "a#b")
        #expect(node["single"]?.string == "it's # not a comment")
        #expect(node["double"]?.string == "tab\there\nline \"q\" \\ \u{263A} \u{1F600} A")
        #expect(node["empty"]?.string == "" && node["empty"]?.isNull == false)
        #expect(node["tilde"]?.isNull == true && node["none"]?.isNull == true && node["word"]?.isNull == true)
        #expect(node["quoted_null"]?.isNull == false)
        #expect(node["folded_quote"]?.string == "one two\nthree")
    }

    @Test("block scalars keep or fold lines and honour chomping")
    func blockScalars() throws {
        let text = """
            literal: |
              {"instances":
                {{rows}}}

            folded: >-
              one
              two

              three
            kept: |+
              x

            after: y
            """
        let node = try #require(try YAML.parse(text))
        #expect(node["literal"]?.string == "{\"instances\":\n  {{rows}}}\n")
        #expect(node["folded"]?.string == "one two\nthree")
        #expect(node["kept"]?.string == "x\n\n")
        #expect(node["after"]?.string == "y")
    }

    @Test("a leading --- and a closing ... are accepted; an empty or comment-only document is nil")
    func markers() throws {
        #expect(try YAML.parse("---\na: 1\n...\n")?["a"]?.string == "1")
        #expect(try YAML.parse("--- # doc\na: 1\n")?["a"]?.string == "1")
        #expect(try YAML.parse("") == nil)
        #expect(try YAML.parse("# nothing\n\n") == nil)
        #expect(try YAML.parse("a: 1\r\nb: 2\r\n")?["b"]?.string == "2")
    }

    @Test(
        "what the subset leaves out is rejected with its line, column and what to do",
        arguments: [
            ("a: &x 1\nb: *x\n", 1, 4, "anchors"),
            ("a: 1\nb: *x\n", 2, 4, "aliases"),
            ("a: !!str 1\n", 1, 4, "tags"),
            ("a: 1\n---\nb: 2\n", 2, 1, "second document"),
            ("a:\n\tb: 1\n", 2, 1, "tab"),
            ("%YAML 1.2\n---\na: 1\n", 1, 1, "directives"),
            ("? a\n: b\n", 1, 1, "complex keys"),
            ("a: 1\na: 2\n", 2, 1, "duplicate key \"a\" (first on line 1)"),
            ("a: b: c\n", 1, 5, "same line"),
            ("a: 1\n  b: 2\n", 2, 3, "unexpected indentation"),
            ("a: \"open\nb: 1\n", 1, 4, "never closed"),
            ("a: [1, 2\n", 1, 4, "never closed"),
            ("a: {x: 1]\n", 1, 9, "expected ',' or '}'"),
            ("a: \"\\q\"\n", 1, 5, "unknown escape"),
            ("a: 1\nb\n", 2, 1, "expected 'key: value'"),
            ("a:\n  - x\n  y: 1\n", 3, 3, "unexpected indentation"),
            ("a: 1\n  - x\nb: 2\n", 2, 3, "unexpected indentation"),
            ("a: 1\n b: 2\nc: 3\n", 2, 2, "unexpected indentation"),
            ("  a: 1\nb: 2\n", 2, 1, "does not belong"),
            ("a: 'x' y\n", 1, 8, "unexpected text after the value"),
        ] as [(String, Int, Int, String)])
    func rejected(_ text: String, _ line: Int, _ column: Int, _ fragment: String) {
        do {
            _ = try YAML.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
