// The two-way exchange on the JVM against the real library: the counter's request, the
// citizen's check and answer, the counter accepting it once and refusing one-way codes.
package org.citizenwallet.demo

import org.citizenwallet.WalletException
import org.citizenwallet.core.RejectReason
import org.junit.AfterClass
import org.junit.BeforeClass
import org.junit.Test
import java.io.File
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class TwoWayTest {
    companion object {
        private lateinit var dir: File
        private lateinit var people: SamplePeople
        private lateinit var authorities: DemoAuthorities

        @BeforeClass
        @JvmStatic
        fun setUp() {
            dir = Files.createTempDirectory("android-demo-two-way").toFile()
            val peopleFile = File(System.getenv("CWALLET_DEMO_PEOPLE_JSON") ?: "../app/src/main/assets/people.json")
            people = SamplePeople(peopleFile.readText())
            authorities = DemoAuthorities()
        }

        @AfterClass
        @JvmStatic
        fun tearDown() {
            dir.deleteRecursively()
        }
    }

    @Test
    fun theCounterAsksTheCitizenAnswersAndTheAnswerCountsOnce() {
        val reader = DemoReader(authorities)
        val counter = reader.counter(authorities)
        val access = WalletAccess(File(dir, "two-way.db").path)
        val (wallet, _) = access.createAndSeed(testKeyProvider("two-way"), "135792", authorities, people, "ha")

        val shown = counter.checkInRequest()
        assertTrue(shown.qrText.startsWith("VN1R:"))
        assertTrue(shown.qrVersion <= 10, "request QR version ${shown.qrVersion}")
        assertEquals(1L, counter.openRequests())

        val citizen = RequestFlow(wallet, reader.trustList)
        val (request, screen) = citizen.read(shown.qrText)
        assertEquals("Bach Mai Hospital, reception desk 1 (demo)", screen.readerEn)
        assertEquals("clinic", screen.roleEn)
        assertEquals("Họ và tên", screen.claimsVi[0])
        assertEquals("tiếp đón khám bệnh", screen.purposeVi)

        val answer = citizen.answer(request)
        assertEquals(Tone.VALID, counter.scanAnswer(answer.qrText).tone)
        assertEquals(RejectReason.REQUEST_ALREADY_ANSWERED, counter.scanAnswer(answer.qrText).rejectReason)
        // A one-way code: this counter accepts only answers to its own requests.
        val oneWay = CitizenFlow(wallet).checkInCode(reader.readerId)
        assertEquals(RejectReason.REQUEST_REQUIRED, counter.scanAnswer(oneWay.qrText).rejectReason)

        // A phone holding the trust list without the reader refuses the request.
        val e = assertFailsWith<WalletException.Rejected> {
            RequestFlow(wallet, authorities.trustList).read(counter.checkInRequest().qrText)
        }
        assertEquals(RejectReason.UNKNOWN_READER, e.reason)
        assertEquals("quầy yêu cầu không có trong danh sách tin cậy", e.messageVi)
    }
}
