#!/usr/bin/env python3
"""Builds examples/demo-project: a tiny Ableton-style project written from scratch for daw's quickstart.

The set is a minimal Live 12-style XML document (our own text, not Live's), gzipped exactly as Live
saves (zlib level 6, memLevel 9, raw deflate, mtime 0, OS byte 19) so daw stores it as XML. The samples
are short generated sine tones. Run it again to regenerate the same bytes.
"""
import math, struct, sys, wave, zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "demo-project"

SET = """<?xml version="1.0" encoding="UTF-8"?>
<Ableton MajorVersion="5" MinorVersion="12.0_12049" SchemaChangeCount="1" Creator="Ableton Live 12.0.5" Revision="demo">
\t<LiveSet>
\t\t<NextPointeeId Value="100" />
\t\t<Tracks>
{tracks}\t\t</Tracks>
\t\t<MainTrack>
\t\t\t<Name>
\t\t\t\t<EffectiveName Value="Main" />
\t\t\t\t<UserName Value="" />
\t\t\t</Name>
\t\t\t<DeviceChain>
\t\t\t\t<Mixer>
\t\t\t\t\t<Tempo>
\t\t\t\t\t\t<LomId Value="0" />
\t\t\t\t\t\t<Manual Value="{tempo}" />
\t\t\t\t\t\t<AutomationTarget Id="8">
\t\t\t\t\t\t\t<LockEnvelope Value="0" />
\t\t\t\t\t\t</AutomationTarget>
\t\t\t\t\t</Tempo>
\t\t\t\t\t<TimeSignature>
\t\t\t\t\t\t<Manual Value="201" />
\t\t\t\t\t</TimeSignature>
\t\t\t\t</Mixer>
\t\t\t</DeviceChain>
\t\t</MainTrack>
\t\t<Locators>
\t\t\t<Locators>
\t\t\t\t<Locator Id="0">
\t\t\t\t\t<Time Value="0" />
\t\t\t\t\t<Name Value="Intro" />
\t\t\t\t</Locator>
\t\t\t\t<Locator Id="1">
\t\t\t\t\t<Time Value="32" />
\t\t\t\t\t<Name Value="Drop" />
\t\t\t\t</Locator>
\t\t\t</Locators>
\t\t</Locators>
\t</LiveSet>
</Ableton>
"""

TRACK = """\t\t\t<{kind} Id="{id}">
\t\t\t\t<Name>
\t\t\t\t\t<EffectiveName Value="{name}" />
\t\t\t\t\t<UserName Value="{name}" />
\t\t\t\t</Name>
\t\t\t\t<Color Value="{color}" />
\t\t\t\t<DeviceChain>
\t\t\t\t\t<Devices />
\t\t\t\t</DeviceChain>
\t\t\t</{kind}>
"""


def live_gzip(xml: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15, 9)
    body = c.compress(xml) + c.flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x13"
    return header + body + struct.pack("<II", zlib.crc32(xml) & 0xFFFFFFFF, len(xml) & 0xFFFFFFFF)


def make_set(tempo: str = "120") -> bytes:
    names = [("MidiTrack", "Drums", 12), ("MidiTrack", "Bass", 5), ("AudioTrack", "Vocals", 20)]
    tracks = "".join(TRACK.format(kind=k, id=i + 10, name=n, color=c) for i, (k, n, c) in enumerate(names))
    return live_gzip(SET.format(tracks=tracks, tempo=tempo).encode())


def tone(path: Path, freq: float, seconds: float) -> None:
    rate = 44100
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate) * math.exp(-3 * i / rate)))
        for i in range(int(rate * seconds))
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--resave-with-tempo":
        # Used by the quickstart: re-save the set with another tempo, as Live would.
        sys.stdout.buffer.write(make_set(sys.argv[2]))
        sys.exit(0)
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / "Demo Song.als").write_bytes(make_set())
    tone(ROOT / "Samples/Imported/kick.wav", 55.0, 0.4)
    tone(ROOT / "Samples/Imported/bass A.wav", 110.0, 0.6)
    (ROOT / "Ableton Project Info").mkdir(exist_ok=True)
    (ROOT / "Ableton Project Info/README.txt").write_text("Demo project for daw's quickstart.\n")
    (ROOT / "Backup").mkdir(exist_ok=True)
    (ROOT / "Backup/Demo Song [2026-11-01 120000].als").write_bytes(make_set("118"))
