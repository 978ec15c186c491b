import DroverStats

/// What to compare and how to judge it.
public struct DriftOptions: Sendable {
    /// Columns to treat as categorical even when every value is a number.
    public var categorical: Set<String>
    /// Columns to compare (default: every column of the reference file).
    public var columns: [String]?
    /// Thresholds, false-discovery control and minimum sample size.
    public var policy: DriftPolicy

    /// Creates options; the defaults compare every reference column with the default policy.
    public init(categorical: Set<String> = [], columns: [String]? = nil, policy: DriftPolicy = .default) {
        self.categorical = categorical
        self.columns = columns
        self.policy = policy
    }
}

/// An offline drift report between two tables, one entry per column.
public struct DriftReport: Sendable {
    /// How a column was compared.
    public enum Kind: String, Sendable {
        /// Every value parsed as a finite number.
        case numeric
        /// Anything else, or named with `--categorical`.
        case categorical
    }

    /// Bar heights for a column's chart: labels with reference and current proportions.
    public struct Chart: Sendable, Equatable {
        /// Bin or category labels.
        public var labels: [String]
        /// Reference proportion per label.
        public var reference: [Double]
        /// Current proportion per label.
        public var current: [Double]
    }

    /// The result for one column.
    public struct Column: Sendable {
        /// Column name.
        public var name: String
        /// Numeric or categorical.
        public var kind: Kind
        /// Non-missing reference values.
        public var nReference: Int
        /// Non-missing current values.
        public var nCurrent: Int
        /// Population stability index over the reference quantile bins or the categories.
        public var psi: Double
        /// Jensen–Shannon distance (base 2) over the same bins or categories.
        public var jsDistance: Double
        /// Wasserstein-1 distance (numeric only).
        public var wasserstein: Double?
        /// Wasserstein-1 over the reference inter-quartile range (numeric only, nil when that range is 0).
        public var wassersteinNormalized: Double?
        /// Kolmogorov–Smirnov test (numeric only).
        public var ks: KolmogorovSmirnovResult?
        /// Chi-square test over the categories (categorical only).
        public var chiSquare: ChiSquareResult?
        /// The verdict and its reason.
        public var assessment: DriftAssessment
        /// What the HTML chart draws.
        public var chart: Chart

        /// True when the verdict is drift.
        public var drift: Bool { assessment.level == .drift }
    }

    /// The reference file.
    public var reference: String
    /// The current file.
    public var current: String
    /// One entry per compared column, in the order requested.
    public var columns: [Column]

    /// Names of the columns whose verdict is drift.
    public var driftedColumns: [String] { columns.filter(\.drift).map(\.name) }

    /// Compares two tables column by column (columns in parallel), then assesses all columns together.
    public static func build(reference: DataTable, current: DataTable, options: DriftOptions = DriftOptions())
        async throws(InputError) -> DriftReport
    {
        let names = options.columns ?? reference.columns
        if names.isEmpty { throw .empty(reference.source) }
        var pairs: [(Int, Int)] = []
        for name in names {
            guard let r = reference.columnIndex(name) else {
                throw .missingColumn(name, in: reference.source, available: reference.columns)
            }
            guard let c = current.columnIndex(name) else {
                throw .missingColumn(name, in: current.source, available: current.columns)
            }
            pairs.append((r, c))
        }
        for name in options.categorical where !names.contains(name) {
            throw .missingColumn(name, in: reference.source, available: names)
        }
        let results = await withTaskGroup(of: (Int, Result<Partial, InputError>).self) { group in
            for (i, name) in names.enumerated() {
                let (r, c) = pairs[i]
                let forced = options.categorical.contains(name)
                group.addTask {
                    (
                        i,
                        Result { () throws(InputError) -> Partial in
                            try compareColumn(name, reference, r, current, c, forceCategorical: forced)
                        }
                    )
                }
            }
            var out = [Result<Partial, InputError>?](repeating: nil, count: names.count)
            for await (i, result) in group { out[i] = result }
            return out
        }
        var partials: [Partial] = []
        for result in results {
            switch result! {
            case .success(let p): partials.append(p)
            case .failure(let e): throw e
            }
        }
        let assessments = options.policy.assess(partials.map(\.evidence))
        let columns = zip(partials, assessments).map { p, a in
            Column(
                name: p.evidence.name, kind: p.kind, nReference: p.evidence.nReference, nCurrent: p.evidence.nCurrent,
                psi: p.evidence.psi, jsDistance: p.jsDistance, wasserstein: p.wasserstein,
                wassersteinNormalized: p.wassersteinNormalized, ks: p.ks, chiSquare: p.chiSquare, assessment: a,
                chart: p.chart)
        }
        return DriftReport(reference: reference.source, current: current.source, columns: columns)
    }

    /// A column's statistics before the joint assessment.
    struct Partial: Sendable {
        var kind: Kind
        var evidence: DriftEvidence
        var jsDistance: Double
        var wasserstein: Double?
        var wassersteinNormalized: Double?
        var ks: KolmogorovSmirnovResult?
        var chiSquare: ChiSquareResult?
        var chart: Chart
    }

    static func compareColumn(
        _ name: String, _ reference: DataTable, _ r: Int, _ current: DataTable, _ c: Int, forceCategorical: Bool
    ) throws(InputError) -> Partial {
        if !forceCategorical, let a = reference.numbers(column: r), let b = current.numbers(column: c) {
            if a.isEmpty { throw .noValues(name, in: reference.source) }
            if b.isEmpty { throw .noValues(name, in: current.source) }
            let s: SampleComparison
            do {
                s = try DriftStatistics.compareSamples(reference: a, current: b)
            } catch {
                throw .statistics(name, error.description)
            }
            let edges = s.bins.edges.map(format)
            var labels: [String] = []
            if edges.isEmpty {
                labels = ["all"]
            } else {
                labels.append("< \(edges[0])")
                for i in 1..<edges.count { labels.append("[\(edges[i - 1]), \(edges[i]))") }
                labels.append("≥ \(edges[edges.count - 1])")
            }
            let chart = Chart(
                labels: labels, reference: proportions(s.referenceCounts), current: proportions(s.currentCounts))
            return Partial(
                kind: .numeric, evidence: DriftEvidence(name: name, samples: s), jsDistance: s.counts.jsDistance,
                wasserstein: s.wasserstein, wassersteinNormalized: s.wassersteinNormalized, ks: s.ks, chiSquare: nil,
                chart: chart)
        }
        let rc = reference.valueCounts(column: r)
        let cc = current.valueCounts(column: c)
        if rc.isEmpty { throw .noValues(name, in: reference.source) }
        if cc.isEmpty { throw .noValues(name, in: current.source) }
        let categories = Set(rc.keys).union(cc.keys).sorted {
            $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }
        let a = categories.map { rc[$0] ?? 0 }
        let b = categories.map { cc[$0] ?? 0 }
        let counts: CountComparison
        do {
            counts = try DriftStatistics.compare(reference: a, current: b)
        } catch {
            throw .statistics(name, error.description)
        }
        // Chart: the eight categories with the largest share on either side, the rest as "other".
        let pa = proportions(a)
        let pb = proportions(b)
        let top = categories.indices.sorted { max(pa[$0], pb[$0]) > max(pa[$1], pb[$1]) }.prefix(8).sorted()
        var chart = Chart(
            labels: top.map { categories[$0] }, reference: top.map { pa[$0] }, current: top.map { pb[$0] })
        if top.count < categories.count {
            chart.labels.append("(\(categories.count - top.count) more)")
            chart.reference.append(max(0, 1 - chart.reference.reduce(0, +)))
            chart.current.append(max(0, 1 - chart.current.reduce(0, +)))
        }
        return Partial(
            kind: .categorical, evidence: DriftEvidence(name: name, counts: counts), jsDistance: counts.jsDistance,
            wasserstein: nil, wassersteinNormalized: nil, ks: nil, chiSquare: counts.chiSquare, chart: chart)
    }

    private static func proportions(_ counts: [Int]) -> [Double] {
        let total = Double(counts.reduce(0, +))
        return counts.map { total > 0 ? Double($0) / total : 0 }
    }

    /// A short rendering of a number for labels and tables (4 significant digits).
    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if !x.isFinite { return "\(x)" }
        let magnitude = abs(x)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            var digits = 3
            var m = magnitude
            while m >= 10 && digits > 0 {
                m /= 10
                digits -= 1
            }
            var scale = 1.0
            var d = digits
            while m < 1 {
                m *= 10
                d += 1
            }
            for _ in 0..<d { scale *= 10 }
            let rounded = (x * scale).rounded() / scale
            var s = "\(rounded)"
            if s.hasSuffix(".0") { s.removeLast(2) }
            return s
        }
        // Scientific: mantissa with 3 decimals.
        var exponent = 0
        var m = magnitude
        while m >= 10 {
            m /= 10
            exponent += 1
        }
        while m < 1 {
            m *= 10
            exponent -= 1
        }
        let mantissa = (m * 1000).rounded() / 1000
        return "\(x < 0 ? "-" : "")\(mantissa)e\(exponent)"
    }
}
