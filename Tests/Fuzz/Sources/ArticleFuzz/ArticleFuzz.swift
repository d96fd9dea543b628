// libFuzzer entry point: every input is parsed as text, Markdown and JSON.
//
// A crash, a sanitizer report or a timeout is a bug. Throwing `ArticleParseError` is the correct
// answer for bad input; returning an article with an empty title is not, so it traps too.
import Articles

@_cdecl("LLVMFuzzerTestOneInput")
public func articleFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = ArticleParser()
    for format in ArticleFormat.allCases {
        if let article = try? parser.parse(bytes, format: format) {
            precondition(!article.title.isEmpty, "parsed an article with an empty title")
            _ = article.body
        }
    }
    return 0
}
