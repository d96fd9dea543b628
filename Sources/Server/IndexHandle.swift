public import ArticleIndex

/// The index as `marsad serve` reads it: opened read-only on first use (a GRDB reader pool over the WAL, so
/// it serves while `marsad run` writes), kept open, and opened again after a failure. A missing index or
/// one that needs rebuilding is an ``APIError/unavailable(_:)`` with the reason, never a crash.
public actor IndexHandle {
    public let location: String
    private var store: (any ArticleReading)?
    private let opener: @Sendable (String) throws(IndexError) -> any ArticleReading

    public init(location: String,
                opener: @escaping @Sendable (String) throws(IndexError) -> any ArticleReading = { location throws(IndexError) in
                    try IndexBackend.open(location, mode: .readOnly)
                }) {
        self.location = location
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

    /// Runs `body` on the open index. An index error is a 503 with its reason. When the error may mean the file
    /// was replaced, upgraded or rebuilt, the index is also closed, and the next request opens it again; a
    /// search that timed out, a busy database or a bad query leave it open (closing waits for every read in
    /// progress, so one slow query must not stall the others).
    public nonisolated func withReader<T: Sendable>(_ body: (any ArticleReading) async throws -> T) async throws -> T {
        let reader = try await self.reader()
        do { return try await body(reader) } catch let error as IndexError {
            switch error {
            case .timedOut, .busy, .invalidQuery, .diskFull: break
            default: await close()
            }
            throw Self.unavailable(error)
        }
    }

    /// Closes the open index; the next request opens it again.
    public func close() {
        if let store {
            try? store.close()
            self.store = nil
        }
    }

    /// A 503 for index errors that a later request may not have; nil for the others.
    static func unavailable(_ error: IndexError) -> APIError {
        switch error {
        case .missing(let path): .unavailable("no index yet at \(path)")
        case .needsReindex: .unavailable("the index is being rebuilt for a new analyzer: \(error.description)")
        case .newerSchema, .notAnIndex, .corrupt: .unavailable(error.description)
        case .busy: .unavailable("the index is busy: \(error.description)")
        case .timedOut(let reason): .timedOut(reason)
        default: .unavailable(error.description)
        }
    }
}
