/// Stable 128-bit ids for each kind of event Marsad logs, as systemd's own daemons have.
///
/// `journalctl MESSAGE_ID=7cb60a7047434a76acb73d518e79d883` lists every indexed article, and
/// `deploy/marsad.catalog` (installed to /usr/lib/systemd/catalog/) explains each for `journalctl -x`.
/// The log call names the kind with the metadata key `event`; never change an id once shipped.
public enum MessageID {
    public static let byEvent: [String: String] = [
        "started": "bb727c51aa1842ad8a0d44334a626ab0",
        "ready": "c489074a0ca149b5bb1d9d6db143a048",
        "indexed": "7cb60a7047434a76acb73d518e79d883",
        "replaced": "e0d56b0959ef425fb70d70fdd1d5bc71",
        "unchanged": "ccb6349f4c2f45f1bc113ea31890ee6f",
        "duplicate": "7c2a9530946f4007a0d55dcc5e5dab4a",
        "removed": "fa94eab6d4964dc5b5753fc26bb47513",
        "renamed": "c35bcbbf63974230a504e2d9c87811a7",
        "failed": "e362f50e809f4fb9925d959939cf3ed4",
        "overflow": "209da5719781407a8685a4ab9ef5cabd",
        "reconciled": "1b2929314cd74ac889307041c5337a7c",
        "degraded": "fceba1d7fcc84827bb2c272640d88032",
        "reload": "be0327aecfc148a6b9a38b31b7348035",
        "stopping": "0ee6afd1d3c0429fa568347ce8a99f3f",
        "stopped": "764df82e02a748b6a51f4a0f4dba5066",
        "inbox_vanished": "4ea0bfdd4b51408c96eb6be739ad5fc5",
        "inbox_returned": "17de42928bb346ac900ff2df516b1e9b",
        "reindex": "c2ffaccb628a43bfa8a3ffb1ef9b115a",
        "index_degraded": "67e949aeda3f4c05b4412b17f24b955b",
        "index_recovered": "dea93b0621014618ab434d2fc6c13e34",
        // marsad serve
        "listening": "b934a59985a04255a07d23721f50d322",
        "request": "bfe3ea281c5740059634c2412a92f1b7",
        "feed_waiting": "2bc5813a0b5c432f89b41b2c01e55ed1",
        "feed_resumed": "4442e68f67ad4cec8369988d2a0f0e03",
        "alert_matched": "0bf47997eaba47e88fa7cfc64e65a6e7",
        "webhook_delivered": "e64867dbdf44436695a20a08255f301b",
        "webhook_failed": "adc67c5b70734fe998dd0e66ac7599cb",
        "webhook_given_up": "78949b06c70343bbb8a40f19d4ddc462",
        "alerts_unavailable": "8cfcf5911dd94b4bb444224eb1255544",
    ]
}
