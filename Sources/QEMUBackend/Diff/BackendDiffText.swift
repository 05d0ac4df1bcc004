import Fabric

extension BackendDiff {
    /// `lockstep diff-backends`: the verdict, the first difference with both sides'
    /// explanations, then one line per track.
    public var text: String {
        var lines: [String] = []
        if let first = firstDifference {
            lines.append(first.verdict == .diverge
                ? "DIFFER: first difference in \(first.track), decision \(first.index + 1)"
                : "AGREE AS FAR AS BOTH WENT: no track diverges; first cut in \(first.track) after \(first.index) decision(s)")
            lines.append("  emulated: " + Self.side(first.emulatedKey, first.emulatedTime, first.emulatedExplanation))
            lines.append("  real:     " + Self.side(first.realKey, first.realTime, first.realExplanation))
        } else {
            lines.append("AGREE: every decision track is equal")
        }
        lines.append("tracks (decisions compared in order; times are shown, never compared):")
        for track in tracks {
            let verdict = switch track.verdict {
            case .agree: "agree"
            case .cut: "cut after \(track.agreeing) (equal as far as both went)"
            case .diverge: "differ at \(track.agreeing + 1)"
            }
            lines.append("  \(track.name): emulated \(track.emulatedCount), real \(track.realCount), \(verdict)")
        }
        if differences.count > 1 {
            lines.append("other tracks' first differences:")
            for difference in differences.dropFirst() {
                lines.append("  \(difference.track) #\(difference.index + 1) (\(difference.verdict.rawValue)): emulated \(difference.emulatedKey ?? "(none)"), real \(difference.realKey ?? "(none)")")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func side(_ key: String?, _ time: VirtualTime?, _ explanation: String?) -> String {
        guard let key else { return "(no such decision)" }
        return "\(key) at \(time.map { String(format: "%.6f s", Double($0.nanoseconds) / 1e9) } ?? "?") — \(explanation ?? "")"
    }
}
