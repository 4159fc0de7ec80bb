// The two-way exchange in Swift against the real library: the counter's request, the citizen's
// check and answer, the counter accepting it once and refusing one-way codes. Mirrors
// android-demo's TwoWayTest.kt.

import CitizenWallet
import ClinicFlow
import Foundation
import XCTest

extension ClinicFlowTests {
    func testTheCounterAsksTheCitizenAnswersAndTheAnswerCountsOnce() throws {
        let reader = try DemoReader(authorities: authorities)
        let counter = try reader.counter(authorities: authorities)
        let (_, wallet, _) = try seeded("ha")

        let shown = try counter.checkInRequest()
        XCTAssertTrue(shown.qrText.hasPrefix("VN1R:"))
        XCTAssertLessThanOrEqual(shown.qrVersion, 10)
        XCTAssertEqual(counter.openRequests(), 1)

        let citizen = RequestFlow(wallet: wallet, trustList: reader.trustList)
        let (request, screen) = try citizen.read(shown.qrText)
        XCTAssertEqual(screen.readerEn, "Bach Mai Hospital, reception desk 1 (demo)")
        XCTAssertEqual(screen.roleEn, "clinic")
        XCTAssertEqual(screen.claimsVi.first, "Họ và tên")
        XCTAssertEqual(screen.purposeVi, "tiếp đón khám bệnh")

        let answer = try citizen.answer(request)
        XCTAssertEqual(try counter.scanAnswer(answer.qrText).tone, .valid)
        XCTAssertEqual(try counter.scanAnswer(answer.qrText).rejectReason, .requestAlreadyAnswered)
        let oneWay = try CitizenFlow(wallet: wallet).checkInCode(counterId: reader.readerId)
        XCTAssertEqual(try counter.scanAnswer(oneWay.qrText).rejectReason, .requestRequired)

        // A phone holding the trust list without the reader refuses the request.
        XCTAssertThrowsError(try RequestFlow(wallet: wallet, trustList: authorities.trustList)
            .read(counter.checkInRequest().qrText)) {
            guard case let .rejected(reason, _, messageVi)? = $0 as? WalletError else { return XCTFail("got \($0)") }
            XCTAssertEqual(reason, .unknownReader)
            XCTAssertEqual(messageVi, "quầy yêu cầu không có trong danh sách tin cậy")
        }
    }
}
