"""MPEG audio (Layer III) frame walker: is this really a whole MP3, and how long does it play?

A file is valid when, after an optional ID3v2 tag, the bytes are a run of Layer III frames with
one sample rate and channel count up to the end (or up to an ID3v1 tag), with at least one audio
frame. Anything else is rejected: empty data, garbage, a frame cut short, trailing junk.
The LAME/Xing info frame that encoders put first carries no audio and is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Layer III bitrates in kbps by bitrate index: MPEG-1, and MPEG-2/2.5.
_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
# Sample rates by version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5) and index.
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


class Mp3Error(ValueError):
    """The bytes are not a complete, valid MP3 stream."""


@dataclass(frozen=True)
class Mp3Info:
    sample_rate: int
    channels: int
    frames: int  # audio frames (the info frame excluded)
    duration: float  # seconds
    bitrate_kbps: int  # of the first audio frame
    size: int  # bytes


@dataclass(frozen=True)
class _Frame:
    length: int
    sample_rate: int
    channels: int
    samples: int
    bitrate_kbps: int
    side_info: int


def _frame_at(data: bytes, pos: int) -> _Frame | None:
    if pos + 4 > len(data):
        return None
    b1, b2, b3, b4 = data[pos : pos + 4]
    if b1 != 0xFF or (b2 & 0xE0) != 0xE0:
        return None
    version = (b2 >> 3) & 0x3
    layer = (b2 >> 1) & 0x3
    bitrate_index = b3 >> 4
    rate_index = (b3 >> 2) & 0x3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved version, not Layer III, free/bad bitrate, reserved rate
    padding = (b3 >> 1) & 0x1
    channels = 1 if (b4 >> 6) == 3 else 2
    mpeg1 = version == 3
    bitrate = _BITRATES[1 if mpeg1 else 2][bitrate_index]
    sample_rate = _SAMPLE_RATES[version][rate_index]
    samples = 1152 if mpeg1 else 576
    length = samples // 8 * bitrate * 1000 // sample_rate + padding
    if mpeg1:
        side_info = 17 if channels == 1 else 32
    else:
        side_info = 9 if channels == 1 else 17
    return _Frame(length, sample_rate, channels, samples, bitrate, side_info)


def _id3v2_size(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size_bytes = data[6:10]
    if any(b & 0x80 for b in size_bytes):
        raise Mp3Error("ID3 标签已损坏")
    size = (size_bytes[0] << 21) | (size_bytes[1] << 14) | (size_bytes[2] << 7) | size_bytes[3]
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def parse(data: bytes) -> Mp3Info:
    """Walk every frame; raise Mp3Error (message in Chinese) when the data is not a whole MP3."""
    if not data:
        raise Mp3Error("文件是空的")
    data = bytes(data)  # bytearray/memoryview slices are not hashable
    pos = _id3v2_size(data)
    end = len(data)
    if end - pos >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128
    if pos >= end:
        raise Mp3Error("只有标签，没有音频")
    frames = 0
    samples = 0
    first: _Frame | None = None
    known: dict[bytes, _Frame | None] = {}  # headers repeat: parse each distinct one once
    while pos < end:
        if first is not None and end - pos < 4:
            raise Mp3Error(f"最后一帧不完整（文件被截断，末尾只剩 {end - pos} 字节）")
        header = data[pos : pos + 4]
        if header in known:
            frame = known[header]
        else:
            frame = known[header] = _frame_at(data, pos)
            if frame is not None and first is not None and (frame.sample_rate, frame.channels) != (
                first.sample_rate,
                first.channels,
            ):
                raise Mp3Error(f"第 {pos} 字节处的帧格式与前面不一致")
        if frame is None:
            raise Mp3Error(f"第 {pos} 字节处不是 MP3 帧（文件损坏或不是 MP3）")
        if pos + frame.length > end:
            raise Mp3Error(f"最后一帧不完整（文件被截断，缺 {pos + frame.length - end} 字节）")
        if first is None:
            first = frame
            tag_at = pos + 4 + frame.side_info
            if data[tag_at : tag_at + 4] in (b"Xing", b"Info"):
                pos += frame.length  # the encoder's info frame: no audio
                continue
        frames += 1
        samples += frame.samples
        pos += frame.length
    if first is None or frames == 0:
        raise Mp3Error("没有音频帧")
    return Mp3Info(
        sample_rate=first.sample_rate,
        channels=first.channels,
        frames=frames,
        duration=samples / first.sample_rate,
        bitrate_kbps=first.bitrate_kbps,
        size=len(data),
    )


def parse_file(path: Path) -> Mp3Info:
    return parse(path.read_bytes())


def is_valid(data: bytes) -> bool:
    try:
        parse(data)
    except Mp3Error:
        return False
    return True
