import DroverAPI

/// How prediction events map to queries.
public enum EventGranularity: String, Sendable, CaseIterable, Codable {
    /// One event per query: scores and items in ranked order; features of one uniformly sampled candidate.
    case query
    /// One event per candidate item (request id `"<request>:<item>"`), with a 0/1 `label` per item.
    case item
}

/// Builds the agent-facing events (`PredictionEvent`, `LabelEvent`) from generated queries and served scores.
public enum TrafficEvents {
    /// The prediction events for one answered query.
    public static func predictions(
        for query: TrafficQuery, scores: [Float], model: String, version: String?, at: String?, latencyMs: Double?,
        granularity: EventGranularity
    ) -> [PredictionEvent] {
        switch granularity {
        case .query:
            let order = ranked(query, scores)
            return [
                PredictionEvent(
                    requestID: query.requestID, at: at, model: model, version: version,
                    features: query.candidates[query.sampledIndex].features,
                    scores: order.map { Double(scores[$0]) }, items: order.map { query.candidates[$0].item },
                    latencyMs: latencyMs)
            ]
        case .item:
            return query.candidates.indices.map { index in
                PredictionEvent(
                    requestID: itemRequestID(query, index), at: at, model: model, version: version,
                    features: query.candidates[index].features, scores: [Double(scores[index])],
                    items: [query.candidates[index].item], latencyMs: latencyMs)
            }
        }
    }

    /// The label events for one query's sampled outcomes.
    public static func labels(
        for query: TrafficQuery, outcomes: [OutcomeSampler.Outcome], at: String?, granularity: EventGranularity
    ) -> [LabelEvent] {
        var events: [LabelEvent] = []
        for outcome in outcomes {
            switch granularity {
            case .query:
                if outcome.clicked {
                    events.append(
                        LabelEvent(requestID: query.requestID, kind: .click, value: 1, item: outcome.item, at: at))
                }
                if outcome.purchased {
                    events.append(
                        LabelEvent(
                            requestID: query.requestID, kind: .purchase, value: outcome.amount, item: outcome.item,
                            at: at))
                }
            case .item:
                let index = query.candidates.firstIndex { $0.item == outcome.item } ?? 0
                let id = itemRequestID(query, index)
                events.append(
                    LabelEvent(requestID: id, kind: .label, value: outcome.clicked ? 1 : 0, item: outcome.item, at: at))
                if outcome.purchased {
                    events.append(
                        LabelEvent(requestID: id, kind: .purchase, value: outcome.amount, item: outcome.item, at: at))
                }
            }
        }
        return events
    }

    /// The request id of one candidate's event in item granularity.
    public static func itemRequestID(_ query: TrafficQuery, _ index: Int) -> String {
        "\(query.requestID):\(index)"
    }

    private static func ranked(_ query: TrafficQuery, _ scores: [Float]) -> [Int] {
        query.candidates.indices.sorted { (scores[safe: $0] ?? 0, -$0) > (scores[safe: $1] ?? 0, -$1) }
    }
}
