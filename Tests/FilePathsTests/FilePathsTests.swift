import Testing
import FilePaths

@Suite("Paths compared as bytes")
struct PathKeyTests {
    @Test("NFC and NFD spellings are one String but two keys, as they are two files on Linux")
    func canonicallyEqualNamesDiffer() {
        let nfc = "/in/caf\u{E9}.txt", nfd = "/in/cafe\u{301}.txt"
        #expect(nfc == nfd)
        #expect(PathKey(nfc) != PathKey(nfd))
        #expect(Set([PathKey(nfc), PathKey(nfd)]).count == 2)
        #expect(Set([nfc, nfd]).count == 1, "what went wrong before: a Set<String> keeps one")
        #expect(PathKey(nfc) == PathKey(String(decoding: Array(nfc.utf8), as: UTF8.self)))
    }

    @Test("order is byte order")
    func byteOrder() {
        let keys = ["/b", "/a/z", "/a", "/\u{E9}", "/e\u{301}"].map(PathKey.init).sorted()
        #expect(keys.map(\.path) == ["/a", "/a/z", "/b", "/e\u{301}", "/\u{E9}"])
    }
}

@Suite("Names that are not UTF-8")
struct FileNameTests {
    @Test("valid names are themselves")
    func validNames() {
        for name in ["a.txt", "مرصد.txt", "caf\u{E9}", "cafe\u{301}", ""] {
            #expect(FileName.decode(Array(name.utf8)) == name)
            #expect(FileName.systemBytes(name) == Array(name.utf8))
            #expect(FileName.displayed(name) == name)
        }
    }

    @Test("every byte string survives the round trip, and is shown with \\x escapes",
          arguments: [
              [0x62, 0x61, 0x64, 0x2D, 0xFF, 0x2E, 0x74, 0x78, 0x74] as [UInt8],   // bad-\xFF.txt
              [0xC3],                                                             // a truncated é
              [0xE2, 0x82],                                                       // a truncated €
              [0xED, 0xA0, 0x80],                                                 // an encoded surrogate
              [0xC0, 0xAF],                                                       // an overlong slash
              [0xF4, 0x8F, 0xBC, 0x80],                                           // U+10FF00 itself, valid
              [0xD9, 0x85, 0x80, 0xD8, 0xB1],                                     // م, a stray byte, ر
          ])
    func roundTrip(_ bytes: [UInt8]) {
        let name = FileName.decode(bytes)
        #expect(FileName.systemBytes(name) == bytes)
        #expect(FileName.hasEscapes(name))
        let shown = FileName.withPlatformPath(name) { pointer in
            (0..<bytes.count).map { UInt8(bitPattern: pointer[$0]) } + [UInt8(bitPattern: pointer[bytes.count])]
        }
        #expect(shown == bytes + [0])
    }

    @Test func display() {
        #expect(FileName.displayed(FileName.decode([0x62, 0x61, 0x64, 0x2D, 0xFF, 0x2E, 0x74])) == "bad-\\xFF.t")
        #expect(FileName.displayed(FileName.decode([0x0A, 0x80])) == "\n\\x80")
    }
}

@Suite("Temporary names")
struct TemporaryNameTests {
    @Test(arguments: [(".x.txt.AbC123", true), ("a.txt.tmp", true), ("b~", true), ("c.part", true),
                      ("d.swp", true), ("e.crdownload", true), (".#e.txt", true), ("ok.txt", false),
                      ("مقال.txt", false)])
    func rule(_ name: String, _ temporary: Bool) {
        #expect(TemporaryName.matches(name) == temporary)
    }
}
