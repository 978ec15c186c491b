import HTTPTypes
import RefModel

/// Validates an inference request's input and flattens it into `[N, F]` FP32 rows.
enum FeatureTensor {
    /// The input tensor name the model expects.
    static let inputName = "features"
    /// The output tensor name the model produces.
    static let outputName = "score"

    /// Returns the row count and the row-major values, or a 400 naming what to fix.
    static func rows(of request: OIPInferenceRequest, schema: FeatureSchema, maxBatch: Int) throws(OIPError) -> (
        count: Int, values: [Float]
    ) {
        let width = schema.width
        guard request.inputs.count == 1, let input = request.inputs.first else {
            throw .badRequest("expected exactly one input tensor named \"\(inputName)\", got \(request.inputs.count)")
        }
        guard input.name == inputName else {
            throw .badRequest(
                "unexpected input \"\(input.name)\"; the model's only input is \"\(inputName)\" (FP32, shape [-1, \(width)])"
            )
        }
        guard input.datatype == "FP32" else {
            throw .badRequest("input \"\(inputName)\" has datatype \"\(input.datatype)\"; expected \"FP32\"")
        }
        guard input.shape.count == 2, input.shape[1] == width, input.shape[0] >= 1 else {
            throw .badRequest(
                "input \"\(inputName)\" has shape \(input.shape); expected [N, \(width)] with N ≥ 1 (features: \(schema.names.joined(separator: ", ")))"
            )
        }
        let count = input.shape[0]
        guard count <= maxBatch else { throw .badRequest("batch of \(count) rows exceeds the limit of \(maxBatch)") }
        var values: [Float] = []
        values.reserveCapacity(count * width)
        try flatten(input.data, expecting: input.shape[...], into: &values, nested: isNested(input.data))
        guard values.count == count * width else {
            throw .badRequest(
                "input \"\(inputName)\" holds \(values.count) elements; shape \(input.shape) needs \(count * width)")
        }
        if let outputs = request.outputs {
            for output in outputs where output.name != outputName {
                throw .badRequest("unknown output \"\(output.name)\"; the model's only output is \"\(outputName)\"")
            }
        }
        return (count, values)
    }

    private static func isNested(_ data: OIPTensorData) -> Bool {
        if case .array(let elements) = data, case .array = elements.first { return true }
        return false
    }

    /// Flat data: every element a number. Nested data: the nesting must match the shape dimension by dimension.
    private static func flatten(
        _ data: OIPTensorData, expecting shape: ArraySlice<Int>, into values: inout [Float], nested: Bool
    ) throws(OIPError) {
        switch data {
        case .number(let value):
            guard !nested || shape.isEmpty else {
                throw .badRequest("nested data does not match the shape: found a number where an array was expected")
            }
            values.append(Float(value))
        case .bool, .string:
            throw .badRequest("input \"\(inputName)\" data must hold numbers (categoricals as integer codes)")
        case .array(let elements):
            if nested {
                guard let dimension = shape.first else { throw .badRequest("nested data is deeper than the shape") }
                guard elements.count == dimension else {
                    throw .badRequest("nested data has \(elements.count) entries where the shape says \(dimension)")
                }
                for element in elements {
                    try flatten(element, expecting: shape.dropFirst(), into: &values, nested: true)
                }
            } else {
                for element in elements {
                    guard case .number(let value) = element else {
                        throw .badRequest(
                            "input \"\(inputName)\" data must be numbers, flat or nested [N][\(shape.last ?? 0)] arrays"
                        )
                    }
                    values.append(Float(value))
                }
            }
        }
    }
}
