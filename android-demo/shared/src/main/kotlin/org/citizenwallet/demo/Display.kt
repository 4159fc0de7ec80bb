// What the screens show, in Vietnamese and English: the counter's verdict, the QR code's
// countdown, and errors. Pure functions of the library's records, so the JVM tests check the
// exact text the officer and the citizen read.
package org.citizenwallet.demo

import org.citizenwallet.Verdict
import org.citizenwallet.WalletException
import org.citizenwallet.core.CredentialType
import org.citizenwallet.core.Outcome
import org.citizenwallet.core.RejectReason
import org.citizenwallet.core.StaleReason
import org.citizenwallet.core.VerdictStatus
import java.util.Locale

/** One claim, labelled for display. */
data class ClaimRow(
    val name: String,
    val labelVi: String,
    val labelEn: String,
    val value: String,
    /** Chosen by the citizen (selectively disclosed), rather than always shown by the issuer. */
    val selectivelyDisclosed: Boolean,
)

/** A labelled fact under the verdict (times, holder key). */
data class Fact(val labelVi: String, val labelEn: String, val value: String)

/** The screen's colour: the library's three-way [Outcome], one to one. */
enum class Tone {
    /** Green: every check passed, revocation status current ([Outcome.VALID]). */
    VALID,

    /**
     * Amber: every check passed, but the revocation status is not current
     * ([Outcome.STATUS_NOT_CURRENT]): the card may have been revoked. Not valid; the screen says
     * as of when the status was known and why it is not current.
     */
    STATUS_NOT_CURRENT,

    /** Red: rejected; nothing but the reason is shown ([Outcome.INVALID]). */
    INVALID,
}

/** The counter's verdict screen. */
data class VerdictScreen(
    val tone: Tone,
    val headlineVi: String,
    val headlineEn: String,
    /** The library's sentence for the officer ("HỢP LỆ (trạng thái kiểm tra đến ngày ...)",
     * "KHÔNG HỢP LỆ: ..."), which carries the rejection reason. */
    val messageVi: String,
    val messageEn: String,
    val rejectReason: RejectReason?,
    /** Why the revocation status is not current (amber only). */
    val staleReason: StaleReason?,
    val documentVi: String?,
    val documentEn: String?,
    val issuerVi: String?,
    val issuerEn: String?,
    val claims: List<ClaimRow>,
    val facts: List<Fact>,
) {
    /** The whole screen as plain text (bilingual), for logs, accessibility and sharing. */
    fun asText(): String = buildString {
        appendLine("$headlineVi / $headlineEn")
        appendLine(messageVi)
        appendLine(messageEn)
        if (documentVi != null) appendLine("Giấy tờ / Document: $documentVi / $documentEn")
        if (issuerVi != null) appendLine("Cơ quan cấp / Issuer: $issuerVi / $issuerEn")
        for (c in claims) appendLine("${c.labelVi} / ${c.labelEn}: ${c.value}")
        for (f in facts) appendLine("${f.labelVi} / ${f.labelEn}: ${f.value}")
    }.trimEnd()
}

/** The credential type's name, as on the card (the library's labels). */
fun typeLabelVi(type: CredentialType): String = when (type) {
    CredentialType.CITIZEN_ID -> "Căn cước công dân"
    CredentialType.HEALTH_INSURANCE -> "Thẻ bảo hiểm y tế"
    CredentialType.HEALTH_BOOK -> "Sổ sức khỏe điện tử"
    CredentialType.JUDICIAL_RECORD -> "Phiếu lý lịch tư pháp"
    CredentialType.CLINIC_CHECKIN -> "Thông tin tiếp đón khám bệnh"
}

fun typeLabelEn(type: CredentialType): String = when (type) {
    CredentialType.CITIZEN_ID -> "Citizen identity card"
    CredentialType.HEALTH_INSURANCE -> "Health insurance card"
    CredentialType.HEALTH_BOOK -> "Electronic health book"
    CredentialType.JUDICIAL_RECORD -> "Judicial record certificate"
    CredentialType.CLINIC_CHECKIN -> "Clinic check-in"
}

/** Turns the verifier's verdict into the officer's screen. */
fun formatVerdict(v: Verdict): VerdictScreen {
    // The library's outcome, never a boolean: amber is not green.
    val tone = when (v.outcome) {
        Outcome.VALID -> Tone.VALID
        Outcome.STATUS_NOT_CURRENT -> Tone.STATUS_NOT_CURRENT
        Outcome.INVALID -> Tone.INVALID
    }
    val staleReason = (v.status as? VerdictStatus.ValidStale)?.reason
    val (headVi, headEn) = when (tone) {
        Tone.VALID -> "HỢP LỆ" to "VALID"
        Tone.STATUS_NOT_CURRENT -> "HỢP LỆ – CHƯA RÕ TÌNH TRẠNG THU HỒI" to "VALID – REVOCATION STATUS NOT CURRENT"
        Tone.INVALID -> "KHÔNG HỢP LỆ" to "INVALID"
    }
    val facts = mutableListOf<Fact>()
    if (tone == Tone.INVALID) {
        v.rejectReason?.let { facts += Fact("Mã lý do", "Reason code", it.name) }
    } else {
        v.presentedAt?.let { facts += Fact("Mã được tạo lúc", "Code created at", formatVnTime(it)) }
        if (tone == Tone.STATUS_NOT_CURRENT) {
            // How old, and why: "—" when the counter has no status list from this issuer at all.
            facts += Fact("Tình trạng thu hồi tính đến", "Revocation status as of", v.statusAsOf?.let(::formatVnTime) ?: "—")
            staleReason?.let { facts += Fact("Mã lý do", "Reason code", it.name) }
        } else {
            v.statusAsOf?.let { facts += Fact("Tình trạng thu hồi tính đến", "Revocation status as of", formatVnTime(it)) }
        }
        v.credentialExpiresAt?.let { facts += Fact("Giấy tờ hết hạn", "Document expires", formatVnDate(it)) }
        v.holderThumbprint?.let { facts += Fact("Khóa người giữ", "Holder key", shortThumbprint(it)) }
    }
    facts += Fact("Kiểm tra lúc", "Checked at", formatVnTime(v.verifiedAt))
    val shown = tone != Tone.INVALID
    return VerdictScreen(
        tone = tone,
        headlineVi = headVi,
        headlineEn = headEn,
        messageVi = v.messageVi,
        messageEn = v.messageEn,
        rejectReason = v.rejectReason,
        staleReason = staleReason,
        documentVi = v.credentialType?.takeIf { shown }?.let(::typeLabelVi),
        documentEn = v.credentialType?.takeIf { shown }?.let(::typeLabelEn),
        issuerVi = v.issuerNameVi?.takeIf { shown },
        issuerEn = v.issuerNameEn?.takeIf { shown },
        // An invalid code shows nothing but its reason, even if a claim came through.
        claims = if (shown) v.claims.map { ClaimRow(it.name, it.labelVi, it.labelEn, it.value, it.selectivelyDisclosed) } else emptyList(),
        facts = facts,
    )
}

/** "3F2A 91C0 77B4 E012": the first 16 hex digits of the holder key thumbprint, grouped. */
fun shortThumbprint(hex: String): String = hex.take(16).uppercase().chunked(4).joinToString(" ")

/**
 * The countdown under the citizen's QR code. It reaches zero exactly at the presentation's
 * `expires_at`: after that the app makes a fresh code (verifiers still allow their clock skew,
 * so a code scanned in the last second is not refused for a few seconds of drift).
 */
class Countdown(val startedAt: Long, val expiresAt: Long) {
    /** The code's whole lifetime in seconds (120 by default). */
    val totalSecs: Long = (expiresAt - startedAt).coerceAtLeast(0)

    fun remainingSecs(now: Long): Long = (expiresAt - now).coerceIn(0, totalSecs)

    fun isExpired(now: Long): Boolean = now >= expiresAt

    /** 1.0 when fresh, 0.0 when expired: for a progress bar. */
    fun fraction(now: Long): Double = if (totalSecs == 0L) 0.0 else remainingSecs(now).toDouble() / totalSecs

    /** "1:59", "0:05", "0:00". */
    fun label(now: Long): String {
        val r = remainingSecs(now)
        return "${r / 60}:${(r % 60).toString().padStart(2, '0')}"
    }

    fun captionVi(now: Long): String =
        if (isExpired(now)) "Mã đã hết hạn – chạm để tạo mã mới" else "Mã hết hạn sau ${label(now)}"

    fun captionEn(now: Long): String =
        if (isExpired(now)) "Code expired – tap for a fresh one" else "Expires in ${label(now)}"
}

/** An error explained to the citizen or the officer. */
data class ErrorText(val vi: String, val en: String)

/** What to tell the user about an error from the library (messages never carry personal data). */
fun describeError(e: Throwable): ErrorText = when (e) {
    is WalletException.WrongPin -> ErrorText(
        "Sai mã PIN (lần ${e.failedAttempts}). Thử lại sau ${e.retryAfterSecs} giây.",
        "Wrong PIN (attempt ${e.failedAttempts}). Try again in ${e.retryAfterSecs} s.",
    )
    is WalletException.PinBackoff -> ErrorText(
        "Nhập sai quá nhiều lần. Thử lại sau ${e.retryAfterSecs} giây.",
        "Too many wrong PINs. Try again in ${e.retryAfterSecs} s.",
    )
    is WalletException.PinLocked -> ErrorText(
        "Mã PIN đã bị khóa do nhập sai quá nhiều lần. Hãy mở ví bằng khóa bảo mật của thiết bị.",
        "The PIN is disabled after too many wrong tries. Unlock with the device key.",
    )
    is WalletException.WrongKey -> ErrorText(
        "Khóa bảo mật của thiết bị không mở được ví này. Hãy dùng mã PIN.",
        "This device's security key does not open this wallet. Use the PIN.",
    )
    is WalletException.Locked -> ErrorText("Ví đang khóa. Hãy mở khóa.", "The wallet is locked. Unlock it.")
    is WalletException.QrTooLarge -> ErrorText(
        "Quá nhiều thông tin cho một mã QR (cần phiên bản ${e.neededVersion}, tối đa ${e.maxVersion}). Hãy bỏ bớt mục.",
        "Too much for one QR code (needs version ${e.neededVersion}, limit ${e.maxVersion}). Choose fewer fields.",
    )
    is WalletException.Rejected -> ErrorText(e.messageVi, e.messageEn)
    is WalletException.NotFound -> ErrorText("Không tìm thấy: ${e.what}", "Not found: ${e.what}")
    is WalletException.AlreadyExists -> ErrorText("Đã có: ${e.what}", "Already exists: ${e.what}")
    is WalletException.InvalidInput -> ErrorText("Dữ liệu không hợp lệ: ${e.reason}", "Invalid input: ${e.reason}")
    is WalletException.Image -> ErrorText("Không đọc được mã QR trong ảnh (${e.reason}).", "No QR code could be read from the image (${e.reason}).")
    is WalletException.KeyProvider -> ErrorText(
        "Kho khóa của thiết bị báo lỗi (${e.reason}). Hãy dùng mã PIN.",
        "The device keystore failed (${e.reason}). Use the PIN.",
    )
    is WalletException.Tampered, is WalletException.Corrupted -> ErrorText(
        "Dữ liệu ví bị hỏng hoặc bị sửa đổi. Không có gì bị thay đổi.",
        "The wallet data is damaged or was altered. Nothing was changed.",
    )
    is WalletException.Storage -> ErrorText(
        "Không ghi được vào bộ nhớ máy (đầy hoặc bận). Hãy thử lại.",
        "Could not write to the phone's storage (full or busy). Try again.",
    )
    is WalletException.CounterState -> ErrorText(
        "Các danh sách đã lưu của quầy bị hỏng hoặc không dùng được (${e.reason}). Không có gì bị thay đổi.",
        "The counter's saved lists are damaged or unusable (${e.reason}). Nothing was changed.",
    )
    else -> ErrorText(
        "Đã xảy ra lỗi (${e.javaClass.simpleName}).",
        "Something went wrong (${e.javaClass.simpleName}).",
    )
}

/** Vietnam time (UTC+7, no daylight saving). */
const val VN_OFFSET_SECS = 7 * 3600L

/**
 * "14/01/2026 09:05:30" in Vietnam time. Locale-free, so the JVM, Android and Swift agree. Any
 * Long is accepted (a credential may expire at Long.MAX_VALUE): the offset saturates.
 */
fun formatVnTime(unix: Long): String {
    val t = if (unix > Long.MAX_VALUE - VN_OFFSET_SECS) Long.MAX_VALUE else unix + VN_OFFSET_SECS
    val days = Math.floorDiv(t, DAY_SECS)
    val secs = Math.floorMod(t, DAY_SECS)
    val (y, m, d) = civilFromDays(days)
    return "%02d/%02d/%04d %02d:%02d:%02d".format(Locale.ROOT, d, m, y, secs / 3600, secs % 3600 / 60, secs % 60)
}

/** "14/01/2026" in Vietnam time. */
fun formatVnDate(unix: Long): String = formatVnTime(unix).substring(0, 10)

/** Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm). */
internal fun civilFromDays(z0: Long): Triple<Long, Int, Int> {
    val z = z0 + 719_468
    val era = Math.floorDiv(z, 146_097L)
    val doe = z - era * 146_097
    val yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    val doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    val mp = (5 * doy + 2) / 153
    val d = (doy - (153 * mp + 2) / 5 + 1).toInt()
    val m = (if (mp < 10) mp + 3 else mp - 9).toInt()
    val y = yoe + era * 400 + if (m <= 2) 1 else 0
    return Triple(y, m, d)
}
