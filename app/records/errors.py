"""Domain errors of certificates, pledges and family links (slug, Chinese message, status)."""

from __future__ import annotations

from app.errors import DomainError


class CertificateNotFound(DomainError):
    status = 404
    code = "certificate_not_found"
    message = "没有找到这个证书编号。请核对证书上的编号（10 位字母和数字），或扫描证书上的二维码。"


class NotPassed(DomainError):
    status = 422
    code = "not_passed"
    message = "这次没有及格，还不能领取证书。再来一次，及格后就可以领取。"


class NotCounted(DomainError):
    """A retake (or play outside the window) that the unit's record does not count gets no
    certificate, so a certificate never says more than the unit's record."""

    status = 422
    code = "not_counted"

    def __init__(self, note: str | None):
        reason = f"（{note.removeprefix('本次练习不计入排名：').rstrip('。')}）" if note else ""
        super().__init__(f"这次练习没有计入本单位的记录{reason}，所以不能领取证书。证书以计入记录的那次成绩为准。")


class NotFinished(DomainError):
    status = 409
    code = "not_finished"
    message = "这次测验还没有交卷。交卷以后才能领取证书或签承诺书。"


class InvalidSignature(DomainError):
    status = 422
    code = "invalid_signature"
    message = "签名没有保存：签名板的内容看不懂。请点“清除重写”再写一次，或在上面的框里打字签名。"


class InvalidSigner(DomainError):
    status = 422
    code = "invalid_signer"


class FamilyNotAllowed(DomainError):
    status = 422
    code = "family_not_allowed"
    message = "家庭链接只给参加班会的学生：请用老师给的班级码答题后再生成。"


class FamilyLinkNotFound(DomainError):
    status = 404
    code = "family_link_not_found"
    message = "没有找到这个家庭链接，请让孩子重新发一次，或直接从首页选“长辈”开始答题。"
