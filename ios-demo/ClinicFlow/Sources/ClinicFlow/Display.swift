// What the views show, in Vietnamese and English: the counter's verdict, the QR code's countdown,
// and errors. Pure functions of the library's records, so the tests check the exact text the
// officer and the citizen read. Mirrors android-demo/shared's Display.kt (same strings).

import CitizenWallet
import Foundation

/// One claim, labelled for display.
public struct ClaimRow: Equatable, Hashable {
    public let name: String
    public let labelVi: String
    public let labelEn: String
    public let value: String
    /// Chosen by the citizen (selectively disclosed), rather than always shown by the issuer.
    public let selectivelyDisclosed: Bool

    public init(name: String, labelVi: String, labelEn: String, value: String, selectivelyDisclosed: Bool) {
        self.name = name
        self.labelVi = labelVi
        self.labelEn = labelEn
        self.value = value
        self.selectivelyDisclosed = selectivelyDisclosed
    }
}

/// A labelled fact under the verdict (times, holder key).
public struct Fact: Equatable, Hashable {
    public let labelVi: String
    public let labelEn: String
    public let value: String

    public init(labelVi: String, labelEn: String, value: String) {
        self.labelVi = labelVi
        self.labelEn = labelEn
        self.value = value
    }
}

/// The screen's colour: the library's three-way `Outcome`, one to one.
public enum Tone: Equatable {
    /// Green: every check passed, revocation status current (`Outcome.valid`).
    case valid
    /// Amber: every check passed, but the revocation status is not current
    /// (`Outcome.statusNotCurrent`): the card may have been revoked. Not valid; the screen says as
    /// of when the status was known and why it is not current.
    case statusNotCurrent
    /// Red: rejected; nothing but the reason is shown (`Outcome.invalid`).
    case invalid
}

/// The counter's verdict screen.
public struct VerdictScreen: Equatable {
    public let tone: Tone
    public let headlineVi: String
    public let headlineEn: String
    /// The library's sentence for the officer ("HỢP LỆ (trạng thái kiểm tra đến ngày ...)",
    /// "KHÔNG HỢP LỆ: ..."), which carries the rejection reason.
    public let messageVi: String
    public let messageEn: String
    public let rejectReason: RejectReason?
    /// Why the revocation status is not current (amber only).
    public let staleReason: StaleReason?
    public let documentVi: String?
    public let documentEn: String?
    public let issuerVi: String?
    public let issuerEn: String?
    public let claims: [ClaimRow]
    public let facts: [Fact]

    /// The whole screen as plain text (bilingual), for logs, accessibility and sharing.
    public func asText() -> String {
        var lines = ["\(headlineVi) / \(headlineEn)", messageVi, messageEn]
        if let documentVi, let documentEn { lines.append("Giấy tờ / Document: \(documentVi) / \(documentEn)") }
        if let issuerVi, let issuerEn { lines.append("Cơ quan cấp / Issuer: \(issuerVi) / \(issuerEn)") }
        lines += claims.map { "\($0.labelVi) / \($0.labelEn): \($0.value)" }
        lines += facts.map { "\($0.labelVi) / \($0.labelEn): \($0.value)" }
        return lines.joined(separator: "\n")
    }
}

/// The credential type's name, as on the card (the library's labels).
public func typeLabelVi(_ type: CredentialType) -> String {
    switch type {
    case .citizenId: return "Căn cước công dân"
    case .healthInsurance: return "Thẻ bảo hiểm y tế"
    case .healthBook: return "Sổ sức khỏe điện tử"
    case .judicialRecord: return "Phiếu lý lịch tư pháp"
    case .clinicCheckin: return "Thông tin tiếp đón khám bệnh"
    }
}

public func typeLabelEn(_ type: CredentialType) -> String {
    switch type {
    case .citizenId: return "Citizen identity card"
    case .healthInsurance: return "Health insurance card"
    case .healthBook: return "Electronic health book"
    case .judicialRecord: return "Judicial record certificate"
    case .clinicCheckin: return "Clinic check-in"
    }
}

/// The enum case's name as the Kotlin demo shows it ("BAD_ISSUER_SIGNATURE"), for the reason code.
public func reasonCode(_ reason: RejectReason) -> String { upperSnake(String(describing: reason)) }

/// The stale reason's case name as the Kotlin demo shows it ("NO_STATUS_LIST").
public func reasonCode(_ reason: StaleReason) -> String { upperSnake(String(describing: reason)) }

private func upperSnake(_ name: String) -> String {
    var out = ""
    for ch in name {
        if ch.isUppercase { out += "_" }
        out += ch.uppercased()
    }
    return out
}

/// Turns the verifier's verdict into the officer's screen.
public func formatVerdict(_ v: Verdict) -> VerdictScreen {
    // The library's outcome, never a boolean: amber is not green.
    let tone: Tone
    switch v.outcome {
    case .valid: tone = .valid
    case .statusNotCurrent: tone = .statusNotCurrent
    case .invalid: tone = .invalid
    }
    var staleReason: StaleReason?
    if case let .validStale(_, reason) = v.status { staleReason = reason }
    let (headVi, headEn): (String, String)
    switch tone {
    case .valid: (headVi, headEn) = ("HỢP LỆ", "VALID")
    case .statusNotCurrent: (headVi, headEn) = ("HỢP LỆ – CHƯA RÕ TÌNH TRẠNG THU HỒI", "VALID – REVOCATION STATUS NOT CURRENT")
    case .invalid: (headVi, headEn) = ("KHÔNG HỢP LỆ", "INVALID")
    }
    var facts: [Fact] = []
    if tone == .invalid {
        if let r = v.rejectReason { facts.append(Fact(labelVi: "Mã lý do", labelEn: "Reason code", value: reasonCode(r))) }
    } else {
        if let t = v.presentedAt { facts.append(Fact(labelVi: "Mã được tạo lúc", labelEn: "Code created at", value: formatVnTime(t))) }
        if tone == .statusNotCurrent {
            // How old, and why: "—" when the counter has no status list from this issuer at all.
            facts.append(Fact(labelVi: "Tình trạng thu hồi tính đến", labelEn: "Revocation status as of",
                              value: v.statusAsOf.map(formatVnTime) ?? "—"))
            if let r = staleReason { facts.append(Fact(labelVi: "Mã lý do", labelEn: "Reason code", value: reasonCode(r))) }
        } else if let t = v.statusAsOf {
            facts.append(Fact(labelVi: "Tình trạng thu hồi tính đến", labelEn: "Revocation status as of", value: formatVnTime(t)))
        }
        if let t = v.credentialExpiresAt { facts.append(Fact(labelVi: "Giấy tờ hết hạn", labelEn: "Document expires", value: formatVnDate(t))) }
        if let h = v.holderThumbprint { facts.append(Fact(labelVi: "Khóa người giữ", labelEn: "Holder key", value: shortThumbprint(h))) }
    }
    facts.append(Fact(labelVi: "Kiểm tra lúc", labelEn: "Checked at", value: formatVnTime(v.verifiedAt)))
    let shown = tone != .invalid
    return VerdictScreen(
        tone: tone, headlineVi: headVi, headlineEn: headEn, messageVi: v.messageVi, messageEn: v.messageEn,
        rejectReason: v.rejectReason,
        staleReason: staleReason,
        documentVi: shown ? v.credentialType.map(typeLabelVi) : nil,
        documentEn: shown ? v.credentialType.map(typeLabelEn) : nil,
        issuerVi: shown ? v.issuerNameVi : nil,
        issuerEn: shown ? v.issuerNameEn : nil,
        // An invalid code shows nothing but its reason, even if a claim came through.
        claims: shown ? v.claims.map {
            ClaimRow(name: $0.name, labelVi: $0.labelVi, labelEn: $0.labelEn, value: $0.value,
                     selectivelyDisclosed: $0.selectivelyDisclosed)
        } : [],
        facts: facts)
}

/// "3F2A 91C0 77B4 E012": the first 16 hex digits of the holder key thumbprint, grouped.
public func shortThumbprint(_ hex: String) -> String {
    let s = Array(hex.prefix(16).uppercased())
    return stride(from: 0, to: s.count, by: 4).map { String(s[$0..<min($0 + 4, s.count)]) }.joined(separator: " ")
}

/// The countdown under the citizen's QR code. It reaches zero exactly at the presentation's
/// `expiresAt`: after that the app makes a fresh code (verifiers still allow their clock skew, so
/// a code scanned in the last second is not refused for a few seconds of drift).
public struct Countdown: Equatable {
    public let startedAt: Int64
    public let expiresAt: Int64

    public init(startedAt: Int64, expiresAt: Int64) {
        self.startedAt = startedAt
        self.expiresAt = expiresAt
    }

    /// The code's whole lifetime in seconds (120 by default).
    public var totalSecs: Int64 { max(0, expiresAt - startedAt) }

    public func remainingSecs(now: Int64) -> Int64 { min(max(expiresAt - now, 0), totalSecs) }

    public func isExpired(now: Int64) -> Bool { now >= expiresAt }

    /// 1.0 when fresh, 0.0 when expired: for a progress bar.
    public func fraction(now: Int64) -> Double {
        totalSecs == 0 ? 0 : Double(remainingSecs(now: now)) / Double(totalSecs)
    }

    /// "1:59", "0:05", "0:00".
    public func label(now: Int64) -> String {
        let r = remainingSecs(now: now)
        let s = r % 60
        return "\(r / 60):\(s < 10 ? "0" : "")\(s)"
    }

    public func captionVi(now: Int64) -> String {
        isExpired(now: now) ? "Mã đã hết hạn – chạm để tạo mã mới" : "Mã hết hạn sau \(label(now: now))"
    }

    public func captionEn(now: Int64) -> String {
        isExpired(now: now) ? "Code expired – tap for a fresh one" : "Expires in \(label(now: now))"
    }
}

/// An error explained to the citizen or the officer.
public struct ErrorText: Equatable {
    public let vi: String
    public let en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
}

/// What to tell the user about an error from the library (messages never carry personal data).
public func describeError(_ error: Error) -> ErrorText {
    guard let e = error as? WalletError else {
        if let d = error as? DemoError, case let .unknownPerson(p) = d {
            return ErrorText(vi: "Không có người mẫu '\(p)'.", en: "No sample person '\(p)'.")
        }
        let name = String(describing: type(of: error))
        return ErrorText(vi: "Đã xảy ra lỗi (\(name)).", en: "Something went wrong (\(name)).")
    }
    switch e {
    case let .wrongPin(retry, attempts):
        return ErrorText(vi: "Sai mã PIN (lần \(attempts)). Thử lại sau \(retry) giây.",
                         en: "Wrong PIN (attempt \(attempts)). Try again in \(retry) s.")
    case let .pinBackoff(retry):
        return ErrorText(vi: "Nhập sai quá nhiều lần. Thử lại sau \(retry) giây.",
                         en: "Too many wrong PINs. Try again in \(retry) s.")
    case .pinLocked:
        return ErrorText(vi: "Mã PIN đã bị khóa do nhập sai quá nhiều lần. Hãy mở ví bằng khóa bảo mật của thiết bị.",
                         en: "The PIN is disabled after too many wrong tries. Unlock with the device key.")
    case .wrongKey:
        return ErrorText(vi: "Khóa bảo mật của thiết bị không mở được ví này. Hãy dùng mã PIN.",
                         en: "This device's security key does not open this wallet. Use the PIN.")
    case .locked:
        return ErrorText(vi: "Ví đang khóa. Hãy mở khóa.", en: "The wallet is locked. Unlock it.")
    case let .qrTooLarge(_, needed, max):
        return ErrorText(
            vi: "Quá nhiều thông tin cho một mã QR (cần phiên bản \(needed), tối đa \(max)). Hãy bỏ bớt mục.",
            en: "Too much for one QR code (needs version \(needed), limit \(max)). Choose fewer fields.")
    case let .rejected(_, messageEn, messageVi):
        return ErrorText(vi: messageVi, en: messageEn)
    case let .notFound(what):
        return ErrorText(vi: "Không tìm thấy: \(what)", en: "Not found: \(what)")
    case let .alreadyExists(what):
        return ErrorText(vi: "Đã có: \(what)", en: "Already exists: \(what)")
    case let .invalidInput(_, reason):
        return ErrorText(vi: "Dữ liệu không hợp lệ: \(reason)", en: "Invalid input: \(reason)")
    case let .image(_, reason):
        return ErrorText(vi: "Không đọc được mã QR trong ảnh (\(reason)).", en: "No QR code could be read from the image (\(reason)).")
    case let .keyProvider(reason):
        return ErrorText(vi: "Kho khóa của thiết bị báo lỗi (\(reason)). Hãy dùng mã PIN.",
                         en: "The device keystore failed (\(reason)). Use the PIN.")
    case .tampered, .corrupted:
        return ErrorText(vi: "Dữ liệu ví bị hỏng hoặc bị sửa đổi. Không có gì bị thay đổi.",
                         en: "The wallet data is damaged or was altered. Nothing was changed.")
    case .storage:
        return ErrorText(vi: "Không ghi được vào bộ nhớ máy (đầy hoặc bận). Hãy thử lại.",
                         en: "Could not write to the phone's storage (full or busy). Try again.")
    case .holderSignerTimedOut:
        return ErrorText(vi: "Chưa xác thực kịp (hết thời gian chờ). Hãy thử lại.",
                         en: "The confirmation took too long (timed out). Try again.")
    case let .counterState(_, reason):
        return ErrorText(vi: "Các danh sách đã lưu của quầy bị hỏng hoặc không dùng được (\(reason)). Không có gì bị thay đổi.",
                         en: "The counter's saved lists are damaged or unusable (\(reason)). Nothing was changed.")
    case .crypto, .internal:
        return ErrorText(vi: "Đã xảy ra lỗi (\(e)).", en: "Something went wrong (\(e)).")
    }
}

/// Vietnam time (UTC+7, no daylight saving).
public let vnOffsetSecs: Int64 = 7 * 3600

/// "14/01/2026 09:05:30" in Vietnam time. Locale-free, so iOS, Linux and the Android demo agree.
/// Any Int64 is accepted (a credential may expire at Int64.max): the offset saturates rather
/// than trap.
public func formatVnTime(_ unix: Int64) -> String {
    let (sum, overflow) = unix.addingReportingOverflow(vnOffsetSecs)
    let t = overflow ? Int64.max : sum
    let days = floorDiv(t, daySecs)
    let secs = ((t % daySecs) + daySecs) % daySecs // floor modulo, no overflow at Int64.min
    let (y, m, d) = civilFromDays(days)
    return "\(pad2(d))/\(pad2(m))/\(pad(y, 4)) \(pad2(secs / 3600)):\(pad2(secs % 3600 / 60)):\(pad2(secs % 60))"
}

/// "14/01/2026" in Vietnam time.
public func formatVnDate(_ unix: Int64) -> String { String(formatVnTime(unix).prefix(10)) }

private func pad2(_ n: Int64) -> String { pad(n, 2) }

private func pad(_ n: Int64, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return (y, m, d)
}
