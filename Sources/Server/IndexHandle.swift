public import ArticleIndex
import Foundation
public import Logging

/// The index as `marsad serve` reads it: opened read-only on first use (a GRDB reader pool over the WAL, so
/// it serves while `marsad run` writes), kept open, and opened again after a failure. A missing index or
/// one that needs rebuilding is an ``APIError/unavailable(_:)`` with the reason, never a crash.
public actor IndexHandle {
    public let location: String
    private let logger: Logger
    private var store: (any ArticleReading)?
    private let opener: @Sendable (String) throws(IndexError) -> any ArticleReading

    public init(location: String, logger: Logger,
                opener: @escaping @Sendable (String) throws(IndexError) -> any ArticleReading = { location throws(IndexError) in
                    try IndexBackend.open(location, mode: .readOnly)
                }) {
        self.location = location
        self.logger = logger
        self.opener = opener
    }

    /// The open index, or why there is none.
    public func reader() throws(APIError) -> any ArticleReading {
        if let store { return store }
        do {
            let opened = try opener(location)
            store = opened
            return opened
        } catch {
            throw Self.unavailable(error)
        }
    }

    /// Forgets the open index (after an error that may mean it was replaced or upgraded): the next request
    /// opens it again.
    public func reset() {
        if let store {
            try? store.close()
            self.store = nil
        }
    }

    /// A 503 for index errors that a later request may not have; nil for the others.
    static func unavailable(_ error: IndexError) -> APIError {
        switch error {
        case .missing: .unavailable("no index yet at \(errorLocation(error))")
        case .needsReindex: .unavailable("the index is being rebuilt for a new analyzer: \(error.description)")
        case .newerSchema, .notAnIndex, .corrupt: .unavailable(error.description)
        case .busy: .unavailable("the index is busy: \(error.description)")
        default: .unavailable(error.description)
        }
    }

    private static func errorLocation(_ error: IndexError) -> String {
        if case .missing(let path) = error { return path }
        return ""
    }

    public func close() {
        reset()
    }
}
